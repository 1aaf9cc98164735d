using System.Security.Claims;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Flux;
using HomeOps.Operations.Guards;
using HomeOps.Operations.Workflows;

namespace HomeOps.Dashboard.Security;

/// <summary>
/// The signed-in user's <see cref="ActionBudget"/> as a circuit's commands draw from it — the same budget the action
/// endpoints and operator hub methods use. The decorators below call <see cref="RefusalAsync"/> first in each command.
/// </summary>
/// <param name="user">The circuit's user at the time of the call (its authentication state can change).</param>
public sealed class CircuitActionBudget(ActionBudget budget, Func<Task<ClaimsPrincipal>> user)
{
    /// <summary>Null when the command may run; otherwise the refusal to show. <paramref name="target"/> names it in the audit.</summary>
    public async Task<string?> RefusalAsync(string target, CancellationToken ct) =>
        await budget.TryTakeAsync(await user(), $"ui {target}", ct);
}

/// <summary>
/// The engine as a Blazor circuit sees it: each command (create, confirm, start, trigger, resume, cancel, abandon) draws
/// from the user's action budget first and, when refused, answers a refused <see cref="RunCommandResult"/> (the pages
/// show those like any other refusal) instead of calling through. Reads and previews pass straight through.
/// A command added to <see cref="IOperationsEngine"/> must be limited here too (a test enumerates them).
/// </summary>
public sealed class RateLimitedOperationsEngine(IOperationsEngine inner, CircuitActionBudget budget) : IOperationsEngine
{
    private const string Name = nameof(IOperationsEngine);

    private async Task<RunCommandResult> Limited(string method, CancellationToken ct, Func<Task<RunCommandResult>> command) =>
        await budget.RefusalAsync($"{Name}.{method}", ct) is { } refusal
            ? new RunCommandResult(false, null, null, [refusal], null, null)
            : await command();

    public Task<RunCommandResult> CreateAsync(RunRequest request, Actor actor, CancellationToken ct = default) =>
        Limited(nameof(CreateAsync), ct, () => inner.CreateAsync(request, actor, ct));

    public Task<RunCommandResult> ConfirmAsync(Guid runId, string? confirmation, string? reason, Actor actor, CancellationToken ct = default) =>
        Limited(nameof(ConfirmAsync), ct, () => inner.ConfirmAsync(runId, confirmation, reason, actor, ct));

    public Task<RunCommandResult> StartAsync(Guid runId, Actor actor, CancellationToken ct = default) =>
        Limited(nameof(StartAsync), ct, () => inner.StartAsync(runId, actor, ct));

    public Task<RunCommandResult> TriggerAsync(RunRequest request, Actor actor, CancellationToken ct = default) =>
        Limited(nameof(TriggerAsync), ct, () => inner.TriggerAsync(request, actor, ct));

    public Task<RunCommandResult> ResumeAsync(ResumeRequest request, Actor actor, CancellationToken ct = default) =>
        Limited(nameof(ResumeAsync), ct, () => inner.ResumeAsync(request, actor, ct));

    public Task<RunCommandResult> CancelAsync(Guid runId, string? reason, Actor actor, CancellationToken ct = default) =>
        Limited(nameof(CancelAsync), ct, () => inner.CancelAsync(runId, reason, actor, ct));

    public Task<RunCommandResult> AbandonAsync(Guid runId, string? reason, Actor actor, CancellationToken ct = default) =>
        Limited(nameof(AbandonAsync), ct, () => inner.AbandonAsync(runId, reason, actor, ct));

    // ---- not commands: straight through ----

    public IWorkflowCatalog Workflows => inner.Workflows;

    public IRunEvents Events => inner.Events;

    public Task InitializeAsync(CancellationToken ct = default) => inner.InitializeAsync(ct);

    public Task<int> RecoverOrphanedRunsAsync(CancellationToken ct = default) => inner.RecoverOrphanedRunsAsync(ct);

    public Task<RunPreview> PreviewAsync(RunRequest request, Actor actor, CancellationToken ct = default) => inner.PreviewAsync(request, actor, ct);

    public Task<RunView?> GetRunAsync(Guid runId, CancellationToken ct = default) => inner.GetRunAsync(runId, ct);

    public Task<IReadOnlyList<RunSummary>> ListRunsAsync(RunQuery query, CancellationToken ct = default) => inner.ListRunsAsync(query, ct);

    public Task<RunView?> WaitUntilStoppedAsync(Guid runId, CancellationToken ct = default) => inner.WaitUntilStoppedAsync(runId, ct);

    /// <summary>The engine is the process's (a singleton); a circuit's view of it owns nothing to dispose.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// The Flux actions as a Blazor circuit sees them: every action draws from the user's action budget first and, when
/// refused, answers a refused <see cref="FluxActionResult"/> (shown in a snackbar) without patching anything.
/// </summary>
public sealed class RateLimitedFluxActions(IFluxActions inner, CircuitActionBudget budget) : IFluxActions
{
    private const string Name = nameof(IFluxActions);

    private async Task<FluxActionResult> Limited(string method, CancellationToken ct, Func<Task<FluxActionResult>> action) =>
        await budget.RefusalAsync($"{Name}.{method}", ct) is { } refusal
            ? new FluxActionResult(false, refusal, 0)
            : await action();

    public Task<FluxActionResult> ReconcileAsync(FluxObjectRef target, bool withSource, Actor actor, CancellationToken ct = default) =>
        Limited(nameof(ReconcileAsync), ct, () => inner.ReconcileAsync(target, withSource, actor, ct));

    public Task<FluxActionResult> SuspendAsync(FluxObjectRef target, Actor actor, string reason, CancellationToken ct = default) =>
        Limited(nameof(SuspendAsync), ct, () => inner.SuspendAsync(target, actor, reason, ct));

    public Task<FluxActionResult> ResumeAsync(FluxObjectRef target, Actor actor, string? reason, CancellationToken ct = default) =>
        Limited(nameof(ResumeAsync), ct, () => inner.ResumeAsync(target, actor, reason, ct));

    public Task<FluxActionResult> ResumeAndReconcileAsync(FluxObjectRef target, Actor actor, string? reason, CancellationToken ct = default) =>
        Limited(nameof(ResumeAndReconcileAsync), ct, () => inner.ResumeAndReconcileAsync(target, actor, reason, ct));
}
