using HomeOps.Operations.Guards;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Engine;

/// <summary>
/// The API the web layer calls. Every command takes the <see cref="Actor"/> and re-checks it (operator role; for
/// destructive runs also step-up freshness, the typed confirmation and a reason); every refusal is audited.
/// </summary>
public interface IOperationsEngine : IAsyncDisposable
{
    IWorkflowCatalog Workflows { get; }

    /// <summary>Live events of runs (output lines, step and run status, gate results).</summary>
    IRunEvents Events { get; }

    /// <summary>Creates the schema and turns runs left Running by a previous process into Interrupted.</summary>
    Task InitializeAsync(CancellationToken ct = default);

    /// <summary>Marks orphaned runs (this instance restarted, or their replica's heartbeat stopped) Interrupted; returns how many.</summary>
    Task<int> RecoverOrphanedRunsAsync(CancellationToken ct = default);

    /// <summary>Validates input and shows what would run: concrete steps, pre-flight, the confirmation to type. Stores nothing.</summary>
    Task<RunPreview> PreviewAsync(RunRequest request, Actor actor, CancellationToken ct = default);

    /// <summary>Stores a run: destructive → AwaitingConfirmation (with its pre-flight), otherwise Pending.</summary>
    Task<RunCommandResult> CreateAsync(RunRequest request, Actor actor, CancellationToken ct = default);

    /// <summary>Confirms an AwaitingConfirmation run (typed confirmation, reason, step-up, fresh pre-flight, lock) and starts it.</summary>
    Task<RunCommandResult> ConfirmAsync(Guid runId, string? confirmation, string? reason, Actor actor, CancellationToken ct = default);

    /// <summary>Starts a Pending (non-destructive) run.</summary>
    Task<RunCommandResult> StartAsync(Guid runId, Actor actor, CancellationToken ct = default);

    /// <summary>Create and start in one call (the request carries the confirmation for a destructive workflow). Refusals store no run.</summary>
    Task<RunCommandResult> TriggerAsync(RunRequest request, Actor actor, CancellationToken ct = default);

    /// <summary>Resumes a Failed or Interrupted run from its first unfinished step; completed steps are not re-run unless forced.</summary>
    Task<RunCommandResult> ResumeAsync(ResumeRequest request, Actor actor, CancellationToken ct = default);

    /// <summary>Cancels: a Running run's process tree is killed; a Pending/AwaitingConfirmation run is closed.</summary>
    Task<RunCommandResult> CancelAsync(Guid runId, string? reason, Actor actor, CancellationToken ct = default);

    /// <summary>Closes a Failed or Interrupted run without resuming it (a reason is required).</summary>
    Task<RunCommandResult> AbandonAsync(Guid runId, string? reason, Actor actor, CancellationToken ct = default);

    Task<RunView?> GetRunAsync(Guid runId, CancellationToken ct = default);

    Task<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken ct = default);

    /// <summary>Waits until the run is not Running any more and its execution here has fully ended (lock released, audit completed).</summary>
    Task<RunView?> WaitUntilStoppedAsync(Guid runId, CancellationToken ct = default);
}
