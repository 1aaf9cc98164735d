using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Tests.Support;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Tests;

/// <summary>
/// Issue 13 f: every shipped workflow declares where it can run, and a dashboard in the cluster refuses a
/// station-only one before it starts — in the preview and on trigger — with a message pointing to the operator station.
/// </summary>
public sealed class RunLocationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Every_shipped_workflow_declares_where_it_can_run_and_why()
    {
        var catalog = new WorkflowCatalog(GateRegistry.CreateDefault());
        Assert.All(catalog.All, w =>
        {
            Assert.NotNull(w.RunsOn);
            Assert.False(string.IsNullOrWhiteSpace(w.RunsOn!.Why), $"{w.Id} says where but not why");
        });
        Assert.Equal(RunLocation.Station, catalog.Find("bootstrap:phased")!.Where.Location);
        Assert.Equal(RunLocation.Station, catalog.Find("cluster:recover")!.Where.Location);
        Assert.Equal(new StepCondition("scope", "full-cluster"), catalog.Find("cluster:safe-reset")!.Where.StationOnlyWhen);
        Assert.Equal(RunLocation.Both, catalog.Find("cluster:safe-reboot")!.Where.Location);
    }

    [Fact]
    public async Task In_the_cluster_a_station_only_workflow_is_refused_before_it_starts_and_the_refusal_is_audited()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml, configure: o => o.RunsInCluster = true);

        var preview = await h.Engine.PreviewAsync(new RunRequest("cluster:recover", new Dictionary<string, string?> { ["op-account"] = "home" }), Actors.Operator(), Ct);
        var problem = Assert.Single(preview.Problems);
        Assert.Contains("cluster:recover cannot run from inside the cluster", problem);
        Assert.Contains("operator station", problem);

        var trigger = await h.Engine.TriggerAsync(new RunRequest("cluster:recover", new Dictionary<string, string?> { ["op-account"] = "home" }, "power outage"), Actors.Operator(), Ct);
        Assert.False(trigger.Accepted);
        Assert.Contains(trigger.Problems, p => p.Contains("operator station"));
        Assert.Empty(await h.Engine.ListRunsAsync(new RunQuery(), Ct));
        Assert.Single(await h.AuditAsync(new AuditQuery(Action: "run.start", Outcome: AuditOutcome.Refused)));

        // Parameter-dependent: a partial reset may run in the pod, the full-cluster reset may not.
        var partial = await h.Engine.PreviewAsync(new RunRequest("cluster:safe-reset", TestWorkflows.Nodes("mini02")), Actors.Operator(), Ct);
        Assert.True(partial.Valid, string.Join("; ", partial.Problems));
        var full = new Dictionary<string, string?>(TestWorkflows.Nodes("mini01,mini02,mini03")) { ["scope"] = "full-cluster" };
        var fullPreview = await h.Engine.PreviewAsync(new RunRequest("cluster:safe-reset", full), Actors.Operator(), Ct);
        Assert.Contains(fullPreview.Problems, p => p.Contains("cluster:safe-reset with scope=full-cluster cannot run from inside the cluster"));
    }

    [Fact]
    public async Task At_the_station_the_same_workflows_preview_without_a_location_problem()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        var preview = await h.Engine.PreviewAsync(new RunRequest("cluster:recover", new Dictionary<string, string?> { ["op-account"] = "home" }), Actors.Operator(), Ct);
        Assert.True(preview.Valid, string.Join("; ", preview.Problems));
    }
}
