using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Tests.Support;

namespace HomeOps.Operations.Tests;

/// <summary>Killing, timing out and restarting with real processes and the same SQLite file.</summary>
public class EngineProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cancel_kills_the_process_tree_and_the_run_ends_Cancelled()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        var run = await h.Engine.TriggerAsync(new RunRequest("test:tree", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        await Wait.Until(() => File.Exists(h.Path("child.pid")) && File.Exists(h.Path("parent.pid")) && new FileInfo(h.Path("child.pid")).Length > 0, "the script and its child started");
        var child = Processes.ReadPid(h.Path("child.pid"));
        var parent = Processes.ReadPid(h.Path("parent.pid"));
        Assert.False(Processes.IsGone(child));

        var cancel = await h.Engine.CancelAsync(run.RunId!.Value, "wrong button", Actors.Operator("bob"), Ct);
        Assert.True(cancel.Accepted, cancel.ToString());
        var done = await h.Settle(run.RunId.Value);
        Assert.Equal(RunStatus.Cancelled, done.Status);
        Assert.Equal(StepStatus.Cancelled, done.Steps[0].Status);
        Assert.Equal("cancelled by bob", done.Steps[0].Message);
        Assert.Contains("process tree killed", done.Steps[0].Output);
        await Wait.Until(() => Processes.IsGone(parent) && Processes.IsGone(child), "sh and its child sleep are gone");

        var audit = await h.AuditAsync(new AuditQuery(RunId: done.Id));
        Assert.Contains(audit, a => a is { Action: "run.cancel", User: "bob", Reason: "wrong button" });
        Assert.Contains(audit, a => a is { Action: "run.start", Outcome: AuditOutcome.Cancelled });
    }

    [Fact]
    public async Task A_step_that_exceeds_its_timeout_is_killed_and_fails_saying_so()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        h.Touch("block-slow");
        var run = await h.Engine.TriggerAsync(new RunRequest("test:slow", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        var done = await h.Settle(run.RunId!.Value);
        Assert.Equal(RunStatus.Failed, done.Status);
        Assert.Equal("timed out after 1s", done.Steps[0].Message);
        Assert.Null(done.Steps[0].ExitCode);
        Assert.Contains("timed out after 1s: process tree killed", done.Steps[0].Output);
        Assert.Equal("step slow: timed out after 1s", done.Message);
        await Wait.Until(() => Processes.IsGone(Processes.ReadPid(h.Path("pid-slow"))), "the sleeping step is gone");
    }

    [Fact]
    public async Task A_restart_mid_run_leaves_it_Interrupted_and_resuming_runs_nothing_twice()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        h.Touch("block-two");
        var run = await h.Engine.TriggerAsync(new RunRequest("test:three", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        var id = run.RunId!.Value;
        await Wait.Until(() => File.Exists(h.Path("pid-two")) && new FileInfo(h.Path("pid-two")).Length > 0, "step two is running");
        var pid = Processes.ReadPid(h.Path("pid-two"));

        var engine = await h.RestartAsync(); // disposes the engine while step two runs, then opens the same SQLite file

        await Wait.Until(() => Processes.IsGone(pid), "the interrupted step's process is gone");
        var interrupted = (await engine.GetRunAsync(id, Ct))!;
        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.True(interrupted.CanResume);
        Assert.True(interrupted.CanAbandon);
        Assert.Equal([StepStatus.Succeeded, StepStatus.Interrupted, StepStatus.Pending], interrupted.Steps.Select(s => s.Status));
        Assert.Contains("running two", interrupted.Steps[1].Output); // output written before the stop was kept
        Assert.Equal(AuditOutcome.Interrupted, Assert.Single(await h.AuditAsync(new AuditQuery(Action: "run.start", RunId: id))).Outcome);

        h.Delete("block-two");
        var resumed = await engine.ResumeAsync(new ResumeRequest(id, "after restart"), Actors.Operator(), Ct);
        Assert.True(resumed.Accepted, resumed.ToString());
        var done = await h.Settle(id);
        Assert.Equal(RunStatus.Succeeded, done.Status);
        // Step one completed before the restart and never ran again; step two was interrupted mid-way and ran again on the explicit resume.
        Assert.Equal(["one", "two", "two", "three"], h.RunsLog());
        Assert.Equal([1, 2, 1], done.Steps.Select(s => s.Attempts));
    }

    [Fact]
    public async Task On_startup_runs_left_Running_by_a_crash_become_Interrupted_but_a_live_replicas_runs_are_left_alone()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        var now = DateTimeOffset.UtcNow;
        var mine = await h.InsertRunAsync("test-instance", now);                         // this instance, before a crash
        var deadReplica = await h.InsertRunAsync("dashboard-7f9c-abcde", now.AddMinutes(-5)); // another replica, silent for 5 min
        var liveReplica = await h.InsertRunAsync("dashboard-7f9c-fghij", now);             // another replica, heartbeat fresh

        var engine = await h.RestartAsync();

        var a = (await engine.GetRunAsync(mine, Ct))!;
        Assert.Equal(RunStatus.Interrupted, a.Status);
        Assert.Contains("the dashboard restarted", a.Message);
        Assert.Equal([StepStatus.Succeeded, StepStatus.Interrupted, StepStatus.Pending], a.Steps.Select(s => s.Status));
        Assert.Equal(RunStatus.Interrupted, (await engine.GetRunAsync(deadReplica, Ct))!.Status);
        Assert.Contains("stopped sending heartbeats", (await engine.GetRunAsync(deadReplica, Ct))!.Message);
        Assert.Equal(RunStatus.Running, (await engine.GetRunAsync(liveReplica, Ct))!.Status);
        Assert.Equal(AuditOutcome.Interrupted, (await h.AuditAsync(new AuditQuery(RunId: mine))).Single().Outcome);

        // Interrupted is resumable: step one is not run again.
        await engine.ResumeAsync(new ResumeRequest(mine, "after crash"), Actors.Operator(), Ct);
        Assert.Equal(RunStatus.Succeeded, (await h.Settle(mine)).Status);
        Assert.Equal(["two", "three"], h.RunsLog());
    }
}
