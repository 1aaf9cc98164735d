using HomeOps.Operations.Audit;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Guards;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Runners;
using HomeOps.Operations.Workflows;
using Microsoft.Extensions.Logging;

namespace HomeOps.Operations.Engine;

/// <summary>
/// Executes one run from its first unfinished step: before-gates, the command (with timeout, live output, bounded
/// storage), after-gates. A step whose command already succeeded (an after-gate failed) only re-checks its gates on
/// resume. Stops at the first step that does not succeed. Keeps a heartbeat and honours cancel requests from any replica.
/// </summary>
internal sealed class RunExecutor(
    RunStore store,
    RunEventHub events,
    GateWaiter gates,
    IReadOnlyDictionary<string, IStepRunner> runners,
    IAuditLog audit,
    OperationsOptions options,
    TimeProvider time,
    ILogger log,
    SecretMasker secrets)
{
    public async Task ExecuteAsync(ActiveRun active)
    {
        var final = RunStatus.Failed;
        string? message = null;
        int? exitCode = null;
        string? workflowId = null;
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatLoopAsync(active, heartbeatStop.Token);
        // A lost lock stops the run at once, also in the middle of a step: the step's process tree is killed, so that it
        // cannot overlap a destructive run another replica starts once it holds the Lease. (Fires at once if already lost.)
        using var lockLost = active.Lock is { } held
            ? held.Lost.Register(() => active.RequestStop(StopKind.LockLost, held.LostReason ?? "its Lease could not be renewed"))
            : default;
        try
        {
            var run = await store.LoadAsync(active.Id, withSteps: true, CancellationToken.None).ConfigureAwait(false);
            if (run is null) { message = "the run record vanished"; return; }
            workflowId = run.WorkflowId;
            // Started with the API-unreachable override: gates on API data that is not live are recorded as not checked.
            var apiOverride = run.PreflightJson is { } pfJson && EngineJson.Read<PreflightReport>(pfJson).ApiUnreachableOverride;
            var notChecked = 0;
            final = RunStatus.Succeeded;
            foreach (var step in run.Steps)
            {
                if (step.Status is StepStatus.Succeeded or StepStatus.Skipped) continue;
                if (active.Stop != StopKind.None)
                {
                    (final, message) = active.Stop switch
                    {
                        StopKind.User => (RunStatus.Cancelled, $"cancelled by {active.StopBy}"),
                        StopKind.LockLost => (RunStatus.Interrupted, LockLostMessage(active)),
                        _ => (RunStatus.Interrupted, "interrupted: the dashboard stopped"),
                    };
                    break;
                }
                var now = time.GetUtcNow();
                await store.UpdateAsync(run.Id, r => { r.CurrentStep = step.Ordinal; r.UpdatedAt = now; }, CancellationToken.None).ConfigureAwait(false);
                events.Publish(new RunStatusChanged(run.Id, now, RunStatus.Running, step.Ordinal, $"step {Key(step)}"));

                var (status, skippedGates) = await RunStepAsync(active, step, apiOverride).ConfigureAwait(false);
                notChecked += skippedGates;
                if (step.ExitCode is { } e) exitCode = e;
                if (status == StepStatus.Succeeded) continue;
                final = status switch
                {
                    StepStatus.Partial => RunStatus.Partial,
                    StepStatus.Cancelled => RunStatus.Cancelled,
                    StepStatus.Interrupted => RunStatus.Interrupted,
                    _ => RunStatus.Failed,
                };
                message = active.Stop == StopKind.LockLost ? LockLostMessage(active) : $"step {Key(step)}: {step.Message}";
                break;
            }
            if (final == RunStatus.Succeeded)
                message = "all steps succeeded" + (notChecked > 0 ? $"; {notChecked} gate(s) {GateResult.NotCheckedUnderOverride}: the run trusted the steps' own results" : "");
        }
        catch (Exception ex)
        {
            final = RunStatus.Failed;
            message = $"engine error: {ex.Message}";
            log.LogError(ex, "Run {RunId} failed in the engine", active.Id);
        }
        finally
        {
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            try { await heartbeat.ConfigureAwait(false); } catch (Exception) { }
            var now = time.GetUtcNow();
            try
            {
                await store.UpdateAsync(active.Id, r =>
                {
                    r.Status = final;
                    r.EndedAt = now;
                    r.UpdatedAt = now;
                    r.Owner = null;
                    r.CancelRequested = false;
                    r.Message = message;
                }, CancellationToken.None).ConfigureAwait(false);
                events.Publish(new RunStatusChanged(active.Id, now, final, null, message));
                if (active.AuditId is { } auditId)
                    await audit.CompleteAsync(auditId, Outcome(final), now, exitCode, message, CancellationToken.None).ConfigureAwait(false);
                if (active.Stop == StopKind.LockLost)
                {
                    // An entry of its own (and so a Kubernetes Event): the engine, not an operator, stopped this run.
                    await audit.RecordAsync(new AuditEntry
                    {
                        At = now,
                        User = active.StartedBy,
                        Action = AuditAction.RunLockLost.Name,
                        Target = workflowId ?? "",
                        Outcome = AuditOutcome.Interrupted,
                        RunId = active.Id,
                        EndedAt = now,
                        Message = message,
                    }, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex) { log.LogError(ex, "Recording the end of run {RunId} failed", active.Id); }
            finally
            {
                if (active.Lock is { } l) await l.DisposeAsync().ConfigureAwait(false);
                log.LogInformation("Run {RunId} ended {Status}: {Message}", active.Id, final, message);
            }
        }
    }

    /// <summary>Runs one step; also says how many of its gates were not checked under the API-unreachable override.</summary>
    private async Task<(StepStatus Status, int NotChecked)> RunStepAsync(ActiveRun active, StepRecord step, bool apiOverride)
    {
        var notChecked = new List<string>();
        return (await RunStepCoreAsync(active, step, apiOverride, notChecked).ConfigureAwait(false), notChecked.Count);
    }

    private async Task<StepStatus> RunStepCoreAsync(ActiveRun active, StepRecord step, bool apiOverride, List<string> notChecked)
    {
        var plan = EngineJson.Read<StepPlan>(step.PlanJson);
        var history = EngineJson.Read<List<StepGateResult>>(step.GateResultsJson);
        var buffer = new OutputBuffer(options.OutputLimitBytes, step.Output, step.OutputTruncated, step.OutputLineCount);
        step.Attempts++;
        var attempt = step.Attempts;
        step.Status = StepStatus.Running;
        step.StartedAt = time.GetUtcNow();
        step.EndedAt = null;
        step.Message = null;
        // A process recorded by an earlier attempt is not this attempt's: recovery must never act on it.
        step.ProcessId = null;
        step.ProcessStartTicks = null;
        step.ProcessHost = null;
        await store.SaveStepAsync(step, CancellationToken.None).ConfigureAwait(false);
        events.Publish(new StepStatusChanged(active.Id, step.StartedAt.Value, step.Ordinal, Key(step), StepStatus.Running, null, null));

        string? partialLine = null;
        void Emit(OutputStream stream, string text)
        {
            // Masked first, before the line is cut (a cut through a secret would leave its first part readable), stored,
            // streamed or logged: everything downstream sees only the masked line.
            text = secrets.Apply(text);
            if (stream != OutputStream.System && plan.PartialWhenOutput is { } partial && text.Contains(partial, StringComparison.Ordinal)) partialLine ??= text.Trim();
            if (text.Length > options.MaxLineChars) text = text[..options.MaxLineChars] + " …[line cut]";
            var stored = stream == OutputStream.System ? "▸ " + text : text;
            var n = buffer.Add(stored);
            events.Publish(new StepOutput(active.Id, time.GetUtcNow(), step.Ordinal, n, stream, text));
        }
        void Sys(string text) => Emit(OutputStream.System, text);

        async Task<StepStatus> Finish(StepStatus status, string? message)
        {
            var (text, truncated, lines) = buffer.Snapshot();
            step.Status = status;
            step.Message = message is null ? null : secrets.Apply(message);
            step.EndedAt = time.GetUtcNow();
            step.Output = text;
            step.OutputTruncated = truncated;
            step.OutputLineCount = lines;
            step.GateResultsJson = EngineJson.Write(history);
            await store.SaveStepAsync(step, CancellationToken.None).ConfigureAwait(false);
            events.Publish(new StepStatusChanged(active.Id, step.EndedAt.Value, step.Ordinal, Key(step), status, step.ExitCode, step.Message));
            return status;
        }

        async Task<GateResult> Gate(PlannedGate g, string phase)
        {
            if (g.Wait > TimeSpan.Zero) Sys($"{phase}-gate {g}: waiting up to {Duration.Format(g.Wait)}");
            var r = await gates.EvaluateAsync(g.Name, g.Args, g.Wait, g.Advisory, active.Cancellation.Token, apiOverride).ConfigureAwait(false);
            if (r.Outcome == GateOutcome.Skipped && r.Message.StartsWith(GateResult.NotCheckedUnderOverride, StringComparison.Ordinal)) notChecked.Add($"{phase}-gate {g}");
            history.Add(new StepGateResult(attempt, phase, r));
            Sys($"{phase}-gate {r}");
            events.Publish(new GateEvaluated(active.Id, r.EvaluatedAt, step.Ordinal, phase, r));
            return r;
        }

        Sys($"attempt {attempt} of {step.Title}{(step.ForcedBy is not null && !step.CommandSucceeded && attempt > 1 ? $" (forced by {step.ForcedBy})" : "")}");
        try
        {
            if (step.CommandSucceeded)
                Sys("the command already succeeded in an earlier attempt: re-checking the after-gates only (force the step to run it again)");
            else
            {
                foreach (var g in plan.Before)
                {
                    var r = await Gate(g, "before").ConfigureAwait(false);
                    if (r.Blocks) return await Finish(StepStatus.Failed, $"before-gate {g} did not pass: {r.Message}").ConfigureAwait(false);
                }
                if (!plan.IsCheckOnly)
                {
                    var outcome = await RunCommandAsync(active, step, plan, buffer, Emit, Sys).ConfigureAwait(false);
                    if (outcome is { } o) return await Finish(o.Status, o.Message).ConfigureAwait(false);
                    step.CommandSucceeded = true;
                    // The task's own verdict: exit 0 with a partial result is reported as partial, never as Succeeded.
                    if (partialLine is not null)
                        return await Finish(StepStatus.Partial, $"the command exited 0 but reported a partial result: \"{partialLine}\"").ConfigureAwait(false);
                }
            }
            var advisories = new List<string>();
            foreach (var g in plan.After)
            {
                var r = await Gate(g, "after").ConfigureAwait(false);
                if (r.Blocks)
                {
                    var hint = step.CommandSucceeded && !plan.IsCheckOnly ? " (the command succeeded; a resume re-checks this gate without re-running it)" : "";
                    return await Finish(StepStatus.Failed, $"after-gate {g} did not pass: {r.Message}{hint}").ConfigureAwait(false);
                }
                if (r.Advisory && r.Outcome != GateOutcome.Passed) advisories.Add($"{g}: {r.Outcome} — {r.Message}");
            }
            var notes = new List<string>();
            if (notChecked.Count > 0) notes.Add($"{GateResult.NotCheckedUnderOverride}: {string.Join("; ", notChecked)}");
            if (advisories.Count > 0) notes.Add("advisory: " + string.Join("; ", advisories));
            return await Finish(StepStatus.Succeeded, notes.Count == 0 ? null : string.Join(" — ", notes)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (active.Stop != StopKind.None)
        {
            return active.Stop switch
            {
                StopKind.User => await Finish(StepStatus.Cancelled, $"cancelled by {active.StopBy}").ConfigureAwait(false),
                StopKind.LockLost => await Finish(StepStatus.Interrupted, LockLostMessage(active)).ConfigureAwait(false),
                _ => await Finish(StepStatus.Interrupted, "interrupted: the dashboard stopped").ConfigureAwait(false),
            };
        }
    }

    /// <summary>Runs the step's command; null when it exited 0, otherwise the step's end state.</summary>
    private async Task<(StepStatus Status, string Message)?> RunCommandAsync(ActiveRun active, StepRecord step, StepPlan plan, OutputBuffer output, Action<OutputStream, string> emit, Action<string> sys)
    {
        // A forced re-run of a step whose own status would skip it runs its forceArgv (bootstrap:force-phase PHASE=N).
        var argv = plan.CommandFor(step.ForcedBy is not null);
        var problems = CommandSafetyPolicy.Check(argv, plan.Env, resolved: true);
        if (problems.Count > 0) return (StepStatus.Failed, "refused by the command safety policy: " + string.Join("; ", problems));
        if (!runners.TryGetValue(plan.Runner, out var runner)) return (StepStatus.Failed, $"runner '{plan.Runner}' is not available in this deployment");
        var wd = WorkingDirectory(plan.WorkingDirectory);
        if (wd.Problem is not null) return (StepStatus.Failed, wd.Problem);

        sys("$ " + DisplayCommand(argv)
            + (plan.Env.Count > 0 ? "   [env " + string.Join(" ", plan.Env.Keys.Order(StringComparer.Ordinal)) + "]" : "")
            + (plan.Stdin is not null ? "   [stdin answered]" : "")
            + (plan.Secrets is { Count: > 0 } opted ? "   [secrets " + string.Join(" ", opted) + "]" : ""));

        using var timeout = new CancellationTokenSource(plan.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(active.Cancellation.Token, timeout.Token);
        using var flushStop = new CancellationTokenSource();
        var flush = FlushLoopAsync(flushStop.Token);
        StepRunResult result;
        try
        {
            var env = plan.Env.ToDictionary(kv => kv.Key, kv => (string?)kv.Value, StringComparer.Ordinal);
            var command = new StepCommand(argv, env, wd.Path, plan.Stdin) { OnStarted = RecordProcessAsync, Secrets = plan.Secrets ?? [] };
            result = await runner.RunAsync(command, line => emit(line.Stream, line.Text), linked.Token).ConfigureAwait(false);
        }
        finally
        {
            await flushStop.CancelAsync().ConfigureAwait(false);
            try { await flush.ConfigureAwait(false); } catch (Exception) { }
        }

        if (result.Killed)
        {
            if (active.Stop == StopKind.User) { sys($"cancelled by {active.StopBy}: process tree killed"); return (StepStatus.Cancelled, $"cancelled by {active.StopBy}"); }
            if (active.Stop == StopKind.LockLost) { sys($"the run lock was lost ({active.StopBy}): process tree killed"); return (StepStatus.Interrupted, LockLostMessage(active)); }
            if (active.Stop == StopKind.Shutdown) { sys("the dashboard is stopping: process tree killed"); return (StepStatus.Interrupted, "interrupted: the dashboard stopped while the command ran"); }
            if (timeout.IsCancellationRequested)
            {
                var text = $"timed out after {Duration.Format(plan.Timeout)}";
                sys($"{text}: process tree killed");
                return (StepStatus.Failed, text);
            }
            return (StepStatus.Failed, "the process was killed");
        }
        if (result.Error is { } err) { sys(err); return (StepStatus.Failed, err); }
        step.ExitCode = result.ExitCode;
        sys($"exit code {result.ExitCode} after {Duration.Format(result.Duration)}");
        return result.ExitCode == 0 ? null : (StepStatus.Failed, $"exited with code {result.ExitCode}");

        // Persisted before the command's exit is awaited: if this dashboard dies and the process does not, the next engine
        // finds exactly that process (pid + start time) and does not claim it went away (StepProcessRecovery).
        async Task RecordProcessAsync(StepProcess process)
        {
            step.ProcessId = process.Pid;
            step.ProcessStartTicks = process.StartTicks;
            step.ProcessHost = process.Host;
            try { await store.SaveProcessAsync(step.Id, process, CancellationToken.None).ConfigureAwait(false); }
            catch (Exception ex) { log.LogWarning(ex, "Recording pid {Pid} of run {RunId} failed: a restart could not find it", process.Pid, active.Id); }
        }

        // Persist the output while the command runs, so a crash loses at most one flush interval of it.
        async Task FlushLoopAsync(CancellationToken ct)
        {
            using var timer = new PeriodicTimer(options.OutputFlushInterval, time);
            try
            {
                while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
                {
                    if (!output.Dirty) continue;
                    var (text, truncated, lines) = output.Snapshot();
                    try { await store.SaveOutputAsync(step.Id, text, truncated, lines, ct).ConfigureAwait(false); }
                    catch (OperationCanceledException) { throw; }
                    catch (Exception ex) { log.LogWarning(ex, "Saving output of run {RunId} failed", active.Id); }
                }
            }
            catch (OperationCanceledException) { }
        }
    }

    private (string Path, string? Problem) WorkingDirectory(string relative)
    {
        if (string.IsNullOrWhiteSpace(options.HomeOpsCheckout))
            return ("", "Operations:HomeOpsCheckout is not configured: steps run in a checkout of the home-ops repository");
        var root = Path.GetFullPath(options.HomeOpsCheckout);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (full != root && !full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return (full, $"working directory {relative} leaves the checkout");
        return Directory.Exists(full) ? (full, null) : (full, $"working directory {full} does not exist (is the home-ops checkout at {root}?)");
    }

    private async Task HeartbeatLoopAsync(ActiveRun active, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    if (await store.HeartbeatAsync(active.Id, options.InstanceId, time.GetUtcNow(), ct).ConfigureAwait(false))
                        active.RequestStop(StopKind.User, "an operator (cancel requested on another replica)");
                }
                catch (OperationCanceledException) { throw; }
                catch (Exception ex) { log.LogWarning(ex, "Heartbeat of run {RunId} failed", active.Id); }
            }
        }
        catch (OperationCanceledException) { }
    }

    private static string LockLostMessage(ActiveRun active) =>
        $"interrupted: the run lock was lost ({active.StopBy}); the running step was stopped (process tree killed) so that no other destructive run can overlap it";

    internal static string Key(StepRecord s) => s.Item is null ? s.StepId : $"{s.StepId}@{s.Item}";

    private static AuditOutcome Outcome(RunStatus s) => s switch
    {
        RunStatus.Succeeded => AuditOutcome.Succeeded,
        RunStatus.Cancelled => AuditOutcome.Cancelled,
        RunStatus.Interrupted => AuditOutcome.Interrupted,
        _ => AuditOutcome.Failed,
    };

    /// <summary>For the operator's log only (never executed).</summary>
    internal static string DisplayCommand(IEnumerable<string> argv) => string.Join(" ", argv.Select(DisplayArg));

    /// <summary>Quotes arguments that would be ambiguous to read.</summary>
    private static string DisplayArg(string a) =>
        a.Length > 0 && a.All(c => char.IsAsciiLetterOrDigit(c) || "._:/,=@+-{}".Contains(c)) ? a : "'" + a.Replace("'", "'\\''") + "'";
}
