using HomeOps.Cluster.State;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Guards;
using HomeOps.Operations.Locking;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Engine;

/// <summary>
/// The admission guards of the engine's run commands, each with its one message: the engine shutting down, the
/// operator role, step-up freshness + typed confirmation + reason (destructive runs), the reason's length, a step
/// process that outlived its dashboard, the pre-flight, and the one-destructive-run-at-a-time lock. The engine asks
/// them in a fixed order per command and audits every refusal; the guards record nothing and change nothing, except
/// that <see cref="LockAsync"/> takes the lock it admits. (Rate limiting happens before the engine, in the web layer.)
/// </summary>
internal sealed class RunAdmission(
    OperationsOptions options,
    TimeProvider time,
    IClusterStateSource state,
    PreflightCalculator preflight,
    StepProcessRecovery processes,
    IRunLock runLock,
    Func<bool> closed)
{
    /// <summary>Refused while the engine is disposing: no new run may start beside the shutdown.</summary>
    public string? ShuttingDown() => closed() ? "the operations engine is shutting down" : null;

    /// <summary>Every command needs the operator role.</summary>
    public static string? Role(Actor actor) => RunGuards.Operator(actor);

    /// <summary>The first refusal of the caller (shutting down, then role), for commands that refuse on the first one.</summary>
    public string? FirstCallerRefusal(Actor actor) => ShuttingDown() ?? Role(actor);

    /// <summary>Every refusal of the caller (shutting down, role), for commands that list all problems at once.</summary>
    public void CallerRefusals(Actor actor, List<string> problems)
    {
        if (ShuttingDown() is { } closing) problems.Add(closing);
        if (Role(actor) is { } role) problems.Add(role);
    }

    /// <summary>
    /// Where it can run, decided before anything starts (preview, trigger, resume): in the cluster a station-only
    /// workflow, a full-cluster choice or a reset of the dashboard's own node is refused with a pointer to the operator
    /// station; at the station an in-cluster-only workflow is refused.
    /// </summary>
    public string? Where(WorkflowDefinition definition, IReadOnlyDictionary<string, string> parameters) =>
        definition.Where.Refusal(definition.Id, parameters, options.RunsInCluster, options.DashboardNodeName);

    /// <summary>A reason is required (and bounded).</summary>
    public static string? Reason(string? reason) => RunGuards.Reason(reason);

    /// <summary>A reason is optional for a non-destructive command, but bounded.</summary>
    public static string? ReasonTooLong(string? reason) => reason is { Length: > RunGuards.MaxReasonLength } ? RunGuards.Reason(reason) : null;

    /// <summary>Step-up, typed confirmation, reason: what a destructive run needs from its caller.</summary>
    public List<string> Destructive(WorkflowDefinition definition, ValidatedParameters parameters, RunCommand cmd) =>
        RunGuards.Destructive(definition, parameters, cmd.Actor, cmd.Confirmation, cmd.Reason, time.GetUtcNow(), options.StepUpMaxAge);

    /// <summary>A step process left by a stopped dashboard that is still alive: nothing may run beside it.</summary>
    public Task<string?> LiveOrphanAsync(Guid? runId, CancellationToken ct) => processes.FindLiveAsync(runId, ct);

    /// <summary>The pre-flight as of now; the API-unreachable override phrase, when typed, judges the cluster without the API.</summary>
    public PreflightReport Preflight(WorkflowDefinition definition, ValidatedParameters parameters, RunCommand cmd) =>
        preflight.Compute(definition, parameters, state.Current, time.GetUtcNow(), ConfirmationGuard.IsApiUnreachableOverride(definition, parameters, cmd.Confirmation));

    /// <summary>The pre-flight recomputed for the API-unreachable override, or null when the override phrase was not typed.</summary>
    public PreflightReport? OverridePreflight(WorkflowDefinition definition, ValidatedParameters parameters, RunCommand cmd) =>
        ConfirmationGuard.IsApiUnreachableOverride(definition, parameters, cmd.Confirmation)
            ? preflight.Compute(definition, parameters, state.Current, time.GetUtcNow(), apiUnreachable: true)
            : null;

    /// <summary>The input check's pre-flight (before any confirmation is typed): for destructive workflows only.</summary>
    public PreflightReport? InitialPreflight(WorkflowDefinition definition, ValidatedParameters parameters, ClusterState current) =>
        definition.Destructive ? preflight.Compute(definition, parameters, current, time.GetUtcNow()) : null;

    public static string? Blocked(PreflightReport report) =>
        report.IsBlocked ? "the pre-flight blocks this run: " + string.Join("; ", report.Blocking.Select(b => b.Message)) : null;

    /// <summary>Takes the one-destructive-run lock, or says who holds it.</summary>
    public async Task<(IRunLockHandle? Handle, string? Refusal)> LockAsync(Guid runId, string workflowId, CancellationToken ct)
    {
        var (handle, heldBy) = await runLock.TryAcquireAsync(runId, workflowId, ct).ConfigureAwait(false);
        return (handle, handle is null ? $"another destructive run is in progress: {heldBy}" : null);
    }
}
