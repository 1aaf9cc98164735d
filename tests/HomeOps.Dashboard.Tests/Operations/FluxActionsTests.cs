using Bunit;
using HomeOps.Dashboard.Components.Pages;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Flux;

namespace HomeOps.Dashboard.Tests.Operations;

public sealed class FluxActionsTests : OperationsTestContext
{
    [Fact]
    public void A_viewer_sees_no_action_column_and_no_menu()
    {
        SignInAsViewer();
        RenderProviders();
        var cut = Render<Flux>();

        Assert.NotEmpty(cut.FindAll("tr.resource-row"));
        Assert.Empty(cut.FindAll("[data-testid^=flux-actions-]"));
        Assert.DoesNotContain(cut.FindAll("th"), th => th.TextContent == "Actions");
    }

    [Fact]
    public async Task An_operator_reconciles_from_the_row_menu_and_it_is_patched_and_audited()
    {
        SignInAsOperator();
        RenderProviders();
        var popovers = Popovers;
        var cut = Render<Flux>();

        Assert.Contains(cut.FindAll("th"), th => th.TextContent == "Actions");
        var menu = cut.Find("[data-testid=flux-actions-kustomization-infrastructure-longhorn] button");
        await menu.ClickAsync(new());
        popovers.WaitForAssertion(() => Assert.NotEmpty(popovers.FindAll("[data-testid=flux-action-reconcile]")), Wait);
        Assert.NotEmpty(popovers.FindAll("[data-testid=flux-action-suspend]"));
        await popovers.Find("[data-testid=flux-action-reconcile]").ClickAsync(new());

        await Poll.UntilAsync(() => FluxObjects.Patches.Count == 1);
        var (target, patch) = Assert.Single(FluxObjects.Patches);
        Assert.Equal(new FluxObjectRef("Kustomization", "flux-system", "infrastructure-longhorn"), target);
        Assert.Contains("reconcile.fluxcd.io/requestedAt", patch);
        var entry = Assert.Single(await Audit.QueryAsync(new AuditQuery(Action: "flux.reconcile"), Xunit.TestContext.Current.CancellationToken));
        Assert.Equal("admin", entry.User);
        Assert.Equal(AuditOutcome.Succeeded, entry.Outcome);
        // The row click (detail drawer) was not triggered by the menu.
        Assert.Empty(cut.FindAll("[data-testid=detail-raw-status]"));
    }
}

public sealed class FluxActionFailureTests : OperationsTestContext
{
    [Fact]
    public async Task A_patch_the_API_refuses_shows_the_reason_keeps_the_page_alive_and_is_audited_as_failed()
    {
        SignInAsOperator();
        RenderProviders();
        var snackbars = Render<MudBlazor.MudSnackbarProvider>();
        FluxObjects.PatchFailure = new HttpRequestException("Connection refused (127.0.0.1:6443)");
        var popovers = Popovers;
        var cut = Render<Flux>();

        await cut.Find("[data-testid=flux-actions-kustomization-infrastructure-longhorn] button").ClickAsync(new());
        popovers.WaitForAssertion(() => Assert.NotEmpty(popovers.FindAll("[data-testid=flux-action-reconcile]")), Wait);
        await popovers.Find("[data-testid=flux-action-reconcile]").ClickAsync(new());

        snackbars.WaitForAssertion(() => Assert.Contains("the Kubernetes API is unreachable: Connection refused", snackbars.Markup), Wait);
        var entry = Assert.Single(await Audit.QueryAsync(new AuditQuery(Action: "flux.reconcile"), Xunit.TestContext.Current.CancellationToken));
        Assert.Equal(AuditOutcome.Failed, entry.Outcome);
        Assert.NotEmpty(cut.FindAll("tr.resource-row")); // the circuit carries on
    }
}

internal static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(20, Xunit.TestContext.Current.CancellationToken);
        }
    }
}
