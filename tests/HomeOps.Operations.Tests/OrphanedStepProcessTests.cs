using System.Diagnostics;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Runners;
using HomeOps.Operations.Tests.Support;

namespace HomeOps.Operations.Tests;

/// <summary>
/// The dashboard dies but its step's process does not (a plain host: nothing takes the child down with its parent).
/// The next engine finds exactly that process — pid and start time — kills its tree, says so in the step's log and the
/// audit, and only then is the run resumable. Real processes; the "crash" is an engine abandoned without being
/// stopped, with the next engine opening the database as it was at that instant.
/// </summary>
public class OrphanedStepProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_step_process_that_outlived_its_dashboard_is_found_killed_logged_and_audited_and_the_run_resumes()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "process identity needs /proc");
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        h.Touch("block-two");
        var run = await h.Engine.TriggerAsync(new RunRequest("test:three", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        var id = run.RunId!.Value;
        await Wait.Until(() => File.Exists(h.Path("pid-two")) && new FileInfo(h.Path("pid-two")).Length > 0, "step two is running");
        var pid = Processes.ReadPid(h.Path("pid-two")); // sh, then exec sleep: the same process the runner started
        await Wait.Until(async () => (await h.StoredStepAsync(id, 1)).ProcessId == pid, "step two's pid is recorded");
        // Output is flushed every OutputFlushInterval; a crash loses at most the last interval, so crash after a flush.
        await Wait.Until(async () => (await h.StoredStepAsync(id, 1)).Output.Contains("running two", StringComparison.Ordinal), "step two's output is stored");
        var stored = await h.StoredStepAsync(id, 1);
        Assert.Equal(ProcessIdentity.ReadStartTicks(pid), stored.ProcessStartTicks);
        Assert.Equal(ProcessIdentity.CurrentHost, stored.ProcessHost);

        var engine = await h.CrashAndRestartAsync();

        Assert.True(Processes.IsGone(pid), $"the orphaned step process {pid} must be gone once recovery has run");
        var interrupted = (await engine.GetRunAsync(id, Ct))!;
        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.Contains($"its step process pid {pid} was still running and was killed at recovery", interrupted.Message);
        Assert.Equal([StepStatus.Succeeded, StepStatus.Interrupted, StepStatus.Pending], interrupted.Steps.Select(s => s.Status));
        var two = interrupted.Steps[1];
        Assert.Equal($"interrupted: the dashboard stopped while this step ran; its process (pid {pid}) was still running and was killed at recovery", two.Message);
        Assert.Contains("running two", two.Output); // what was stored before the crash is kept
        Assert.EndsWith($"▸ recovery: orphaned step process pid {pid} ($ /bin/sh step.sh two) was still running after the dashboard stopped: process tree killed", two.Output);

        var audit = await h.AuditAsync(new AuditQuery(RunId: id));
        var recovered = Assert.Single(audit, a => a.Action == "run.recover-orphan");
        Assert.Equal((AuditOutcome.Succeeded, "system", "test:three"), (recovered.Outcome, recovered.User, recovered.Target));
        Assert.Contains($"pid {pid}", recovered.Message);
        Assert.Contains("\"command\":\"/bin/sh step.sh two\"", recovered.Parameters);
        Assert.Equal(AuditOutcome.Interrupted, Assert.Single(audit, a => a.Action == "run.start").Outcome);

        h.Delete("block-two");
        var resumed = await engine.ResumeAsync(new ResumeRequest(id, "after the crash"), Actors.Operator(), Ct);
        Assert.True(resumed.Accepted, resumed.ToString());
        Assert.Equal(RunStatus.Succeeded, (await h.Settle(id)).Status);
        // One ran once; two ran before the crash (killed at recovery) and once on the explicit resume; three once.
        Assert.Equal(["one", "two", "two", "three"], h.RunsLog());
    }

    [Fact]
    public async Task Recovery_kills_the_orphans_whole_tree_not_just_the_process_it_started()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "process identity needs /proc");
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        var run = await h.Engine.TriggerAsync(new RunRequest("test:tree", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        var id = run.RunId!.Value;
        await Wait.Until(() => File.Exists(h.Path("child.pid")) && new FileInfo(h.Path("child.pid")).Length > 0
            && File.Exists(h.Path("parent.pid")) && new FileInfo(h.Path("parent.pid")).Length > 0, "the script and its child started");
        var parent = Processes.ReadPid(h.Path("parent.pid"));
        var child = Processes.ReadPid(h.Path("child.pid"));
        await Wait.Until(async () => (await h.StoredStepAsync(id, 0)).ProcessId == parent, "the step's pid is recorded");

        var engine = await h.CrashAndRestartAsync();

        Assert.True(Processes.IsGone(parent), "the step's process is gone");
        await Wait.Until(() => Processes.IsGone(child), "its child sleep is gone too (killed with the tree)");
        var step = (await engine.GetRunAsync(id, Ct))!.Steps[0];
        Assert.Equal(StepStatus.Interrupted, step.Status);
        Assert.Contains("process tree killed", step.Output);
    }

    [Fact]
    public async Task A_recorded_pid_now_held_by_an_unrelated_process_or_recorded_on_another_host_is_left_alone()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "process identity needs /proc");
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        using var unrelated = StartSleep();
        var ticks = ProcessIdentity.ReadStartTicks(unrelated.Id);
        Assert.NotNull(ticks);
        var now = DateTimeOffset.UtcNow;
        // The pid was reused: same number, another start time.
        var reused = await h.InsertRunAsync("test-instance", now, configure: s => Record(s, unrelated.Id, ticks + 1, ProcessIdentity.CurrentHost));
        // The same pid and start time, but in another process table (another replica's pod): nothing can be known here.
        var elsewhere = await h.InsertRunAsync("test-instance", now, configure: s => Record(s, unrelated.Id, ticks, "boot=another-machine pidns=pid:[1]"));

        var engine = await h.RestartAsync();

        Assert.Equal(StepProcessState.Alive, ProcessIdentity.Check(ProcessIdentity.Capture(unrelated.Id)));
        Assert.False(unrelated.HasExited);
        var a = (await engine.GetRunAsync(reused, Ct))!;
        Assert.Equal(RunStatus.Interrupted, a.Status);
        Assert.Equal("interrupted: the process running this step went away", a.Steps[1].Message);
        Assert.DoesNotContain("recovery:", a.Steps[1].Output);
        var b = (await engine.GetRunAsync(elsewhere, Ct))!;
        Assert.Equal(RunStatus.Interrupted, b.Status);
        Assert.Equal($"interrupted: the process running this step went away (pid {unrelated.Id} could not be checked from this host)", b.Steps[1].Message);
        Assert.Empty(await h.AuditAsync(new AuditQuery(Action: "run.recover-orphan")));
        Assert.True((await engine.ResumeAsync(new ResumeRequest(reused, "pid was reused"), Actors.Operator(), Ct)).Accepted);
        Assert.Equal(RunStatus.Succeeded, (await h.Settle(reused)).Status);
    }

    [Theory]
    [InlineData(StepStatus.Interrupted)] // an orphan that survived recovery's kill
    [InlineData(StepStatus.Running)]     // recovery has claimed the run and not yet reached its step
    public async Task While_an_interrupted_runs_step_process_is_still_alive_resume_and_destructive_starts_are_refused(StepStatus stepTwo)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "process identity needs /proc");
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        using var survivor = StartSleep();
        var identity = ProcessIdentity.Capture(survivor.Id);
        var id = await h.InsertRunAsync("test-instance", DateTimeOffset.UtcNow, RunStatus.Interrupted, stepTwo,
            s => Record(s, identity.Pid, identity.StartTicks, identity.Host));

        var resume = await h.Engine.ResumeAsync(new ResumeRequest(id, "too early"), Actors.Operator(), Ct);
        Assert.False(resume.Accepted);
        var why = Assert.Single(resume.Problems);
        Assert.Contains($"(pid {survivor.Id}) outlived its dashboard and is still running", why);
        var destructive = await h.Engine.TriggerAsync(new RunRequest("test:destructive", TestWorkflows.Nodes("mini02"), "maintenance", "DO-IT"), Actors.Operator(), Ct);
        Assert.False(destructive.Accepted);
        Assert.Contains(destructive.Problems, p => p.Contains($"pid {survivor.Id}", StringComparison.Ordinal));
        var refused = await h.AuditAsync(new AuditQuery(Outcome: AuditOutcome.Refused));
        Assert.Contains(refused, a => a.Action == "run.resume" && a.RunId == id && a.Message!.Contains($"pid {survivor.Id}", StringComparison.Ordinal));
        Assert.Empty(h.RunsLog());

        survivor.Kill();
        await survivor.WaitForExitAsync(Ct);
        var resumed = await h.Engine.ResumeAsync(new ResumeRequest(id, "it exited"), Actors.Operator(), Ct);
        Assert.True(resumed.Accepted, resumed.ToString());
        Assert.Equal(RunStatus.Succeeded, (await h.Settle(id)).Status);
        Assert.Equal(["two", "three"], h.RunsLog());
    }

    private static void Record(StepRecord s, int pid, long? startTicks, string? host)
    {
        s.ProcessId = pid;
        s.ProcessStartTicks = startTicks;
        s.ProcessHost = host;
    }

    /// <summary>A real process the test owns (killed when disposed).</summary>
    private static KilledOnDispose StartSleep()
    {
        var p = Process.Start(new ProcessStartInfo("sleep", "1000") { UseShellExecute = false })!;
        return new KilledOnDispose(p);
    }

    private sealed class KilledOnDispose(Process process) : IDisposable
    {
        public int Id => process.Id;
        public bool HasExited => process.HasExited;
        public void Kill() => process.Kill();
        public Task WaitForExitAsync(CancellationToken ct) => process.WaitForExitAsync(ct);

        public void Dispose()
        {
            try { if (!process.HasExited) process.Kill(); } catch (InvalidOperationException) { }
            process.Dispose();
        }
    }
}
