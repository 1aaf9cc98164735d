using Bunit;
using HomeOps.Dashboard.Components.Controls.Operations;
using HomeOps.Dashboard.Components.Pages.Operations;
using HomeOps.Dashboard.Components.Pages;
using HomeOps.Dashboard.Security;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace HomeOps.Dashboard.Tests.Operations;

/// <summary>
/// Operations started in the circuit draw from the same per-user action budget as the action endpoints: here two
/// actions per (long) window, so the third is refused on the page, audited once, and never reaches the engine.
/// </summary>
public sealed class UiRateLimitTests() : OperationsTestContext(rateLimits: new RateLimitOptions
{
    Actions = new WindowLimit { PermitLimit = 2, WindowSeconds = 600 },
})
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_third_launch_from_the_page_is_refused_with_a_message_audited_once_and_not_run()
    {
        SignInAsOperator();
        RenderProviders();
        var cut = Render<WorkflowLauncher>(p => p.Add(x => x.WorkflowId, TestWorkflowId));

        for (var i = 0; i < 2; i++)
        {
            cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=launch-run]").HasAttribute("disabled")), Wait);
            await cut.Find("[data-testid=launch-run]").ClickAsync(new());
            cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=launch-another]")), Wait);
            await cut.Find("[data-testid=launch-another]").ClickAsync(new());
        }
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=launch-run]").HasAttribute("disabled")), Wait);
        await cut.Find("[data-testid=launch-run]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Matches(@"Too many actions: try again in \d+ s\.", cut.Find("[data-testid=launch-refused]").TextContent), Wait);
        Assert.Empty(cut.FindAll("[data-testid=run-link]"));
        // A second refusal in the same window is refused too, but not audited again.
        await cut.Find("[data-testid=launch-run]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("Too many actions", cut.Find("[data-testid=launch-refused]").TextContent), Wait);

        var runs = await Engine.ListRunsAsync(new RunQuery(TestWorkflowId), Ct);
        Assert.Equal(2, runs.Count);
        var refused = Assert.Single(await Audit.QueryAsync(new AuditQuery(Action: AuditAction.RateLimitRefused.Name), Ct));
        Assert.Equal("admin", refused.User);
        Assert.Equal(AuditOutcome.Refused, refused.Outcome);
        Assert.Equal("ui IOperationsEngine.TriggerAsync", refused.Target);
        foreach (var run in runs) await Engine.WaitUntilStoppedAsync(run.Id, Ct);
    }

    [Fact]
    public async Task A_refused_Flux_action_says_so_in_a_snackbar_is_audited_and_patches_nothing()
    {
        SignInAsOperator();
        RenderProviders();
        var snackbars = Render<MudBlazor.MudSnackbarProvider>();
        var popovers = Popovers;
        var cut = Render<Flux>();

        async Task ReconcileAsync()
        {
            await cut.Find("[data-testid=flux-actions-kustomization-infrastructure-longhorn] button").ClickAsync(new());
            popovers.WaitForAssertion(() => Assert.NotEmpty(popovers.FindAll("[data-testid=flux-action-reconcile]")), Wait);
            await popovers.Find("[data-testid=flux-action-reconcile]").ClickAsync(new());
        }

        await ReconcileAsync();
        await Poll.UntilAsync(() => FluxObjects.Patches.Count == 1);
        await ReconcileAsync();
        await Poll.UntilAsync(() => FluxObjects.Patches.Count == 2);
        await ReconcileAsync();

        snackbars.WaitForAssertion(() => Assert.Matches(@"Too many actions: try again in \d+ s\.", snackbars.Markup), Wait);
        Assert.Equal(2, FluxObjects.Patches.Count);
        Assert.Equal(2, (await Audit.QueryAsync(new AuditQuery(Action: "flux.reconcile"), Ct)).Count);
        var refused = Assert.Single(await Audit.QueryAsync(new AuditQuery(Action: AuditAction.RateLimitRefused.Name), Ct));
        Assert.Equal("ui IFluxActions.ReconcileAsync", refused.Target);
        Assert.NotEmpty(cut.FindAll("tr.resource-row")); // the circuit carries on
    }

    [Fact]
    public async Task The_circuit_and_the_hub_share_one_budget_per_user()
    {
        // Two UI actions spend the budget; the same user's next action anywhere (here the budget the hub filter and
        // any other caller take from) is refused.
        SignInAsOperator();
        var budget = Services.GetRequiredService<ActionBudget>();
        var user = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim("preferred_username", "admin")], "test"));
        Assert.Null(await budget.TryTakeAsync(user, "hub ClusterHub.Reconcile", Ct));
        RenderProviders();
        var cut = Render<WorkflowLauncher>(p => p.Add(x => x.WorkflowId, TestWorkflowId));
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=launch-run]").HasAttribute("disabled")), Wait);
        await cut.Find("[data-testid=launch-run]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=launch-another]")), Wait);

        Assert.NotNull(await budget.TryTakeAsync(user, "hub ClusterHub.Reconcile", Ct));
        var other = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim("preferred_username", "someone-else")], "test"));
        Assert.Null(await budget.TryTakeAsync(other, "hub ClusterHub.Reconcile", Ct)); // per user, not global
        foreach (var run in await Engine.ListRunsAsync(new RunQuery(TestWorkflowId), Ct)) await Engine.WaitUntilStoppedAsync(run.Id, Ct);
    }
}
