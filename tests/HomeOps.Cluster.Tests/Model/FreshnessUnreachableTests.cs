using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.Model;

/// <summary>
/// Issue 14: on the operator station with everything down, every feed that is not receiving says "unreachable since …"
/// — a dropped watch, a failing poll, a source that never synced — and none of them reads as live.
/// </summary>
public sealed class FreshnessUnreachableTests
{
    private static readonly DateTimeOffset Down = new(2026, 12, 7, 16, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Down.AddMinutes(7);

    public static TheoryData<string, Freshness> NotReceiving() => new()
    {
        { "watch dropped after syncing", new Freshness(FeedState.Reconnecting, true, Down.AddHours(-1), Down, 3, "connection refused", Down) },
        { "poll failing after syncing", new Freshness(FeedState.Reconnecting, true, Down.AddHours(-1), Down, 3, "connection refused", Down, Polled: true) },
        { "never synced (station started while the API was down)", new Freshness(FeedState.Error, false, null, null, 0, "connection refused", Down) },
    };

    [Theory]
    [MemberData(nameof(NotReceiving))]
    public void A_feed_that_is_not_receiving_says_unreachable_since_and_is_not_live(string why, Freshness freshness)
    {
        Assert.False(freshness.IsLive, why);
        var text = freshness.Describe(Now);
        Assert.Contains("unreachable since 7 min", text);
        Assert.DoesNotContain("live", text);
    }

    [Fact]
    public void A_never_synced_feed_keeps_its_reason_after_the_since()
    {
        var f = new Freshness(FeedState.Error, false, null, null, 0, "dial tcp 10.0.0.1:6443: connect: no route to host", Down);
        Assert.Equal("unreachable since 2 h: dial tcp 10.0.0.1:6443: connect: no route to host", f.Describe(Down.AddHours(2)));
    }
}
