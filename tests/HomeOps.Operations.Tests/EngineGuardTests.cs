using System.Text.Json;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Tests.Support;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Tests;

/// <summary>Operator role, step-up, confirmation, reason, pre-flight, the lock, and input that never reaches a shell.</summary>
public class EngineGuardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RunRequest Destructive(string nodes = "mini02", string? confirmation = "DO-IT", string? reason = "planned maintenance") =>
        new("test:destructive", TestWorkflows.Nodes(nodes), reason, confirmation);

    [Fact]
    public async Task Twenty_concurrent_triggers_of_a_destructive_run_start_exactly_one_and_refuse_and_audit_the_rest()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        h.Touch("block-act");
        using var gate = new ManualResetEventSlim();
        var triggers = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            gate.Wait(Ct);
            return await h.Engine.TriggerAsync(Destructive(), Actors.Operator($"op{i:00}"), Ct);
        }, Ct)).ToList();
        gate.Set();
        var results = await Task.WhenAll(triggers);

        var accepted = Assert.Single(results, r => r.Accepted);
        var refused = results.Where(r => !r.Accepted).ToList();
        Assert.Equal(19, refused.Count);
        Assert.All(refused, r =>
        {
            Assert.Null(r.RunId);
            Assert.Contains(r.Problems, p => p.StartsWith("another destructive run is in progress: run " + accepted.RunId, StringComparison.Ordinal));
        });
        Assert.Single(await h.Engine.ListRunsAsync(new RunQuery(), Ct));
        var audited = await h.AuditAsync(new AuditQuery(Action: "run.start", Outcome: AuditOutcome.Refused));
        Assert.Equal(19, audited.Count);
        Assert.Equal(19, audited.Select(a => a.User).Distinct().Count());
        Assert.All(audited, a => Assert.Equal("DO-IT", a.Confirmation));

        await Wait.Until(() => File.Exists(h.Path("pid-act")), "the one run is executing");
        Assert.Equal(["act"], h.RunsLog());
        await h.Engine.CancelAsync(accepted.RunId!.Value, "test over", Actors.Operator(), Ct);
        Assert.Equal(RunStatus.Cancelled, (await h.Settle(accepted.RunId.Value)).Status);

        // The lock is released with the run: the next trigger starts.
        h.Delete("block-act");
        var next = await h.Engine.TriggerAsync(Destructive(), Actors.Operator(), Ct);
        Assert.True(next.Accepted, next.ToString());
        Assert.Equal(RunStatus.Succeeded, (await h.Settle(next.RunId!.Value)).Status);
    }

    [Fact]
    public async Task Every_refused_attempt_is_audited_and_stores_no_run()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml, ClusterBuilder.HomeOps().Node("mini03", "False", "172.29.51.13"));
        var attempts = new (RunRequest Request, Guards.Actor Actor, string Expected)[]
        {
            (Destructive(), Actors.Viewer(), "is not an operator"),
            (Destructive(), Actors.StaleOperator(), "step-up sign-in required"),
            (Destructive(confirmation: "DO IT"), Actors.Operator(), "exactly 'DO-IT'"),
            (Destructive(reason: ""), Actors.Operator(), "a reason is required"),
            (Destructive(nodes: "mini01"), Actors.Operator(), "the pre-flight blocks this run: etcd quorum would be lost"),
            (new RunRequest("test:nope", TestWorkflows.NoParameters, null), Actors.Operator(), "unknown workflow"),
        };
        foreach (var (request, actor, expected) in attempts)
        {
            var r = await h.Engine.TriggerAsync(request, actor, Ct);
            Assert.False(r.Accepted);
            Assert.Contains(r.Problems, p => p.Contains(expected, StringComparison.Ordinal));
            Assert.NotNull(r.AuditId);
        }
        var refused = await h.AuditAsync(new AuditQuery(Outcome: AuditOutcome.Refused));
        Assert.Equal(attempts.Length, refused.Count);
        Assert.Contains(refused, a => a is { User: "viewer", Groups: "homeops-viewers" });
        var blocked = Assert.Single(refused, a => a.Message!.Contains("quorum"));
        Assert.StartsWith("BLOCKED: restart of mini01", blocked.PreflightSummary);
        Assert.Empty(await h.Engine.ListRunsAsync(new RunQuery(), Ct));
        Assert.Empty(h.RunsLog());
    }

    [Fact]
    public async Task A_viewer_is_refused_every_command_on_an_existing_run()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        var created = await h.Engine.CreateAsync(new RunRequest("test:three", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        var id = created.RunId!.Value;
        var viewer = Actors.Viewer();
        Assert.False((await h.Engine.StartAsync(id, viewer, Ct)).Accepted);
        Assert.False((await h.Engine.CancelAsync(id, null, viewer, Ct)).Accepted);
        Assert.False((await h.Engine.ResumeAsync(new ResumeRequest(id, "x"), viewer, Ct)).Accepted);
        Assert.False((await h.Engine.AbandonAsync(id, "x", viewer, Ct)).Accepted);
        Assert.False((await h.Engine.CreateAsync(new RunRequest("test:three", TestWorkflows.NoParameters, null), viewer, Ct)).Accepted);
        Assert.False((await h.Engine.PreviewAsync(new RunRequest("test:three", TestWorkflows.NoParameters, null), viewer, Ct)).Valid);
        Assert.Equal(5, (await h.AuditAsync(new AuditQuery(User: "viewer", Outcome: AuditOutcome.Refused))).Count);
        Assert.Equal(RunStatus.Pending, (await h.Engine.GetRunAsync(id, Ct))!.Status);
    }

    [Theory]
    [InlineData("mini02;reboot")]
    [InlineData("$(touch pwned)")]
    [InlineData("mini02`touch pwned`")]
    [InlineData("mini02' || touch pwned '")]
    [InlineData("mini02 mini03")]
    [InlineData("mini02\ntouch pwned")]
    public async Task Hostile_node_names_are_refused_audited_verbatim_and_never_reach_a_process(string hostile)
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        var r = await h.Engine.TriggerAsync(Destructive(nodes: hostile), Actors.Operator(), Ct);
        Assert.False(r.Accepted);
        Assert.Contains(r.Problems, p => p.Contains("is not a node name"));
        var entry = Assert.Single(await h.AuditAsync(new AuditQuery(Outcome: AuditOutcome.Refused)));
        Assert.Equal(hostile, JsonSerializer.Deserialize<Dictionary<string, string>>(entry.Parameters)!["nodes"]);
        Assert.Empty(h.RunsLog());
        Assert.Empty(Directory.GetFiles(h.Checkout, "pwned*"));
    }

    [Theory]
    [InlineData("v1;id")]
    [InlineData("$(id)")]
    [InlineData("\"v1\"")]
    [InlineData("v1 v2")]
    public async Task Hostile_string_parameters_are_refused(string hostile)
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        var r = await h.Engine.TriggerAsync(new RunRequest("test:argv", new Dictionary<string, string?> { ["version"] = hostile }, null), Actors.Operator(), Ct);
        Assert.False(r.Accepted);
        Assert.Contains(r.Problems, p => p.Contains("is rejected: it contains"));
        Assert.False(File.Exists(h.Path("arg1")));
    }

    [Theory]
    [InlineData("-v")]
    [InlineData("--kubeconfig=/tmp/attacker")]
    [InlineData("--force")]
    [InlineData("-")]
    public async Task String_parameters_starting_with_a_dash_are_refused_so_no_flag_can_be_injected(string flag)
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        var r = await h.Engine.TriggerAsync(new RunRequest("test:argv", new Dictionary<string, string?> { ["version"] = flag }, null), Actors.Operator(), Ct);
        Assert.False(r.Accepted);
        var problem = Assert.Single(r.Problems);
        Assert.Contains("parameter 'version' is rejected: it starts with '-'", problem);
        Assert.Contains("command-line flag", problem);
        Assert.Null(r.RunId);
        Assert.False(File.Exists(h.Path("arg1")));
    }

    [Fact]
    public async Task A_valid_parameter_reaches_the_process_as_exactly_one_argument()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        var r = await h.Engine.TriggerAsync(new RunRequest("test:argv", new Dictionary<string, string?> { ["version"] = "v1.10.5+talos:x=y" }, null), Actors.Operator(), Ct);
        var run = await h.Settle(r.RunId!.Value);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Contains("argc=2", run.Steps[0].Output);
        Assert.Equal("v1.10.5+talos:x=y", File.ReadAllText(h.Path("arg1")));
        Assert.Equal("VERSION=v1.10.5+talos:x=y", File.ReadAllText(h.Path("arg2")));
    }

    [Fact]
    public async Task The_shipped_safe_reset_previews_with_the_chosen_nodes_IPs_and_its_pre_flight_and_stores_nothing()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        var preview = await h.Engine.PreviewAsync(new RunRequest(WorkflowIds.SafeReset, TestWorkflows.Nodes("mini02")), Actors.Operator(), Ct);
        Assert.True(preview.Valid, string.Join("; ", preview.Problems));
        Assert.Equal("SAFE-RESET", preview.ExpectedConfirmation);
        Assert.Equal(["task", "maintenance:backup"], preview.Steps[0].Plan.Argv);
        var reset = preview.Steps[1].Plan;
        Assert.Equal(["task", "cluster:safe-reset", "CONFIRM=SAFE-RESET", "NODES=172.29.51.12"], reset.Argv);
        Assert.Equal("172.29.51.12", reset.Env["NODES"]);
        Assert.Equal("SAFE-RESET", reset.Env["CONFIRM"]);
        Assert.Equal("talos/generated/talosconfig", reset.Env["TALOSCONFIG"]);
        Assert.False(reset.Env.ContainsKey("KUBECONFIG")); // {kubeconfig} not configured: inherited, not set empty
        Assert.Equal(["backup", "reset", "nodes-down@mini02"], preview.Steps.Select(s => s.Key));
        Assert.Equal("node-not-ready {node=mini02}", preview.Steps[2].Plan.After[0].ToString());
        Assert.False(preview.Preflight!.IsBlocked, preview.Preflight.Summary);
        Assert.Contains(preview.Preflight.Warnings, w => w.Message.Contains("--graceful=false"));
        Assert.Empty(await h.Engine.ListRunsAsync(new RunQuery(), Ct));

        var twoOfThree = await h.Engine.PreviewAsync(new RunRequest(WorkflowIds.SafeReset, TestWorkflows.Nodes("mini01,mini02")), Actors.Operator(), Ct);
        Assert.True(twoOfThree.Preflight!.IsBlocked);
    }

    [Fact]
    public async Task A_node_without_an_IPv4_address_cannot_be_addressed_and_is_refused()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml, ClusterBuilder.HomeOps().Node("mini02", "True", ipv4: null));
        var r = await h.Engine.TriggerAsync(Destructive(), Actors.Operator(), Ct);
        Assert.Contains(r.Problems, p => p.Contains("mini02 has no IPv4 InternalIP"));
    }

    [Fact]
    public async Task Confirming_re_checks_the_pre_flight_against_the_cluster_as_it_is_now()
    {
        var cluster = ClusterBuilder.HomeOps();
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml, cluster);
        var created = await h.Engine.CreateAsync(new RunRequest("test:destructive", TestWorkflows.Nodes("mini01"), null), Actors.Operator(), Ct);
        Assert.False(created.Preflight!.IsBlocked);

        cluster.Volume("pvc-db", "attached", "degraded", 2, "mini02", null).Apply(h.Store); // a volume degrades meanwhile
        var confirm = await h.Engine.ConfirmAsync(created.RunId!.Value, "DO-IT", "maintenance", Actors.Operator(), Ct);
        Assert.False(confirm.Accepted);
        Assert.Contains(confirm.Problems, p => p.Contains("no healthy replica while its node is down"));
        var run = await h.Engine.GetRunAsync(created.RunId.Value, Ct);
        Assert.True(run!.Preflight!.IsBlocked); // the stored pre-flight is the latest one
        Assert.Equal(RunStatus.AwaitingConfirmation, run.Status);
    }
}
