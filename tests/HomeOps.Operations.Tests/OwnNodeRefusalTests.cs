using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Tests.Support;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Tests;

/// <summary>
/// Issue 14 "one product, two places to run": in the cluster, the engine's admission (RunAdmission.Where) refuses a
/// destructive run that would take down the dashboard's own node (its pod's spec.nodeName, NODE_NAME) — not just warns —
/// before anything starts, pointing to the operator station; a reset of the other nodes and reboots stay allowed, and
/// the station itself refuses none of them.
/// </summary>
public sealed class OwnNodeRefusalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<EngineHarness> InCluster(string? ownNode) =>
        EngineHarness.CreateAsync(TestWorkflows.Yaml, configure: o => { o.RunsInCluster = true; o.DashboardNodeName = ownNode; });

    [Fact]
    public void The_safe_reset_declares_its_node_list_as_the_one_that_must_not_name_the_dashboards_node()
    {
        var catalog = new WorkflowCatalog(GateRegistry.CreateDefault());
        Assert.Equal("nodes", catalog.Find("cluster:safe-reset")!.Where.StationOnlyForOwnNodeIn);
        // Reboots stay allowed in the cluster: the run is interrupted and resumed, the dashboard comes back.
        Assert.Null(catalog.Find("cluster:safe-reboot")!.Where.StationOnlyForOwnNodeIn);
    }

    [Fact]
    public async Task A_partial_reset_that_includes_the_dashboards_own_node_is_refused_on_preview_and_trigger_and_audited()
    {
        await using var h = await InCluster("mini02");

        var preview = await h.Engine.PreviewAsync(new RunRequest("cluster:safe-reset", TestWorkflows.Nodes("mini02")), Actors.Operator(), Ct);
        Assert.False(preview.Valid);
        var problem = Assert.Single(preview.Problems, p => p.Contains("cannot run from inside the cluster"));
        Assert.Contains("mini02 is the node this dashboard's own pod runs on", problem);
        Assert.Contains("operator station", problem);
        Assert.Contains("docs/station.md", problem);

        var trigger = await h.Engine.TriggerAsync(new RunRequest("cluster:safe-reset", TestWorkflows.Nodes("mini03,mini02"), "disk swap"), Actors.Operator(), Ct);
        Assert.False(trigger.Accepted);
        Assert.Contains(trigger.Problems, p => p.Contains("mini02 is the node this dashboard's own pod runs on"));
        Assert.Empty(await h.Engine.ListRunsAsync(new RunQuery(), Ct));
        Assert.Single(await h.AuditAsync(new AuditQuery(Action: "run.start", Outcome: AuditOutcome.Refused)));
    }

    [Fact]
    public async Task A_partial_reset_of_other_nodes_and_a_reboot_of_its_own_node_stay_allowed_in_the_cluster()
    {
        await using var h = await InCluster("mini02");

        var others = await h.Engine.PreviewAsync(new RunRequest("cluster:safe-reset", TestWorkflows.Nodes("mini03")), Actors.Operator(), Ct);
        Assert.True(others.Valid, string.Join("; ", others.Problems));

        var reboot = await h.Engine.PreviewAsync(new RunRequest("cluster:safe-reboot", TestWorkflows.Nodes("mini02")), Actors.Operator(), Ct);
        Assert.DoesNotContain(reboot.Problems, p => p.Contains("cannot run from inside the cluster"));
    }

    [Fact]
    public async Task In_the_cluster_an_unknown_own_node_refuses_any_node_reset_default_deny()
    {
        await using var h = await InCluster(ownNode: null);
        var preview = await h.Engine.PreviewAsync(new RunRequest("cluster:safe-reset", TestWorkflows.Nodes("mini03")), Actors.Operator(), Ct);
        Assert.Contains(preview.Problems, p => p.Contains("does not know its own node") && p.Contains("NODE_NAME"));
    }

    [Fact]
    public async Task At_the_station_the_same_reset_is_not_refused_for_where_it_runs()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml, configure: o => o.DashboardNodeName = "mini02");
        var preview = await h.Engine.PreviewAsync(new RunRequest("cluster:safe-reset", TestWorkflows.Nodes("mini02")), Actors.Operator(), Ct);
        Assert.True(preview.Valid, string.Join("; ", preview.Problems));
    }

    [Fact]
    public void A_definition_whose_own_node_parameter_is_not_a_node_parameter_is_rejected()
    {
        const string yaml = """
            workflows:
              - id: test:own-node
                title: Own node
                runsOn: {where: both, why: test, stationOnlyForOwnNodeIn: mode}
                parameters:
                  - {name: mode, type: enum, values: ["a", "b"]}
                steps:
                  - {id: one, title: One, argv: [/bin/sh, step.sh, one]}
            """;
        var dir = Directory.CreateTempSubdirectory("own-node-defs");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "bad.yaml"), yaml);
            var ex = Record.Exception(() => new WorkflowCatalog(GateRegistry.CreateDefault(), dir.FullName));
            Assert.NotNull(ex);
            Assert.Contains("stationOnlyForOwnNodeIn must name a node or node-list parameter", ex!.ToString());
        }
        finally { dir.Delete(recursive: true); }
    }
}
