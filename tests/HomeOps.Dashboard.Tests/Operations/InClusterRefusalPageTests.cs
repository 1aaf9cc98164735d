using Bunit;
using HomeOps.Dashboard.Components.Pages.Operations;
using HomeOps.Operations.Engine;

namespace HomeOps.Dashboard.Tests.Operations;

/// <summary>
/// Issue 13 f: in the pod (Operations:RunsInCluster, set by Cluster:Mode=InCluster) a workflow that cannot run there
/// says so on its page before anything starts, pointing to the operator station, and cannot be launched.
/// </summary>
public sealed class InClusterRefusalPageTests() : OperationsTestContext(settings: new Dictionary<string, string?> { ["Operations:RunsInCluster"] = "true" })
{
    [Fact]
    public void The_bootstrap_wizard_says_it_runs_only_from_the_operator_station()
    {
        SignInAsOperator();
        RenderProviders();
        var cut = Render<BootstrapWizard>();
        cut.WaitForAssertion(() => Assert.Contains("bootstrap:phased cannot run from inside the cluster", cut.Find("[data-testid=station-only]").TextContent), Wait);
        Assert.Contains("operator station", cut.Find("[data-testid=station-only]").TextContent);
    }

    [Fact]
    public async Task A_partial_reset_may_launch_in_the_pod_but_choosing_the_full_cluster_is_refused_before_it_starts()
    {
        SignInAsOperator();
        RenderProviders();
        var cut = Render<SafeReset>();
        cut.Find("[data-testid=pick-node-mini02] input").Change(true);
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=launch-run]").HasAttribute("disabled")), Wait);
        Assert.Empty(cut.FindAll("[data-testid=station-only]"));

        cut.Find("[data-testid=pick-node-mini01] input").Change(true);
        cut.Find("[data-testid=pick-node-mini03] input").Change(true);
        cut.Find("[data-testid=param-scope-full-cluster] input").Change(true);
        cut.WaitForAssertion(() => Assert.Contains("scope=full-cluster cannot run from inside the cluster", cut.Find("[data-testid=station-only]").TextContent), Wait);
        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-testid=launch-run]").HasAttribute("disabled")), Wait);
        Assert.Empty(await Engine.ListRunsAsync(new RunQuery(), Xunit.TestContext.Current.CancellationToken));
    }
}
