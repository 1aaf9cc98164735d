using Bunit;
using HomeOps.Dashboard.Components.Pages.Operations;
using HomeOps.Operations.Engine;

namespace HomeOps.Dashboard.Tests.Operations;

/// <summary>
/// Issue 14: in the pod on mini02 (Operations:RunsInCluster, Operations:DashboardNodeName ← NODE_NAME), choosing the
/// dashboard's own node for a safe reset shows the refusal and its reason before the operator clicks, and launch is
/// disabled; a reset of the other nodes stays launchable.
/// </summary>
public sealed class OwnNodeRefusalPageTests() : OperationsTestContext(settings: new Dictionary<string, string?>
{
    ["Operations:RunsInCluster"] = "true",
    ["Operations:DashboardNodeName"] = "mini02",
})
{
    [Fact]
    public async Task Choosing_the_dashboards_own_node_shows_the_refusal_before_launch_and_other_nodes_stay_allowed()
    {
        SignInAsOperator();
        RenderProviders();
        var cut = Render<SafeReset>();

        cut.Find("[data-testid=pick-node-mini03] input").Change(true);
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=launch-run]").HasAttribute("disabled")), Wait);
        Assert.Empty(cut.FindAll("[data-testid=station-only]"));

        cut.Find("[data-testid=pick-node-mini02] input").Change(true);
        cut.WaitForAssertion(() =>
        {
            var text = cut.Find("[data-testid=station-only]").TextContent;
            Assert.Contains("mini02 is the node this dashboard's own pod runs on", text);
            Assert.Contains("operator station", text);
            Assert.Contains("docs/station.md", text);
        }, Wait);
        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-testid=launch-run]").HasAttribute("disabled")), Wait);
        Assert.Empty(await Engine.ListRunsAsync(new RunQuery(), Xunit.TestContext.Current.CancellationToken));
    }
}
