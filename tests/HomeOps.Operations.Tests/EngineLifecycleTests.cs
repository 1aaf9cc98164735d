using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Tests.Support;

namespace HomeOps.Operations.Tests;

/// <summary>State transitions, resume, force, gate-only re-checks — real processes, a real SQLite file.</summary>
public class EngineLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_plain_run_goes_Pending_Running_Succeeded_and_is_recorded()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        var seen = new List<RunStatus>();
        using var sub = h.Engine.Events.SubscribeAll(e => { if (e is RunStatusChanged s) lock (seen) seen.Add(s.Status); });

        var created = await h.Engine.CreateAsync(new RunRequest("test:three", TestWorkflows.NoParameters, "routine"), Actors.Operator(), Ct);
        Assert.True(created.Accepted, created.ToString());
        Assert.Equal(RunStatus.Pending, created.Status);
        var started = await h.Engine.StartAsync(created.RunId!.Value, Actors.Operator(), Ct);
        Assert.True(started.Accepted, started.ToString());

        var run = await h.Settle(created.RunId.Value);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(["one", "two", "three"], h.RunsLog());
        Assert.All(run.Steps, s => Assert.Equal((StepStatus.Succeeded, 0, 1), (s.Status, s.ExitCode, s.Attempts)));
        Assert.Contains("done two", run.Steps[1].Output);
        Assert.Contains("▸ $ /bin/sh step.sh two", run.Steps[1].Output);
        lock (seen) Assert.Equal([RunStatus.Pending, RunStatus.Running, RunStatus.Running, RunStatus.Running, RunStatus.Running, RunStatus.Succeeded], seen);

        var audit = await h.AuditAsync(new AuditQuery(RunId: run.Id));
        Assert.Contains(audit, a => a is { Action: "run.create", Outcome: AuditOutcome.Accepted });
        var start = Assert.Single(audit, a => a.Action == "run.start");
        Assert.Equal((AuditOutcome.Succeeded, 0), (start.Outcome, start.ExitCode));
        Assert.NotNull(start.EndedAt);
        Assert.Equal("admin", start.User);
        Assert.Contains("homeops-operators", start.Groups);
    }

    [Fact]
    public async Task A_destructive_run_waits_for_the_typed_confirmation_and_refusals_leave_it_waiting()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        var created = await h.Engine.CreateAsync(new RunRequest("test:destructive", TestWorkflows.Nodes("mini01,mini03"), null), Actors.Operator(), Ct);
        Assert.Equal(RunStatus.AwaitingConfirmation, created.Status);
        Assert.NotNull(created.Preflight);
        var id = created.RunId!.Value;
        Assert.Equal(["act", "each@mini01", "each@mini03"], (await h.Engine.GetRunAsync(id, Ct))!.Steps.Select(s => s.Key));

        var wrong = await h.Engine.ConfirmAsync(id, "do-it", "maintenance window", Actors.Operator(), Ct);
        Assert.False(wrong.Accepted);
        Assert.Contains(wrong.Problems, p => p.Contains("exactly 'DO-IT'"));
        var stale = await h.Engine.ConfirmAsync(id, "DO-IT", "maintenance window", Actors.StaleOperator(), Ct);
        Assert.Contains(stale.Problems, p => p.Contains("step-up"));
        var noReason = await h.Engine.ConfirmAsync(id, "DO-IT", "  ", Actors.Operator(), Ct);
        Assert.Contains(noReason.Problems, p => p.Contains("reason is required"));
        var start = await h.Engine.StartAsync(id, Actors.Operator(), Ct);
        Assert.Contains(start.Problems, p => p.Contains("starts by confirming"));
        Assert.Equal(RunStatus.AwaitingConfirmation, (await h.Engine.GetRunAsync(id, Ct))!.Status);
        Assert.Empty(h.RunsLog());

        var ok = await h.Engine.ConfirmAsync(id, "DO-IT", "maintenance window", Actors.Operator(), Ct);
        Assert.True(ok.Accepted, ok.ToString());
        var run = await h.Settle(id);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("maintenance window", run.Reason);
        Assert.Equal("DO-IT", run.Confirmation);
        Assert.Equal("mini03", File.ReadAllText(h.Path("arg1")));
        Assert.Equal("172.29.51.13", File.ReadAllText(h.Path("arg2")));
        Assert.Equal("NODES=172.29.51.11,172.29.51.13", File.ReadAllText(h.Path("arg3")));

        var refused = await h.AuditAsync(new AuditQuery(Outcome: AuditOutcome.Refused, RunId: id));
        Assert.Equal(4, refused.Count);
        Assert.Contains(refused, a => a.Confirmation == "do-it");
        var started = Assert.Single(await h.AuditAsync(new AuditQuery(Action: "run.start", Outcome: AuditOutcome.Succeeded, RunId: id)));
        Assert.Equal("DO-IT", started.Confirmation);
        Assert.Equal("maintenance window", started.Reason);
        Assert.StartsWith("OK: restart of mini01, mini03", started.PreflightSummary);
        Assert.Equal("test:destructive mini01,mini03", started.Target);
    }

    [Fact]
    public async Task Resume_continues_from_the_failed_step_and_never_reruns_completed_ones()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        h.Touch("fail-two");
        var first = await h.Engine.TriggerAsync(new RunRequest("test:three", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        var failed = await h.Settle(first.RunId!.Value);
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal((StepStatus.Failed, 3), (failed.Steps[1].Status, failed.Steps[1].ExitCode));
        Assert.Equal("exited with code 3", failed.Steps[1].Message);
        Assert.Contains("failing two on purpose", failed.Steps[1].Output);
        Assert.Equal(StepStatus.Pending, failed.Steps[2].Status);
        Assert.Equal(["one", "two"], h.RunsLog());

        h.Delete("fail-two");
        var resumed = await h.Engine.ResumeAsync(new ResumeRequest(failed.Id, "fixed the cause"), Actors.Operator(), Ct);
        Assert.True(resumed.Accepted, resumed.ToString());
        var done = await h.Settle(failed.Id);
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.Equal(["one", "two", "two", "three"], h.RunsLog());
        Assert.Equal([1, 2, 1], done.Steps.Select(s => s.Attempts));
        Assert.Contains("attempt 2 of Two", done.Steps[1].Output);

        var again = await h.Engine.ResumeAsync(new ResumeRequest(failed.Id, "once more"), Actors.Operator(), Ct);
        Assert.False(again.Accepted);
        Assert.Contains(again.Problems, p => p.Contains("only a Failed or Interrupted run can be resumed"));
        Assert.Equal(4, h.RunsLog().Length);
    }

    [Fact]
    public async Task Forcing_a_completed_step_reruns_it_explicitly_and_is_recorded()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        h.Touch("fail-three");
        var run = await h.Engine.TriggerAsync(new RunRequest("test:three", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        var id = run.RunId!.Value;
        Assert.Equal(RunStatus.Failed, (await h.Settle(id)).Status);
        h.Delete("fail-three");

        var noReason = await h.Engine.ResumeAsync(new ResumeRequest(id, null, ForceSteps: ["one"]), Actors.Operator(), Ct);
        Assert.Contains(noReason.Problems, p => p.Contains("reason"));
        var unknown = await h.Engine.ResumeAsync(new ResumeRequest(id, "x", ForceSteps: ["four"]), Actors.Operator(), Ct);
        Assert.Contains(unknown.Problems, p => p.Contains("no step 'four'"));

        var forced = await h.Engine.ResumeAsync(new ResumeRequest(id, "re-apply config", ForceSteps: ["one"]), Actors.Operator("alice"), Ct);
        Assert.True(forced.Accepted, forced.ToString());
        var done = await h.Settle(id);
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.Equal(["one", "two", "three", "one", "three"], h.RunsLog());
        Assert.Equal(("alice", 2), (done.Steps[0].ForcedBy, done.Steps[0].Attempts));
        Assert.NotNull(done.Steps[0].ForcedAt);
        Assert.Equal(1, done.Steps[1].Attempts);
        var audit = Assert.Single(await h.AuditAsync(new AuditQuery(Action: "run.resume", Outcome: AuditOutcome.Succeeded)));
        Assert.Contains("\"force\":[\"one\"]", audit.Parameters);
        Assert.Equal("alice", audit.User);
    }

    [Fact]
    public async Task A_failed_after_gate_is_rechecked_on_resume_without_rerunning_the_command()
    {
        var cluster = ClusterBuilder.HomeOps().Node("mini02", "False", "172.29.51.12");
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml, cluster);
        var run = await h.Engine.TriggerAsync(new RunRequest("test:gated", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        var failed = await h.Settle(run.RunId!.Value);
        Assert.Equal(RunStatus.Failed, failed.Status);
        var step = failed.Steps[0];
        Assert.True(step.CommandSucceeded);
        Assert.Equal(0, step.ExitCode);
        Assert.Contains("after-gate node-ready {node=mini02} did not pass: node mini02 Ready=False", step.Message);
        Assert.Contains("re-checks this gate without re-running it", step.Message);
        var gate = Assert.Single(step.Gates);
        Assert.Equal(("after", GateOutcome.Failed), (gate.Phase, gate.Result.Outcome));

        cluster.Node("mini02", "True", "172.29.51.12").Apply(h.Store);
        await h.Engine.ResumeAsync(new ResumeRequest(failed.Id, "mini02 is back"), Actors.Operator(), Ct);
        var done = await h.Settle(failed.Id);
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.Equal(["act"], h.RunsLog());
        Assert.Contains("re-checking the after-gates only", done.Steps[0].Output);
        Assert.Equal([GateOutcome.Failed, GateOutcome.Passed], done.Steps[0].Gates.Select(g => g.Result.Outcome));
    }

    [Fact]
    public async Task A_failed_before_gate_stops_the_step_before_its_command_and_skipped_gates_do_not_block()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml, ClusterBuilder.HomeOps().Node("mini03", "Unknown", "172.29.51.13"));
        var run = await h.Engine.TriggerAsync(new RunRequest("test:before-gate", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        var failed = await h.Settle(run.RunId!.Value);
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.StartsWith("before-gate nodes-ready {count=3} did not pass: 2 of 3 nodes Ready", failed.Steps[0].Message);
        Assert.False(failed.Steps[0].CommandSucceeded);
        Assert.Empty(h.RunsLog());

        ClusterBuilder.HomeOps().BgpPeeringPolicy("bgp-peering-policy").Apply(h.Store);
        await h.Engine.ResumeAsync(new ResumeRequest(failed.Id, null), Actors.Operator(), Ct);
        var done = await h.Settle(failed.Id);
        Assert.Equal(RunStatus.Succeeded, done.Status);
        var skipped = done.Steps[0].Gates.Last();
        Assert.Equal(GateOutcome.Skipped, skipped.Result.Outcome);
        Assert.Contains("reports no BGP session state", skipped.Result.Message);
    }

    [Fact]
    public async Task The_answer_to_a_y_N_prompt_is_given_on_stdin()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        var run = await h.Engine.TriggerAsync(new RunRequest("test:prompt", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        var done = await h.Settle(run.RunId!.Value);
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.Contains("answer=[y]", done.Steps[0].Output);
        Assert.Contains("[stdin answered]", done.Steps[0].Output);
    }

    [Fact]
    public async Task Pending_and_awaiting_runs_can_be_cancelled_and_failed_ones_abandoned()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        var awaiting = await h.Engine.CreateAsync(new RunRequest("test:destructive", TestWorkflows.Nodes("mini01"), null), Actors.Operator(), Ct);
        var cancel = await h.Engine.CancelAsync(awaiting.RunId!.Value, "changed my mind", Actors.Operator(), Ct);
        Assert.Equal(RunStatus.Cancelled, cancel.Status);
        var late = await h.Engine.ConfirmAsync(awaiting.RunId.Value, "DO-IT", "x", Actors.Operator(), Ct);
        Assert.Contains(late.Problems, p => p.Contains("not awaiting confirmation"));

        h.Touch("fail-one");
        var failed = await h.Engine.TriggerAsync(new RunRequest("test:three", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        await h.Settle(failed.RunId!.Value);
        Assert.Contains((await h.Engine.AbandonAsync(failed.RunId.Value, null, Actors.Operator(), Ct)).Problems, p => p.Contains("reason"));
        var abandoned = await h.Engine.AbandonAsync(failed.RunId.Value, "superseded by a new run", Actors.Operator(), Ct);
        Assert.True(abandoned.Accepted);
        var run = await h.Engine.GetRunAsync(failed.RunId.Value, Ct);
        Assert.Equal(RunStatus.Cancelled, run!.Status);
        Assert.Equal("abandoned by admin: superseded by a new run", run.Message);
        Assert.False(run.CanResume);
    }

    [Fact]
    public async Task Output_is_streamed_live_in_full_and_stored_bounded()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml, configure: o => o.OutputLimitBytes = 4096);
        var created = await h.Engine.CreateAsync(new RunRequest("test:noisy", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        var id = created.RunId!.Value;
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var reader = h.Engine.Events.Watch(id, watch.Token, capacity: 10_000);
        await h.Engine.StartAsync(id, Actors.Operator(), Ct);
        var run = await h.Settle(id);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        await watch.CancelAsync();

        var live = new List<StepOutput>();
        await foreach (var e in reader.ReadAllAsync(Ct)) if (e is StepOutput o) live.Add(o);
        var stdout = live.Where(o => o.Stream == Runners.OutputStream.Stdout).Select(o => o.Text).ToList();
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => $"line {i} of the noisy step output"), stdout);
        Assert.Equal(live.Select(o => o.LineNumber).Order(), live.Select(o => o.LineNumber));

        var step = run.Steps[0];
        Assert.True(step.OutputTruncated);
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(step.Output), 3000, 4096);
        Assert.Contains("line 1999 of the noisy step output", step.Output);
        Assert.DoesNotContain("line 0 of", step.Output);
        Assert.True(step.OutputLineCount >= 2000);
    }
}
