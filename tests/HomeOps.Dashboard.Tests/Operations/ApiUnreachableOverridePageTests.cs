using AngleSharp.Dom;
using Bunit;
using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Components.Pages.Operations;
using HomeOps.Dashboard.Tests.TestData;
using HomeOps.Operations.Engine;

namespace HomeOps.Dashboard.Tests.Operations;

/// <summary>Issue 13 h, the UI half: with the API down the safe-reset page offers the override, with its own phrase.</summary>
public sealed class ApiUnreachableOverridePageTests() : OperationsTestContext(StaleNodes())
{
    private static ClusterFixture StaleNodes()
    {
        var f = ClusterFixture.HomeOps();
        var now = f.Time.GetUtcNow();
        return f.Feed(Kinds.Node, new Freshness(FeedState.Reconnecting, true, now.AddMinutes(-4), now.AddMinutes(-4), 3, "connection refused", now.AddMinutes(-30)));
    }

    [Fact]
    public async Task A_stale_node_feed_blocks_the_normal_launch_but_offers_the_API_unreachable_override_with_its_own_phrase()
    {
        SignInAsOperator();
        var dialogs = RenderProviders();
        var cut = Render<SafeReset>();
        cut.Find("[data-testid=pick-node-mini02] input").Change(true);

        cut.WaitForAssertion(() => Assert.Equal("True", cut.Find("[data-testid=preflight]").GetAttribute("data-blocked")), Wait);
        Assert.True(cut.Find("[data-testid=launch-run]").HasAttribute("disabled"));
        var offer = cut.Find("[data-testid=launch-api-unreachable]");
        Assert.False(offer.HasAttribute("disabled"));

        var launching = offer.ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Equal("API UNREACHABLE SAFE-RESET", dialogs.Find("[data-testid=confirm-expected]").TextContent), Wait);
        IElement Confirm() => dialogs.Find("[data-testid=confirm-run]");
        IElement Input(string id) => dialogs.Find($"[data-testid={id}] input, [data-testid={id}] textarea, input[data-testid={id}], textarea[data-testid={id}]");
        Input("confirm-phrase-input").Input("SAFE-RESET");
        Input("confirm-reason-input").Input("API server down");
        dialogs.WaitForAssertion(() => Assert.True(Confirm().HasAttribute("disabled")), Wait); // the normal phrase does not override
        await dialogs.Find("[data-testid=confirm-cancel]").ClickAsync(new());
        await launching.WaitAsync(Wait, Xunit.TestContext.Current.CancellationToken);
        Assert.Empty(await Engine.ListRunsAsync(new RunQuery(), Xunit.TestContext.Current.CancellationToken));
    }
}
