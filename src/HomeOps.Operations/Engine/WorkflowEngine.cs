using System.Collections.Immutable;
using System.Collections.Concurrent;
using System.Text.Json;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Guards;
using HomeOps.Operations.Locking;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Runners;
using HomeOps.Operations.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HomeOps.Operations.Engine;

/// <summary>The workflow engine: persisted run state machines, guarded and audited commands, execution in the background.</summary>
public sealed class WorkflowEngine : IOperationsEngine
{
    private readonly IWorkflowCatalog _catalog;
    private readonly IClusterStateSource _state;
    private readonly OperationsDatabase _database;
    private readonly IAuditLog _audit;
    private readonly OperationsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly RunStore _store;
    private readonly RunEventHub _events = new();
    private readonly RunPlanner _planner;
    private readonly RunAdmission _admission;
    private readonly RunExecutor _executor;
    private readonly StepProcessRecovery _processes;
    private readonly ConcurrentDictionary<Guid, ActiveRun> _active = new();
    private volatile bool _disposed;

    public WorkflowEngine(
        IWorkflowCatalog catalog,
        GateRegistry gates,
        IClusterStateSource state,
        OperationsDatabase database,
        IAuditLog audit,
        IRunLock runLock,
        IEnumerable<IStepRunner> runners,
        OperationsOptions options,
        TimeProvider? time = null,
        ILoggerFactory? loggers = null,
        SecretMasker? secrets = null,
        HomeOps.Cluster.Talos.TalosFeed? talos = null)
    {
        _catalog = catalog;
        _state = state;
        _database = database;
        _audit = audit;
        _options = options;
        _time = time ?? TimeProvider.System;
        _log = (loggers ?? NullLoggerFactory.Instance).CreateLogger<WorkflowEngine>();
        _store = new RunStore(database);
        _planner = new RunPlanner(options);
        var runnerMap = runners.ToDictionary(r => r.Name, StringComparer.Ordinal);
        _executor = new RunExecutor(_store, _events, new GateWaiter(gates, state, _time, options.GatePollInterval), runnerMap, audit, options, _time, _log,
            secrets ?? SecretMasker.None);
        _processes = new StepProcessRecovery(_store, audit, _events, options, _time, _log);
        _admission = new RunAdmission(options, _time, state, new PreflightCalculator(options.DashboardNodeName, options.BackupWarnAge, talos is null ? null : () => talos.Current), _processes, runLock,
            () => _disposed);
    }

    public IWorkflowCatalog Workflows => _catalog;

    public IRunEvents Events => _events;

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await _database.EnsureCreatedAsync(ct).ConfigureAwait(false);
        var n = await RecoverOrphanedRunsAsync(ct).ConfigureAwait(false);
        _log.LogInformation("Operations engine ready ({Provider}: {Location}); {Count} interrupted run(s) recovered", _database.Provider, _database.Location, n);
    }

    public async Task<int> RecoverOrphanedRunsAsync(CancellationToken ct = default)
    {
        var now = _time.GetUtcNow();
        var orphans = await _store.FindOrphansAsync(_options.InstanceId, now - _options.StaleRunAfter, _active.Keys.ToList(), ct).ConfigureAwait(false);
        var count = 0;
        foreach (var run in orphans)
        {
            var message = $"interrupted: {(run.Owner == _options.InstanceId ? "the dashboard restarted" : $"its owner {run.Owner ?? "(none)"} stopped sending heartbeats")} while the run was running; resume or abandon it";
            if (!await _store.TransitionAsync(run.Id, [RunStatus.Running], RunStatus.Interrupted, now, null, message, ct,
                    r => { r.EndedAt = now; r.CancelRequested = false; }).ConfigureAwait(false))
                continue;
            // Claimed (compare-and-set above), so only one engine handles each step's process. Between the claim and the
            // kill the run is already Interrupted, but a resume is refused while its step's process lives (FindLiveAsync
            // sees Running steps of a run that is not Running).
            var running = run.Steps.Where(s => s.Status == StepStatus.Running).ToList();
            // Not cancellable once claimed: a host stopping mid-way must not leave a claimed run with its steps still Running.
            var notes = await _processes.InterruptAsync(run, running, now, CancellationToken.None).ConfigureAwait(false);
            if (notes.Count > 0)
            {
                message += "; " + string.Join("; ", notes);
                await _store.UpdateAsync(run.Id, r => r.Message = message, CancellationToken.None).ConfigureAwait(false);
            }
            if (run.ActiveAuditId is { } auditId)
                await _audit.CompleteAsync(auditId, AuditOutcome.Interrupted, now, null, message, CancellationToken.None).ConfigureAwait(false);
            _events.Publish(new RunStatusChanged(run.Id, now, RunStatus.Interrupted, run.CurrentStep, message));
            _log.LogWarning("Run {RunId} ({Workflow}) marked Interrupted: {Message}", run.Id, run.WorkflowId, message);
            count++;
        }
        return count;
    }

    public Task<RunPreview> PreviewAsync(RunRequest request, Actor actor, CancellationToken ct = default)
    {
        if (RunAdmission.Role(actor) is { } op) return Task.FromResult(new RunPreview(_catalog.Find(request.WorkflowId), [op], null, null, []));
        var p = Prepare(request);
        var steps = p.Planned?.Steps.Select(s => new PlannedStep(s.Ordinal, RunExecutor.Key(s), s.Title, EngineJson.Read<StepPlan>(s.PlanJson))).ToList() ?? [];
        var expected = p.Definition is not null && p.Parameters is not null ? ConfirmationGuard.Expected(p.Definition, p.Parameters) : null;
        var apiDown = p.Definition is not null && p.Parameters is not null ? ConfirmationGuard.ApiUnreachablePhrase(p.Definition, p.Parameters) : null;
        return Task.FromResult(new RunPreview(p.Definition, p.Problems, p.Preflight, expected, steps, apiDown));
    }

    public async Task<RunCommandResult> CreateAsync(RunRequest request, Actor actor, CancellationToken ct = default)
    {
        var cmd = RunCommand.For(AuditAction.RunCreate, request, actor, ct);
        if (_admission.FirstCallerRefusal(actor) is { } refusal) return await RefuseAsync(cmd, null, [refusal], null).ConfigureAwait(false);
        var p = Prepare(request);
        if (RunAdmission.ReasonTooLong(request.Reason) is { } tooLong) p.Problems.Add(tooLong);
        if (p.Problems.Count > 0) return await RefuseAsync(cmd, p.Definition, p.Problems, p.Preflight).ConfigureAwait(false);
        var def = p.Definition!;
        var now = _time.GetUtcNow();
        var run = NewRecord(def, p, actor, request.Reason, def.Destructive ? RunStatus.AwaitingConfirmation : RunStatus.Pending, now);
        await _store.InsertAsync(run, ct).ConfigureAwait(false);
        // Creating records no confirmation: it is typed (and recorded) when the run is confirmed.
        var entry = await _audit.RecordAsync(Entry(cmd with { Confirmation = null }, now, AuditOutcome.Accepted, def.Destructive ? "awaiting typed confirmation" : "pending start",
            def, p.Parameters, p.Preflight, run.Id), ct).ConfigureAwait(false);
        _events.Publish(new RunStatusChanged(run.Id, now, run.Status, null, null));
        return new RunCommandResult(true, run.Id, run.Status, [], p.Preflight, entry.Id);
    }

    public async Task<RunCommandResult> ConfirmAsync(Guid runId, string? confirmation, string? reason, Actor actor, CancellationToken ct = default)
    {
        var cmd = new RunCommand(AuditAction.RunStart, actor, ct) { Reason = reason, Confirmation = confirmation };
        var run = await _store.LoadAsync(runId, withSteps: false, ct).ConfigureAwait(false);
        if (run is null) return await RefuseRunAsync(cmd, runId, null, [$"run {runId} does not exist"], null).ConfigureAwait(false);
        var def = Definition(run);
        var stored = EngineJson.Read<StoredParameters>(run.ParametersJson);
        cmd = cmd with { Input = stored.Input };
        var problems = new List<string>();
        _admission.CallerRefusals(actor, problems);
        if (run.Status != RunStatus.AwaitingConfirmation) problems.Add($"the run is {run.Status}, not awaiting confirmation");
        else if (await _admission.LiveOrphanAsync(null, ct).ConfigureAwait(false) is { } orphan) problems.Add(orphan);
        if (problems.Count > 0) return await RefuseRunAsync(cmd, runId, run, problems, null).ConfigureAwait(false);

        // Re-check the input against the node list as it is now: a node that left since creation is refused.
        problems.AddRange(InputValidator.Validate(def, stored.Input, _state.Current, out var parameters));
        if (problems.Count == 0) problems.AddRange(_admission.Destructive(def, parameters, cmd));
        if (problems.Count > 0) return await RefuseRunAsync(cmd, runId, run, problems, null).ConfigureAwait(false);

        var preflight = _admission.Preflight(def, parameters, cmd);
        await _store.UpdateAsync(runId, r => SetPreflight(r, preflight), ct).ConfigureAwait(false);
        if (RunAdmission.Blocked(preflight) is { } blocked)
            return await RefuseRunAsync(cmd, runId, run, [blocked], preflight).ConfigureAwait(false);

        var (handle, locked) = await _admission.LockAsync(runId, def.Id, ct).ConfigureAwait(false);
        if (handle is null)
            return await RefuseRunAsync(cmd, runId, run, [locked!], preflight).ConfigureAwait(false);

        var now = _time.GetUtcNow();
        var started = await _store.TransitionAsync(runId, [RunStatus.AwaitingConfirmation], RunStatus.Running, now, _options.InstanceId, null, ct, r =>
        {
            r.StartedAt = now;
            r.Reason = reason!.Trim();
            r.Confirmation = confirmation?.Trim();
        }).ConfigureAwait(false);
        if (!started)
        {
            await handle.DisposeAsync().ConfigureAwait(false);
            return await RefuseRunAsync(cmd, runId, run, ["the run changed state concurrently (confirmed or cancelled elsewhere)"], preflight).ConfigureAwait(false);
        }
        return await LaunchAsync(cmd, run.Id, def, parameters, preflight, handle).ConfigureAwait(false);
    }

    public async Task<RunCommandResult> StartAsync(Guid runId, Actor actor, CancellationToken ct = default)
    {
        var cmd = new RunCommand(AuditAction.RunStart, actor, ct);
        var run = await _store.LoadAsync(runId, withSteps: false, ct).ConfigureAwait(false);
        if (run is null) return await RefuseRunAsync(cmd, runId, null, [$"run {runId} does not exist"], null).ConfigureAwait(false);
        var problems = new List<string>();
        _admission.CallerRefusals(actor, problems);
        if (run.Destructive) problems.Add("a destructive run starts by confirming it (typed confirmation, reason, step-up)");
        else if (run.Status != RunStatus.Pending) problems.Add($"the run is {run.Status}, not Pending");
        if (problems.Count > 0) return await RefuseRunAsync(cmd, runId, run, problems, null).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (!await _store.TransitionAsync(runId, [RunStatus.Pending], RunStatus.Running, now, _options.InstanceId, null, ct, r => r.StartedAt = now).ConfigureAwait(false))
            return await RefuseRunAsync(cmd, runId, run, ["the run changed state concurrently"], null).ConfigureAwait(false);
        var def = Definition(run);
        var stored = EngineJson.Read<StoredParameters>(run.ParametersJson);
        // A pending run was created with its reason; the start records that one.
        return await LaunchAsync(cmd with { Input = stored.Input, Reason = run.Reason }, run.Id, def, ToValidated(stored), null, null).ConfigureAwait(false);
    }

    public async Task<RunCommandResult> TriggerAsync(RunRequest request, Actor actor, CancellationToken ct = default)
    {
        var cmd = RunCommand.For(AuditAction.RunStart, request, actor, ct);
        if (_admission.FirstCallerRefusal(actor) is { } refusal) return await RefuseAsync(cmd, null, [refusal], null).ConfigureAwait(false);
        var p = Prepare(request);
        if (p.Problems.Count == 0 && p.Definition!.Destructive)
        {
            p.Problems.AddRange(_admission.Destructive(p.Definition, p.Parameters!, cmd));
            if (_admission.OverridePreflight(p.Definition, p.Parameters!, cmd) is { } overridden) p = p with { Preflight = overridden };
            if (await _admission.LiveOrphanAsync(null, ct).ConfigureAwait(false) is { } orphan) p.Problems.Add(orphan);
            if (p.Problems.Count == 0 && RunAdmission.Blocked(p.Preflight!) is { } blocked) p.Problems.Add(blocked);
        }
        else if (RunAdmission.ReasonTooLong(request.Reason) is { } tooLong) p.Problems.Add(tooLong);
        if (p.Problems.Count > 0) return await RefuseAsync(cmd, p.Definition, p.Problems, p.Preflight).ConfigureAwait(false);

        var def = p.Definition!;
        var runId = Guid.NewGuid();
        IRunLockHandle? handle = null;
        if (def.Destructive)
        {
            (handle, var locked) = await _admission.LockAsync(runId, def.Id, ct).ConfigureAwait(false);
            if (handle is null)
                return await RefuseAsync(cmd, def, [locked!], p.Preflight).ConfigureAwait(false);
        }
        try
        {
            var now = _time.GetUtcNow();
            var run = NewRecord(def, p, actor, request.Reason, RunStatus.Running, now, runId);
            run.Owner = _options.InstanceId;
            run.StartedAt = now;
            run.HeartbeatAt = now;
            run.Confirmation = request.Confirmation?.Trim();
            await _store.InsertAsync(run, ct).ConfigureAwait(false);
        }
        catch
        {
            if (handle is not null) await handle.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return await LaunchAsync(cmd, runId, def, p.Parameters!, p.Preflight, handle).ConfigureAwait(false);
    }

    public async Task<RunCommandResult> ResumeAsync(ResumeRequest request, Actor actor, CancellationToken ct = default)
    {
        var cmd = new RunCommand(AuditAction.RunResume, actor, ct) { Reason = request.Reason, Confirmation = request.Confirmation };
        var run = await _store.LoadAsync(request.RunId, withSteps: true, ct).ConfigureAwait(false);
        if (run is null) return await RefuseRunAsync(cmd, request.RunId, null, [$"run {request.RunId} does not exist"], null).ConfigureAwait(false);
        var def = Definition(run);
        var stored = EngineJson.Read<StoredParameters>(run.ParametersJson);
        var parameters = ToValidated(stored);
        var problems = new List<string>();
        _admission.CallerRefusals(actor, problems);
        if (run.Status is not (RunStatus.Failed or RunStatus.Interrupted)) problems.Add($"only a Failed or Interrupted run can be resumed; this one is {run.Status}");
        if (_admission.Where(def, parameters.Values) is { } where) problems.Add(where);
        if (_active.ContainsKey(run.Id)) problems.Add("the run is still executing here");
        else if (await _admission.LiveOrphanAsync(run.Destructive ? null : run.Id, ct).ConfigureAwait(false) is { } orphan) problems.Add(orphan);
        var byKey = run.Steps.ToDictionary(RunExecutor.Key, StringComparer.Ordinal);
        var force = (request.ForceSteps ?? []).Distinct(StringComparer.Ordinal).ToList();
        var skip = (request.SkipSteps ?? []).Distinct(StringComparer.Ordinal).ToList();
        cmd = cmd with { Input = stored.Input, Force = force, Skip = skip };
        foreach (var k in force.Concat(skip).Where(k => !byKey.ContainsKey(k))) problems.Add($"no step '{InputValidator.Printable(k)}' in this run");
        foreach (var k in force.Intersect(skip, StringComparer.Ordinal)) problems.Add($"step '{k}' cannot be both forced and skipped");
        foreach (var k in skip.Where(byKey.ContainsKey).Where(k => byKey[k].Status is StepStatus.Succeeded or StepStatus.Skipped))
            problems.Add($"step '{k}' is already {byKey[k].Status}");
        if (run.Destructive && problems.Count == 0)
            problems.AddRange(_admission.Destructive(def, parameters, cmd));
        else if (!run.Destructive && (force.Count > 0 || skip.Count > 0) && RunAdmission.Reason(request.Reason) is { } why)
            problems.Add($"{why} (forcing or skipping steps)");
        if (problems.Count > 0) return await RefuseRunAsync(cmd, run.Id, run, problems, null).ConfigureAwait(false);

        PreflightReport? preflight = null;
        IRunLockHandle? handle = null;
        if (run.Destructive)
        {
            preflight = _admission.Preflight(def, parameters, cmd);
            await _store.UpdateAsync(run.Id, r => SetPreflight(r, preflight), ct).ConfigureAwait(false);
            if (RunAdmission.Blocked(preflight) is { } blocked)
                return await RefuseRunAsync(cmd, run.Id, run, [blocked], preflight).ConfigureAwait(false);
            (handle, var locked) = await _admission.LockAsync(run.Id, def.Id, ct).ConfigureAwait(false);
            if (handle is null)
                return await RefuseRunAsync(cmd, run.Id, run, [locked!], preflight).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        if (!await _store.TransitionAsync(run.Id, [RunStatus.Failed, RunStatus.Interrupted], RunStatus.Running, now, _options.InstanceId, null, ct,
                r => { r.EndedAt = null; r.CancelRequested = false; }).ConfigureAwait(false))
        {
            if (handle is not null) await handle.DisposeAsync().ConfigureAwait(false);
            return await RefuseRunAsync(cmd, run.Id, run, ["the run changed state concurrently (resumed or abandoned elsewhere)"], preflight).ConfigureAwait(false);
        }
        var changed = new List<StepRecord>();
        foreach (var k in force)
        {
            var s = byKey[k];
            s.Status = StepStatus.Pending;
            s.CommandSucceeded = false;
            s.ForcedBy = actor.User;
            s.ForcedAt = now;
            s.Message = $"forced re-run requested by {actor.User}";
            changed.Add(s);
        }
        foreach (var k in skip)
        {
            var s = byKey[k];
            s.Status = StepStatus.Skipped;
            s.EndedAt = now;
            s.Message = $"skipped by {actor.User}: {request.Reason?.Trim()}";
            changed.Add(s);
        }
        if (changed.Count > 0) await _store.SaveStepsAsync(changed, ct).ConfigureAwait(false);
        return await LaunchAsync(cmd, run.Id, def, parameters, preflight, handle).ConfigureAwait(false);
    }

    public async Task<RunCommandResult> CancelAsync(Guid runId, string? reason, Actor actor, CancellationToken ct = default)
    {
        var cmd = new RunCommand(AuditAction.RunCancel, actor, ct) { Reason = reason };
        var run = await _store.LoadAsync(runId, withSteps: false, ct).ConfigureAwait(false);
        if (run is null) return await RefuseRunAsync(cmd, runId, null, [$"run {runId} does not exist"], null).ConfigureAwait(false);
        if (RunAdmission.Role(actor) is { } op) return await RefuseRunAsync(cmd, runId, run, [op], null).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        switch (run.Status)
        {
            case RunStatus.Running:
                await _store.RequestCancelAsync(runId, ct).ConfigureAwait(false);
                if (_active.TryGetValue(runId, out var active)) active.RequestStop(StopKind.User, actor.User);
                var entry = await _audit.RecordAsync(Entry(cmd, now, AuditOutcome.Accepted,
                    _active.ContainsKey(runId) ? "cancel requested: killing the process tree" : $"cancel requested from {_options.InstanceId}; its owner {run.Owner} stops it",
                    Definition(run), runId: runId), ct).ConfigureAwait(false);
                return new RunCommandResult(true, runId, RunStatus.Running, [], null, entry.Id);
            case RunStatus.Pending or RunStatus.AwaitingConfirmation:
                var message = $"cancelled by {actor.User}" + (string.IsNullOrWhiteSpace(reason) ? "" : $": {reason.Trim()}");
                if (await _store.TransitionAsync(runId, [RunStatus.Pending, RunStatus.AwaitingConfirmation], RunStatus.Cancelled, now, null, message, ct, r => r.EndedAt = now).ConfigureAwait(false))
                {
                    var e = await _audit.RecordAsync(Entry(cmd, now, AuditOutcome.Succeeded, message, Definition(run), runId: runId), ct).ConfigureAwait(false);
                    _events.Publish(new RunStatusChanged(runId, now, RunStatus.Cancelled, null, message));
                    return new RunCommandResult(true, runId, RunStatus.Cancelled, [], null, e.Id);
                }
                return await RefuseRunAsync(cmd, runId, run, ["the run changed state concurrently"], null).ConfigureAwait(false);
            default:
                return await RefuseRunAsync(cmd, runId, run,
                    [run.Status is RunStatus.Failed or RunStatus.Interrupted ? $"the run is {run.Status}, not running: abandon it instead" : $"the run is already {run.Status}"], null).ConfigureAwait(false);
        }
    }

    public async Task<RunCommandResult> AbandonAsync(Guid runId, string? reason, Actor actor, CancellationToken ct = default)
    {
        var cmd = new RunCommand(AuditAction.RunAbandon, actor, ct) { Reason = reason };
        var run = await _store.LoadAsync(runId, withSteps: false, ct).ConfigureAwait(false);
        if (run is null) return await RefuseRunAsync(cmd, runId, null, [$"run {runId} does not exist"], null).ConfigureAwait(false);
        var problems = new List<string>();
        if (RunAdmission.Role(actor) is { } op) problems.Add(op);
        if (RunAdmission.Reason(reason) is { } r) problems.Add(r);
        if (run.Status is not (RunStatus.Failed or RunStatus.Interrupted)) problems.Add($"only a Failed or Interrupted run can be abandoned; this one is {run.Status}");
        if (problems.Count > 0) return await RefuseRunAsync(cmd, runId, run, problems, null).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var message = $"abandoned by {actor.User}: {reason!.Trim()}";
        if (!await _store.TransitionAsync(runId, [RunStatus.Failed, RunStatus.Interrupted], RunStatus.Cancelled, now, null, message, ct, x => x.EndedAt = now).ConfigureAwait(false))
            return await RefuseRunAsync(cmd, runId, run, ["the run changed state concurrently"], null).ConfigureAwait(false);
        var entry = await _audit.RecordAsync(Entry(cmd, now, AuditOutcome.Succeeded, message, Definition(run), runId: runId), ct).ConfigureAwait(false);
        _events.Publish(new RunStatusChanged(runId, now, RunStatus.Cancelled, null, message));
        return new RunCommandResult(true, runId, RunStatus.Cancelled, [], null, entry.Id);
    }

    public async Task<RunView?> GetRunAsync(Guid runId, CancellationToken ct = default)
    {
        var run = await _store.LoadAsync(runId, withSteps: true, ct).ConfigureAwait(false);
        return run is null ? null : ToView(run);
    }

    public async Task<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken ct = default)
    {
        var runs = await _store.ListAsync(query, ct).ConfigureAwait(false);
        return runs.Select(r => new RunSummary(r.Id, r.WorkflowId, r.WorkflowTitle, r.Destructive, r.Status, r.CurrentStep, r.RequestedBy, r.CreatedAt, r.StartedAt, r.EndedAt, r.Message)).ToList();
    }

    public async Task<RunView?> WaitUntilStoppedAsync(Guid runId, CancellationToken ct = default)
    {
        using var signal = new SemaphoreSlim(0, int.MaxValue);
        using var sub = _events.Subscribe(runId, e => { if (e is RunStatusChanged) signal.Release(); });
        while (true)
        {
            if (_active.TryGetValue(runId, out var active))
                await active.Completion.WaitAsync(ct).ConfigureAwait(false);
            var view = await GetRunAsync(runId, ct).ConfigureAwait(false);
            if (view is null || (!view.IsRunning && !_active.ContainsKey(runId))) return view;
            // Running on another replica: wait for its status change (or re-read now and then).
            await signal.WaitAsync(TimeSpan.FromMilliseconds(500), ct).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        var running = _active.Values.ToList();
        foreach (var a in running) a.RequestStop(StopKind.Shutdown, "shutdown");
        try { await Task.WhenAll(running.Select(a => a.Completion)).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false); }
        catch (Exception ex) { _log.LogWarning(ex, "Runs did not stop cleanly on shutdown; they are recovered as Interrupted on the next start"); }
    }

    private sealed record Prepared(WorkflowDefinition? Definition, ValidatedParameters? Parameters, RunPlanner.Planned? Planned, PreflightReport? Preflight, List<string> Problems);

    private Prepared Prepare(RunRequest request)
    {
        var problems = new List<string>();
        var def = _catalog.Find(request.WorkflowId);
        if (def is null)
        {
            problems.Add($"unknown workflow '{InputValidator.Printable(request.WorkflowId)}'");
            return new Prepared(null, null, null, null, problems);
        }
        var state = _state.Current;
        problems.AddRange(InputValidator.Validate(def, request.Parameters, state, out var parameters));
        if (problems.Count > 0) return new Prepared(def, null, null, null, problems);
        // Where it can run is decided before anything starts (preview, trigger): a station-only workflow is refused in the pod.
        if (_admission.Where(def, parameters.Values) is { } where) problems.Add(where);
        var planned = _planner.Plan(def, request.Parameters, parameters, state, problems);
        var preflight = _admission.InitialPreflight(def, parameters, state);
        return new Prepared(def, parameters, planned, preflight, problems);
    }

    private RunRecord NewRecord(WorkflowDefinition def, Prepared p, Actor actor, string? reason, RunStatus status, DateTimeOffset now, Guid? id = null)
    {
        var run = new RunRecord
        {
            Id = id ?? Guid.NewGuid(),
            WorkflowId = def.Id,
            WorkflowTitle = def.Title,
            Destructive = def.Destructive,
            Status = status,
            ParametersJson = EngineJson.Write(p.Planned!.Parameters),
            DefinitionJson = EngineJson.Write(def),
            Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
            RequestedBy = actor.User,
            RequestedGroupsJson = JsonSerializer.Serialize(actor.Groups),
            CreatedAt = now,
            UpdatedAt = now,
            Steps = p.Planned.Steps,
        };
        if (p.Preflight is { } pf) SetPreflight(run, pf);
        foreach (var s in run.Steps) s.RunId = run.Id;
        return run;
    }

    private static void SetPreflight(RunRecord r, PreflightReport pf)
    {
        r.PreflightJson = EngineJson.Write(pf);
        r.PreflightSummary = pf.Summary;
        r.PreflightBlocked = pf.IsBlocked;
    }

    private async Task<RunCommandResult> LaunchAsync(RunCommand cmd, Guid runId, WorkflowDefinition def, ValidatedParameters parameters, PreflightReport? preflight,
        IRunLockHandle? handle)
    {
        var ct = cmd.Cancellation;
        AuditEntry entry;
        try
        {
            var now = _time.GetUtcNow();
            var e = Entry(cmd, now, AuditOutcome.Started, null, def, parameters, preflight, runId, open: true);
            // A resume records which steps it forced and skipped (also when none).
            if (cmd.Force is not null) e.Parameters = JsonSerializer.Serialize(new { input = cmd.Input, resume = new { force = cmd.Force, skip = cmd.Skip } });
            entry = await _audit.RecordAsync(e, ct).ConfigureAwait(false);
            await _store.UpdateAsync(runId, r => r.ActiveAuditId = entry.Id, ct).ConfigureAwait(false);
        }
        catch
        {
            // Nothing ran: put the run back where a person can see it, and free the lock.
            await _store.TransitionAsync(runId, [RunStatus.Running], RunStatus.Interrupted, _time.GetUtcNow(), null, "could not record the start; nothing was run", CancellationToken.None).ConfigureAwait(false);
            if (handle is not null) await handle.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var active = new ActiveRun(runId, handle, entry.Id, cmd.Actor.User);
        _active[runId] = active;
        _events.Publish(new RunStatusChanged(runId, _time.GetUtcNow(), RunStatus.Running, null, $"{cmd.Action} by {cmd.Actor.User}"));
        active.Completion = Task.Run(async () =>
        {
            try { await _executor.ExecuteAsync(active).ConfigureAwait(false); }
            finally
            {
                _active.TryRemove(runId, out _);
                active.Cancellation.Dispose();
            }
        }, CancellationToken.None);
        return new RunCommandResult(true, runId, RunStatus.Running, [], preflight, entry.Id);
    }

    /// <summary>Audits a refused command that names a workflow (no run stored).</summary>
    private async Task<RunCommandResult> RefuseAsync(RunCommand cmd, WorkflowDefinition? def, IReadOnlyList<string> problems, PreflightReport? preflight)
    {
        var entry = Entry(cmd, _time.GetUtcNow(), AuditOutcome.Refused, string.Join("; ", problems), def, preflight: preflight);
        if (def is null) entry.Target = InputValidator.Printable(cmd.WorkflowId ?? "");
        entry = await _audit.RecordAsync(entry, cmd.Cancellation).ConfigureAwait(false);
        return new RunCommandResult(false, null, null, problems, preflight, entry.Id);
    }

    /// <summary>Audits a refused command on a stored run (or on a run id that does not exist), with the run's own input.</summary>
    private async Task<RunCommandResult> RefuseRunAsync(RunCommand cmd, Guid runId, RunRecord? run, IReadOnlyList<string> problems, PreflightReport? preflight)
    {
        var def = run is null ? null : Definition(run);
        var stored = run is null ? null : EngineJson.Read<StoredParameters>(run.ParametersJson);
        var entry = Entry(cmd with { Input = stored?.Input }, _time.GetUtcNow(), AuditOutcome.Refused, string.Join("; ", problems), def,
            stored is null ? null : ToValidated(stored), preflight, runId);
        if (cmd.Force is { Count: > 0 } || cmd.Skip is { Count: > 0 })
            entry.Parameters = JsonSerializer.Serialize(new { input = stored?.Input, resume = new { force = cmd.Force, skip = cmd.Skip } });
        if (run is null) entry.Target = $"run {runId}";
        entry = await _audit.RecordAsync(entry, cmd.Cancellation).ConfigureAwait(false);
        return new RunCommandResult(false, runId, run?.Status, problems, preflight, entry.Id);
    }

    /// <summary>
    /// The audit entry of a command: who, what, why and on which input come from <paramref name="cmd"/>; the run's facts
    /// from the rest. Closed at <paramref name="now"/> unless <paramref name="open"/> (a started run, completed when it stops).
    /// </summary>
    private static AuditEntry Entry(RunCommand cmd, DateTimeOffset now, AuditOutcome outcome, string? message, WorkflowDefinition? def,
        ValidatedParameters? parameters = null, PreflightReport? preflight = null, Guid? runId = null, bool open = false)
    {
        var nodes = parameters?.NodeLists.Values.SelectMany(n => n).Distinct(StringComparer.Ordinal).ToList() ?? [];
        return new AuditEntry
        {
            At = now,
            User = cmd.Actor.User,
            Groups = string.Join(",", cmd.Actor.Groups),
            Action = cmd.Action.Name,
            Target = (def?.Id ?? "") + (nodes.Count > 0 ? " " + string.Join(",", nodes) : ""),
            Parameters = JsonSerializer.Serialize(cmd.Input ?? new Dictionary<string, string?>()),
            Reason = string.IsNullOrWhiteSpace(cmd.Reason) ? null : cmd.Reason.Trim(),
            Confirmation = cmd.Confirmation,
            PreflightSummary = preflight?.Summary,
            StartedAt = now,
            EndedAt = open ? null : now,
            Outcome = outcome,
            RunId = runId,
            Message = message,
        };
    }

    private static WorkflowDefinition Definition(RunRecord run) => EngineJson.Read<WorkflowDefinition>(run.DefinitionJson);

    private static ValidatedParameters ToValidated(StoredParameters s) => new(
        s.Values.ToImmutableDictionary(StringComparer.Ordinal),
        s.NodeLists.ToImmutableDictionary(kv => kv.Key, kv => kv.Value.ToImmutableArray(), StringComparer.Ordinal));

    private RunView ToView(RunRecord r)
    {
        WorkflowDefinition? def = null;
        try { def = Definition(r); } catch (JsonException) { }
        var steps = r.Steps.Select(s => new StepView(
            s.Ordinal, RunExecutor.Key(s), s.StepId, s.Item, s.Title, s.Status, s.ExitCode, s.CommandSucceeded, s.Attempts, s.ForcedBy, s.ForcedAt,
            s.StartedAt, s.EndedAt, s.Message, s.Output, s.OutputTruncated, s.OutputLineCount,
            EngineJson.Read<List<StepGateResult>>(s.GateResultsJson), EngineJson.Read<StepPlan>(s.PlanJson))).ToList();
        return new RunView(r.Id, r.WorkflowId, r.WorkflowTitle, r.Destructive, r.Status, r.CurrentStep, EngineJson.Read<StoredParameters>(r.ParametersJson),
            r.Reason, r.Confirmation, r.RequestedBy, JsonSerializer.Deserialize<List<string>>(r.RequestedGroupsJson) ?? [],
            r.PreflightJson is null ? null : EngineJson.Read<PreflightReport>(r.PreflightJson),
            r.CreatedAt, r.StartedAt, r.EndedAt, r.Owner, r.Message, steps, def);
    }
}
