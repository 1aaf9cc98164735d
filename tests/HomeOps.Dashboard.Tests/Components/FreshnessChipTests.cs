using Bunit;
using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Components.Controls;
using HomeOps.Dashboard.Tests.TestData;
using HomeOps.Dashboard.ViewModels;

namespace HomeOps.Dashboard.Tests.Components;

/// <summary>Polled data that has not been refreshed for three poll intervals is shown as stale, even while the poller still says Live.</summary>
public class FreshnessChipTests : DashboardTestContext
{
    [Fact]
    public void Polled_data_turns_stale_once_it_is_older_than_three_poll_intervals_and_live_again_after_a_poll()
    {
        var store = UseCluster();
        var staleAfter = DataAge.StaleAfter(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15));   // the defaults: Authentik, metrics
        Assert.Equal(TimeSpan.FromSeconds(45), staleAfter);
        var polledAt = Fixture.Time.GetUtcNow();
        var polled = new Freshness(FeedState.Live, true, polledAt, polledAt, 0, null, polledAt.AddMinutes(-5), Polled: true);
        var cut = Render<FreshnessChip>(p => p.Add(c => c.Freshness, polled).Add(c => c.TestId, "chip"));
        Assert.Equal("Live", cut.Find("[data-testid=chip]").GetAttribute("data-state"));

        Fixture.Time.Advance(TimeSpan.FromSeconds(44));
        cut.WaitForAssertion(() => Assert.Equal("updated 44 s ago", cut.Find("[data-testid=chip]").TextContent.Trim()), Wait);
        Assert.Equal("Live", cut.Find("[data-testid=chip]").GetAttribute("data-state"));

        Fixture.Time.Advance(TimeSpan.FromSeconds(2));
        cut.WaitForAssertion(() => Assert.Equal("Stale", cut.Find("[data-testid=chip]").GetAttribute("data-state")), Wait);
        Assert.Equal("stale: updated 46 s ago", cut.Find("[data-testid=chip]").TextContent.Trim());

        var now = Fixture.Time.GetUtcNow();
        cut.Render(p => p.Add(c => c.Freshness, polled with { LastSyncAt = now, LastEventAt = now }));
        Assert.Equal("Live", cut.Find("[data-testid=chip]").GetAttribute("data-state"));
        Assert.Equal("updated 0 s ago", cut.Find("[data-testid=chip]").TextContent.Trim());
        Assert.NotNull(store);
    }

    [Fact]
    public void A_watch_is_never_aged_here_its_informer_marks_a_silent_watch_reconnecting()
    {
        var long_ago = Snap.T0.AddHours(-3);
        var watch = new Freshness(FeedState.Live, true, long_ago, long_ago, 0, null, long_ago);
        Assert.False(DataAge.IsOverdue(watch, Snap.T0, TimeSpan.FromSeconds(45)));
        Assert.Equal("live", DataAge.Describe(watch, Snap.T0, TimeSpan.FromSeconds(45)));
        var reconnecting = watch with { State = FeedState.Reconnecting, Since = Snap.T0.AddSeconds(-95) };
        Assert.StartsWith("stale: API unreachable since 1 min", DataAge.Describe(reconnecting, Snap.T0, TimeSpan.FromSeconds(45)));
    }
}
