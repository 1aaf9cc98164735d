using HomeOps.Operations.Audit;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Runners;
using Microsoft.Extensions.Logging;

namespace HomeOps.Operations.Engine;

/// <summary>
/// What recovery does with the step that was running when its dashboard stopped. If the dashboard died but the step's
/// process did not (a plain host, not a pod: nothing takes the child down with its parent), that process — say
/// <c>talosctl reset</c> — is still acting on the cluster, so "the process went away" would be untrue and a resume could
/// run the same destructive command beside it.
/// <para>
/// The process is killed (whole tree) rather than waited for. Waiting would leave a destructive command running with
/// nobody reading its output (its pipes' reader is gone), no timeout enforced and — the dead dashboard's Lease expiring,
/// an in-process lock being new after a restart — no lock held, so another destructive run could start beside it.
/// Killing puts the cluster back into the state the engine already knows how to handle: a step interrupted mid-way,
/// resumed only by an operator, with its after-gates checked against the live cluster. A process that does not die is
/// not hidden: resume and every destructive start are refused while it lives (<see cref="FindLiveAsync"/>).
/// </para>
/// <para>
/// Identity is pid + start time + process table (<see cref="ProcessIdentity"/>), so a reused pid is never killed.
/// Without /proc (not Linux), without a recorded start time, or for a process of another host or pid namespace (another
/// replica's pod), nothing can be known and today's behaviour stays: the step is marked interrupted.
/// </para>
/// </summary>
internal sealed class StepProcessRecovery(RunStore store, IAuditLog audit, RunEventHub events, OperationsOptions options, TimeProvider time, ILogger log)
{
    /// <summary>How long a killed orphan may take to disappear before it is reported as still alive.</summary>
    public static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    public const string GoneMessage = "interrupted: the process running this step went away";

    /// <summary>
    /// Marks <paramref name="running"/> steps of an interrupted run Interrupted, killing each one's process if it
    /// outlived the dashboard. Returns sentences for the run's message (one per orphan found), empty when there was none.
    /// </summary>
    public async Task<List<string>> InterruptAsync(RunRecord run, List<StepRecord> running, DateTimeOffset now, CancellationToken ct)
    {
        var notes = new List<string>();
        foreach (var s in running)
        {
            s.Status = StepStatus.Interrupted;
            s.EndedAt = now;
            var process = Recorded(s);
            var state = process is null ? StepProcessState.Unknown : ProcessIdentity.Check(process);
            if (state != StepProcessState.Alive)
            {
                s.Message = state == StepProcessState.Unknown && process is not null
                    ? $"{GoneMessage} (pid {process.Pid} could not be checked from this host)"
                    : GoneMessage;
                continue;
            }

            var command = RunExecutor.DisplayCommand(EngineJson.Read<StepPlan>(s.PlanJson).Argv);
            ProcessIdentity.KillTree(process!);
            var gone = await WaitGoneAsync(process!, ct).ConfigureAwait(false);
            var line = gone
                ? $"recovery: orphaned step process pid {process!.Pid} ($ {command}) was still running after the dashboard stopped: process tree killed"
                : $"recovery: orphaned step process pid {process!.Pid} ($ {command}) was still running after the dashboard stopped and survived a kill: resume is refused until it exits";
            s.Message = gone
                ? $"interrupted: the dashboard stopped while this step ran; its process (pid {process.Pid}) was still running and was killed at recovery"
                : $"interrupted: its process (pid {process.Pid}) outlived the dashboard and is still running after a kill; resume is refused until it exits";
            AppendSystemLine(run.Id, s, line, now);
            await audit.RecordAsync(new AuditEntry
            {
                At = now,
                User = "system",
                Groups = "",
                Action = AuditAction.RunRecoverOrphan.Name,
                Target = run.WorkflowId,
                Parameters = System.Text.Json.JsonSerializer.Serialize(new { step = RunExecutor.Key(s), pid = process.Pid, command, instance = options.InstanceId }),
                StartedAt = now,
                EndedAt = time.GetUtcNow(),
                Outcome = gone ? AuditOutcome.Succeeded : AuditOutcome.Failed,
                RunId = run.Id,
                Message = line,
            }, ct).ConfigureAwait(false);
            if (gone) log.LogWarning("Run {RunId}: orphaned step process {Pid} ({Command}) found at recovery and killed", run.Id, process.Pid, command);
            else log.LogError("Run {RunId}: orphaned step process {Pid} ({Command}) survived a kill at recovery", run.Id, process.Pid, command);
            notes.Add(gone
                ? $"its step process pid {process.Pid} was still running and was killed at recovery"
                : $"its step process pid {process.Pid} is still running after a kill at recovery; resume is refused until it exits");
        }
        if (running.Count > 0) await store.SaveStepsAsync(running, ct).ConfigureAwait(false);
        return notes;
    }

    /// <summary>
    /// A step process that outlived its dashboard and is still alive (recovery could not kill it), in
    /// <paramref name="runId"/> or, when null, in any run: the reason a resume or destructive start is refused, or null.
    /// </summary>
    public async Task<string?> FindLiveAsync(Guid? runId, CancellationToken ct)
    {
        foreach (var s in await store.UnownedStepsWithProcessAsync(runId, ct).ConfigureAwait(false))
            if (Recorded(s) is { } p && ProcessIdentity.Check(p) == StepProcessState.Alive)
                return $"the process of step {RunExecutor.Key(s)} of run {s.RunId} (pid {p.Pid}) outlived its dashboard and is still running: nothing may run beside it until it exits";
        return null;
    }

    private static StepProcess? Recorded(StepRecord s) => s.ProcessId is { } pid ? new StepProcess(pid, s.ProcessStartTicks, s.ProcessHost) : null;

    private async Task<bool> WaitGoneAsync(StepProcess process, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        while (ProcessIdentity.Check(process) == StepProcessState.Alive)
        {
            if (time.GetElapsedTime(started) > KillWait) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, ct).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>Adds an engine line to the step's stored output (and to live viewers), as the executor would have.</summary>
    private void AppendSystemLine(Guid runId, StepRecord s, string text, DateTimeOffset now)
    {
        var buffer = new OutputBuffer(options.OutputLimitBytes, s.Output, s.OutputTruncated, s.OutputLineCount);
        var n = buffer.Add("▸ " + text);
        (s.Output, s.OutputTruncated, s.OutputLineCount) = buffer.Snapshot();
        events.Publish(new StepOutput(runId, now, s.Ordinal, n, OutputStream.System, text));
    }
}
