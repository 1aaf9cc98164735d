using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Guards;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Tests.Support;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Tests;

/// <summary>
/// Issue 13 h: when the Kubernetes API is down the Node and Volume feeds go stale and the pre-flight blocks a reset —
/// exactly the last-resort case. An explicit override with its own typed phrase and a reason lets the run start; the
/// pre-flight then says what it could not check, and the audit records the override.
/// </summary>
public class ApiUnreachableOverrideTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly WorkflowCatalog Catalog = new(GateRegistry.CreateDefault());

    private static (WorkflowDefinition, ValidatedParameters, ClusterState) Reset(ClusterBuilder b, string nodes = "mini02")
    {
        var def = Catalog.Find(WorkflowIds.SafeReset)!;
        var state = b.Build();
        Assert.Empty(InputValidator.Validate(def, new Dictionary<string, string?> { ["nodes"] = nodes }, state, out var p));
        return (def, p, state);
    }

    [Fact]
    public void The_override_phrase_is_distinct_from_the_normal_one_and_only_offered_for_runs_that_take_nodes_down()
    {
        var (def, p, _) = Reset(ClusterBuilder.HomeOps());
        var phrase = ConfirmationGuard.ApiUnreachablePhrase(def, p);
        Assert.NotNull(phrase);
        Assert.NotEqual(ConfirmationGuard.Expected(def, p), phrase);
        Assert.Contains("API UNREACHABLE", phrase);
        Assert.True(ConfirmationGuard.IsApiUnreachableOverride(def, p, " " + phrase + " "));
        Assert.False(ConfirmationGuard.IsApiUnreachableOverride(def, p, "SAFE-RESET"));
        Assert.Null(ConfirmationGuard.Check(def, p, phrase)); // the override also confirms the run

        var harmless = Catalog.All.First(w => !w.Destructive);
        Assert.Null(ConfirmationGuard.ApiUnreachablePhrase(harmless, p));
    }

    [Fact]
    public void With_the_override_stale_feeds_no_longer_block_and_the_pre_flight_lists_what_it_could_not_check()
    {
        var (def, p, state) = Reset(ClusterBuilder.HomeOps().Feed(Kinds.Node, FeedState.Reconnecting).Feed(Kinds.LonghornVolume, FeedState.Reconnecting));
        var calc = new PreflightCalculator("elsewhere", TimeSpan.FromDays(8));
        Assert.True(calc.Compute(def, p, state, DateTimeOffset.UtcNow).IsBlocked);

        var r = calc.Compute(def, p, state, DateTimeOffset.UtcNow, apiUnreachable: true);
        Assert.False(r.IsBlocked, r.Summary);
        Assert.True(r.ApiUnreachableOverride);
        var notChecked = r.Items.Where(i => i.Check == "not-checked").ToList();
        Assert.Contains(notChecked, i => i.Severity == PreflightSeverity.Warning && i.Message.Contains("etcd quorum"));
        Assert.Contains(notChecked, i => i.Severity == PreflightSeverity.Warning && i.Message.Contains("volume replicas"));
        Assert.Contains("API unreachable override", r.Summary);
        Assert.Contains("NOT CHECKED", r.Summary);
    }

    [Fact]
    public void The_override_is_refused_while_the_node_and_volume_data_are_live()
    {
        var (def, p, state) = Reset(ClusterBuilder.HomeOps());
        var r = new PreflightCalculator("elsewhere", TimeSpan.FromDays(8)).Compute(def, p, state, DateTimeOffset.UtcNow, apiUnreachable: true);
        Assert.True(r.IsBlocked);
        Assert.Contains(r.Blocking, b => b.Check == "override" && b.Message.Contains("live"));
    }

    [Fact]
    public void The_override_only_lifts_blocks_caused_by_stale_data()
    {
        // The dashboard's own node is a partial-reset target: still blocked, override or not.
        var (def, p, state) = Reset(ClusterBuilder.HomeOps().Feed(Kinds.Node, FeedState.Reconnecting));
        var r = new PreflightCalculator("mini02", TimeSpan.FromDays(8)).Compute(def, p, state, DateTimeOffset.UtcNow, apiUnreachable: true);
        Assert.Contains(r.Blocking, b => b.Check == "dashboard");
    }

    [Fact]
    public async Task The_engine_starts_a_reset_with_the_override_phrase_and_a_reason_and_audits_it()
    {
        var cluster = ClusterBuilder.HomeOps().Feed(Kinds.Node, FeedState.Reconnecting).Feed(Kinds.LonghornVolume, FeedState.Reconnecting);
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml, cluster);
        var request = TestWorkflows.Nodes("mini02");

        var preview = await h.Engine.PreviewAsync(new RunRequest("test:destructive", request), Actors.Operator(), Ct);
        Assert.True(preview.Preflight!.IsBlocked);
        Assert.Equal("API UNREACHABLE DO-IT", preview.ApiUnreachableConfirmation);

        var normal = await h.Engine.TriggerAsync(new RunRequest("test:destructive", request, "api down", "DO-IT"), Actors.Operator(), Ct);
        Assert.False(normal.Accepted);
        Assert.Contains(normal.Problems, x => x.Contains("pre-flight blocks"));

        var noReason = await h.Engine.TriggerAsync(new RunRequest("test:destructive", request, null, "API UNREACHABLE DO-IT"), Actors.Operator(), Ct);
        Assert.False(noReason.Accepted);

        var forced = await h.Engine.TriggerAsync(new RunRequest("test:destructive", request, "API server down, resetting as last resort", "API UNREACHABLE DO-IT"), Actors.Operator(), Ct);
        Assert.True(forced.Accepted, string.Join("; ", forced.Problems));
        Assert.True(forced.Preflight!.ApiUnreachableOverride);
        await h.Engine.WaitUntilStoppedAsync(forced.RunId!.Value, Ct);

        var audit = (await h.Audit.QueryAsync(new AuditQuery(Action: "run.start"), Ct)).Single(a => a.RunId == forced.RunId);
        Assert.Equal("API UNREACHABLE DO-IT", audit.Confirmation);
        Assert.Equal("API server down, resetting as last resort", audit.Reason);
        Assert.Contains("API unreachable override", audit.PreflightSummary);
        Assert.Contains("NOT CHECKED", audit.PreflightSummary);
    }

    [Fact]
    public async Task Confirming_a_created_run_with_the_override_recomputes_the_pre_flight_with_it()
    {
        var cluster = ClusterBuilder.HomeOps().Feed(Kinds.Node, FeedState.Reconnecting);
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml, cluster);
        var created = await h.Engine.CreateAsync(new RunRequest("test:destructive", TestWorkflows.Nodes("mini02"), null), Actors.Operator(), Ct);
        var blocked = await h.Engine.ConfirmAsync(created.RunId!.Value, "DO-IT", "api down", Actors.Operator(), Ct);
        Assert.False(blocked.Accepted);
        var ok = await h.Engine.ConfirmAsync(created.RunId.Value, "API UNREACHABLE DO-IT", "api down, last resort", Actors.Operator(), Ct);
        Assert.True(ok.Accepted, string.Join("; ", ok.Problems));
        var run = await h.Engine.WaitUntilStoppedAsync(created.RunId.Value, Ct);
        Assert.True(run!.Preflight!.ApiUnreachableOverride);
    }

    /// <summary>A reset-like workflow whose "node is down" check waits 10 minutes for live data, as cluster:safe-reset's does.</summary>
    private const string GatedYaml = """
        workflows:
          - id: test:gated-reset
            title: Gated reset
            destructive: true
            confirmation: {phrase: DO-IT}
            parameters:
              - {name: nodes, type: node-list, source: live-nodes, required: true}
            preflight: {targets: nodes, impact: wipe}
            steps:
              - {id: reset, title: Reset, argv: [/bin/sh, step.sh, reset]}
              - id: nodes-down
                title: Node is down
                forEach: nodes
                gates:
                  after:
                    - {gate: node-not-ready, args: {node: "{node}"}, wait: 10m}
          - id: test:gated-check
            title: The same check without the override
            steps:
              - id: nodes-down
                title: Node is down
                gates:
                  after:
                    - {gate: node-not-ready, args: {node: mini02}, wait: 1s}
        """;

    [Fact]
    public async Task Under_the_override_a_gate_on_stale_API_data_is_not_waited_for_but_recorded_as_not_checked_and_the_run_trusts_the_step()
    {
        // The Node feed is down (API unreachable) and still says mini02 is Ready: waiting would take the full 10 minutes
        // and then fail; passing on the stale Ready=True would be a lie. Neither: "not checked", in the step, the run and the audit.
        var cluster = ClusterBuilder.HomeOps().Feed(Kinds.Node, FeedState.Reconnecting);
        await using var h = await EngineHarness.CreateAsync(GatedYaml, cluster);
        var forced = await h.Engine.TriggerAsync(new RunRequest("test:gated-reset", TestWorkflows.Nodes("mini02"), "API down, last resort", "API UNREACHABLE DO-IT"), Actors.Operator(), Ct);
        Assert.True(forced.Accepted, string.Join("; ", forced.Problems));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(60));   // far less than the gate's 10-minute wait
        var run = (await h.Engine.WaitUntilStoppedAsync(forced.RunId!.Value, cts.Token))!;

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var gate = Assert.Single(run.Steps.Single(s => s.Key == "nodes-down@mini02").Gates).Result;
        Assert.Equal(GateOutcome.Skipped, gate.Outcome);
        Assert.StartsWith("not checked (API unreachable, override): Node data is not live", gate.Message);
        Assert.Contains("the run trusts the step's own result", gate.Message);
        var step = run.Steps.Single(s => s.Key == "nodes-down@mini02");
        Assert.Contains("not checked (API unreachable, override): after-gate node-not-ready {node=mini02}", step.Message);
        Assert.Contains("Skipped — not checked (API unreachable, override)", (await h.StoredStepAsync(run.Id, 1)).Output);
        Assert.Contains("1 gate(s) not checked (API unreachable, override)", run.Message);
        var audit = (await h.Audit.QueryAsync(new AuditQuery(Action: "run.start"), Ct)).Single(a => a.RunId == run.Id);
        Assert.Equal(AuditOutcome.Succeeded, audit.Outcome);
        Assert.Contains("not checked (API unreachable, override)", audit.Message);
    }

    [Fact]
    public async Task Without_the_override_the_same_gate_on_stale_data_is_Unknown_and_fails_the_step()
    {
        var cluster = ClusterBuilder.HomeOps().Feed(Kinds.Node, FeedState.Reconnecting);
        await using var h = await EngineHarness.CreateAsync(GatedYaml, cluster);
        var r = await h.Engine.TriggerAsync(new RunRequest("test:gated-check", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        Assert.True(r.Accepted, string.Join("; ", r.Problems));
        var run = (await h.Engine.WaitUntilStoppedAsync(r.RunId!.Value, Ct))!;
        Assert.Equal(RunStatus.Failed, run.Status);
        var gate = Assert.Single(run.Steps.Single().Gates).Result;
        Assert.Equal(GateOutcome.Unknown, gate.Outcome);
        Assert.True(gate.StaleData);
        Assert.Contains("cannot decide on stale data", gate.Message);
    }

    [Fact]
    public async Task Under_the_override_a_gate_on_live_data_is_checked_as_always()
    {
        // The API came back before the check: live data decides (here mini02 is still Ready, so the gate fails after its wait).
        var cluster = ClusterBuilder.HomeOps().Feed(Kinds.Node, FeedState.Reconnecting);
        await using var h = await EngineHarness.CreateAsync(GatedYaml.Replace("wait: 10m", "wait: 1s").Replace("argv: [/bin/sh, step.sh, reset]", "argv: [/bin/sh, wait-go.sh]"), cluster);
        // The reset step waits for the test's go, so the API is back (live data) before the gate is evaluated.
        File.WriteAllText(h.Path("wait-go.sh"), "while [ ! -f go ]; do sleep 0.05; done\n");
        var forced = await h.Engine.TriggerAsync(new RunRequest("test:gated-reset", TestWorkflows.Nodes("mini02"), "API down, last resort", "API UNREACHABLE DO-IT"), Actors.Operator(), Ct);
        Assert.True(forced.Accepted, string.Join("; ", forced.Problems));
        ClusterBuilder.HomeOps().Apply(h.Store);   // every feed live again, mini02 still Ready
        h.Touch("go");
        var run = (await h.Engine.WaitUntilStoppedAsync(forced.RunId!.Value, Ct))!;
        Assert.Equal(RunStatus.Failed, run.Status);
        var gate = Assert.Single(run.Steps.Single(s => s.Key == "nodes-down@mini02").Gates).Result;
        Assert.Equal(GateOutcome.Failed, gate.Outcome);
        Assert.DoesNotContain("not checked", gate.Message);
    }
}
