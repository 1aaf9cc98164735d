using HomeOps.Dashboard.Auth;
using HomeOps.Dashboard.Components.Dialogs;
using HomeOps.Dashboard.Security;
using HomeOps.Dashboard.ViewModels;
using HomeOps.Operations.Flux;
using HomeOps.Operations.Guards;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace HomeOps.Dashboard.Components.Controls.Operations;

public partial class FluxActionMenu
{
    [Parameter, EditorRequired] public FluxRow Row { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private bool _busy;
    private IFluxActions? _flux;

    /// <summary>The Flux actions, each drawing from the user's action budget first (as the endpoint and the hub method do).</summary>
    private IFluxActions Flux => _flux ??= new RateLimitedFluxActions(UnlimitedFlux, new CircuitActionBudget(Budget, UserAsync));

    private async Task<System.Security.Claims.ClaimsPrincipal> UserAsync() =>
        AuthenticationState is null ? new System.Security.Claims.ClaimsPrincipal() : (await AuthenticationState).User;

    private string TestId => $"flux-actions-{RowIds.KindSlug(Row.Kind)}-{Row.Name}";

    private FluxObjectRef Target => new(Row.Kind.Kind, Row.Namespace, Row.Name);

    private async Task<Actor> ActorAsync() => ActorFactory.From(await UserAsync(), AuthOptions.Value);

    private Task ReconcileAsync(bool withSource) => ActAsync(async actor => await Flux.ReconcileAsync(Target, withSource, actor));

    private async Task SuspendAsync()
    {
        var answer = await OperationsDialogs.AskAsync(Dialogs, $"Suspend {Row.Kind.Kind} {Row.Name}?",
            "Flux stops reconciling it until it is resumed. Who and why are recorded on the object and in the audit log.", null, false, reasonRequired: true, "Suspend");
        if (answer is null) return;
        await ActAsync(async actor => await Flux.SuspendAsync(Target, actor, answer.Reason ?? ""));
    }

    private async Task ResumeAsync(bool reconcile)
    {
        var answer = await OperationsDialogs.AskAsync(Dialogs, $"{(reconcile ? "Resume and reconcile" : "Resume")} {Row.Kind.Kind} {Row.Name}?",
            reconcile ? "Resumes it and requests a reconcile in one change." : "Flux reconciles it again at its next interval.", null, false, reasonRequired: false,
            reconcile ? "Resume and reconcile" : "Resume");
        if (answer is null) return;
        await ActAsync(async actor => reconcile
            ? await Flux.ResumeAndReconcileAsync(Target, actor, answer.Reason)
            : await Flux.ResumeAsync(Target, actor, answer.Reason));
    }

    private async Task ActAsync(Func<Actor, Task<FluxActionResult>> action)
    {
        _busy = true;
        try
        {
            var result = await action(await ActorAsync());
            Snackbar.Add(result.Message, result.Accepted ? Severity.Success : Severity.Error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The Kubernetes API refused or is unreachable: say so, keep the page alive.
            Snackbar.Add($"{Row.Kind.Kind} {Row.Name}: the action failed: {Format.Truncate(ex.Message, 200)}", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }
}
