using HomeOps.Dashboard.Auth;
using HomeOps.Dashboard.Security;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Guards;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Components.Controls.Operations;

/// <summary>
/// Base of the operations pages: the store (live state, for gates and the pre-flight), the engine, and the signed-in
/// user as the engine's <see cref="Actor"/>. What the page shows to whom is presentation only — every command goes
/// to the engine with the actor of this circuit, and the engine decides; the user's action budget applies first.
/// </summary>
public abstract class OperationsComponent : StoreBoundComponent
{
    [Inject] private IOperationsEngine UnlimitedEngine { get; set; } = default!;

    [Inject] private ActionBudget Budget { get; set; } = default!;

    private IOperationsEngine? _engine;

    /// <summary>
    /// The engine, with every command (create, trigger, confirm, start, resume, cancel, abandon) drawing from the
    /// user's action budget first — the same one the action endpoints and hub methods use. A refused command answers
    /// a refused <see cref="RunCommandResult"/>, which the pages show like any other refusal.
    /// </summary>
    protected IOperationsEngine Engine => _engine ??= new RateLimitedOperationsEngine(UnlimitedEngine, new CircuitActionBudget(Budget, UserAsync));

    [Inject] protected IOptions<AuthOptions> AuthOptions { get; set; } = default!;

    [Inject] private HomeOps.Operations.OperationsOptions OperationsOptions { get; set; } = default!;

    /// <summary>
    /// Why <paramref name="workflow"/> cannot start where this dashboard runs (a station-only workflow, a full-cluster choice or a reset of its own node, in the pod),
    /// shown before anything starts; null when it can. The engine refuses the same with the same text.
    /// </summary>
    protected string? WhereRefusal(HomeOps.Operations.Workflows.WorkflowDefinition workflow, IReadOnlyDictionary<string, string> parameters) =>
        workflow.Where.Refusal(workflow.Id, parameters, OperationsOptions.RunsInCluster, OperationsOptions.DashboardNodeName);

    [Inject] protected NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter] protected Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>Whether to show action controls (the engine checks again on every command).</summary>
    protected bool ShowsControls { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        var user = await UserAsync();
        ShowsControls = Policies.IsOperator(user, AuthOptions.Value);
    }

    protected async Task<System.Security.Claims.ClaimsPrincipal> UserAsync() =>
        AuthenticationState is null ? new System.Security.Claims.ClaimsPrincipal() : (await AuthenticationState).User;

    /// <summary>The actor for an engine call, read from the circuit's authentication state at the time of the call.</summary>
    protected async Task<Actor> ActorAsync() => ActorFactory.From(await UserAsync(), AuthOptions.Value);

    /// <summary>
    /// Step-up before a destructive action: when the sign-in is older than Auth:StepUpMaxAge, send the browser to
    /// re-authenticate at the identity provider and come back to <paramref name="returnUrl"/> (a full reload, so the
    /// new circuit carries the fresh auth_time). Returns false when it navigated away.
    /// </summary>
    protected async Task<bool> EnsureFreshSignInAsync(string returnUrl)
    {
        if (ActorFactory.IsFresh(await UserAsync(), AuthOptions.Value, Now)) return true;
        Navigation.NavigateTo("/login/step-up?returnUrl=" + Uri.EscapeDataString(returnUrl), forceLoad: true);
        return false;
    }

    /// <summary>The current page as a local URL (path and query), for step-up's return.</summary>
    protected string CurrentLocalUrl => "/" + Navigation.ToBaseRelativePath(Navigation.Uri);
}
