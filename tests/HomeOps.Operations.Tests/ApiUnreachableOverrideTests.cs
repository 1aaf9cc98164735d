using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Guards;
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
}
