using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// Issue 13's "done when", as an operator does it in Chromium on the strict stand-ins: a full-cluster safe reset from
/// the safe-reset page (backup first, the task's own verdict read), then the bootstrap wizard rebuilds from the reset
/// checkout (its .bootstrap-state/ markers survived the reset) and all six phases end green. AutoRejoin is off: the
/// nodes stay in maintenance mode until the wizard's phase 2 applies their configs, as real Talos nodes do.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ResetAndRebuildTests(BrowserFixture browser) : IAsyncLifetime
{
    private static readonly string[] Nodes = StrictStandIns.Nodes;
    private static readonly string[] Phases = StrictStandIns.Phases;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "homeops-e2e-rebuild", Guid.NewGuid().ToString("N"));
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync(StrictStandIns.Settings(_data));

    public async ValueTask DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static ILocator Field(IPage page, string testId) => MudFields.Input(page, testId);

    private static async Task ConfirmAsync(IPage page, string phrase, string reason)
    {
        var confirm = page.Locator("[data-testid=confirm-run]");
        await Expect(confirm).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Field(page, "confirm-phrase-input").FillAsync(phrase);
        await Field(page, "confirm-reason-input").FillAsync(reason);
        await Expect(confirm).ToBeEnabledAsync(new() { Timeout = 10_000 });
        await confirm.ClickAsync();
    }

    private bool InMaintenance(string node) => StrictStandIns.InMaintenance(_dashboard.Simulator, node);

    [Fact]
    public async Task Full_safe_reset_then_the_wizard_rebuilds_from_the_reset_checkout_and_all_six_phases_end_green()
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "admin", "/operations/safe-reset");
        await SignIn.WaitForCircuitAsync(page);
        foreach (var n in Nodes)
            await Expect(page.Locator($"[data-testid=live-node-{n}]")).ToHaveAttributeAsync("data-ready", "True", new() { Timeout = 30_000 });

        // The whole cluster: every node, the explicit full-cluster scope, the backup taken first (the default).
        foreach (var n in Nodes) await page.Locator($"[data-testid=pick-node-{n}] input").CheckAsync();
        await page.Locator("[data-testid=param-scope-full-cluster] input").CheckAsync();
        await Expect(page.Locator("[data-testid=param-backup-take] input")).ToBeCheckedAsync();
        await Expect(page.Locator("[data-testid=preflight]")).ToHaveAttributeAsync("data-blocked", "False", new() { Timeout = 15_000 });
        await page.Locator("[data-testid=launch-run]").ClickAsync();
        await ConfirmAsync(page, "SAFE-RESET", "e2e: full reset and rebuild drill");

        var monitor = page.Locator("[data-testid=run-monitor]");
        await Expect(monitor).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(monitor).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = 180_000 });
        await Expect(page.Locator("[data-testid=run-log-reset-all]")).ToContainTextAsync("RESET VALIDATION SUCCESSFUL");
        foreach (var n in Nodes)
            await Expect(page.Locator($"[data-testid=live-node-{n}]")).ToHaveAttributeAsync("data-ready", "False", new() { Timeout = 30_000 });
        Assert.All(Nodes, n => Assert.True(InMaintenance(n), $"{n} should stay in maintenance mode (AutoRejoin off)"));
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("rebuild-1-full-reset.png"), FullPage = true });

        // The wizard knows the cluster was reset since its last run and rebuilds from the reset checkout.
        await page.GotoAsync(_dashboard.BaseUrl + "/operations/bootstrap");
        await SignIn.WaitForCircuitAsync(page);
        await Expect(page.Locator("[data-testid=bootstrap-reset-since]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await page.Locator("[data-testid=bootstrap-start]").ClickAsync();
        await ConfirmAsync(page, "BOOTSTRAP", "e2e: rebuild after the full reset");

        await Expect(page.Locator("[data-testid=bootstrap-run-status]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        foreach (var phase in Phases)
        {
            var card = page.Locator($"[data-testid=phase-{phase}]");
            try
            {
                await Expect(card).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = 240_000 });
            }
            catch (PlaywrightException)
            {
                await page.ScreenshotAsync(new() { Path = Artifacts.PathFor($"rebuild-failed-{phase}.png"), FullPage = true });
                throw new Xunit.Sdk.XunitException($"{phase} did not succeed; the card says:\n{await card.InnerTextAsync()}");
            }
        }
        await Expect(page.Locator("[data-testid=bootstrap-run-status]")).ToContainTextAsync("Succeeded", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=bootstrap-reset-since]")).ToHaveCountAsync(0);
        // The rebuild really cleared the markers first and really applied the configs: the nodes are back, Ready.
        await Expect(page.Locator("[data-testid=phase-clear-state]")).ToHaveAttributeAsync("data-status", "Succeeded");
        Assert.All(Nodes, n => Assert.False(InMaintenance(n), $"{n} should be Ready after the rebuild"));
        // Issue 13 c: the dashboard probed the ingress VIP LB-IPAM assigned. Phase 3's Cilium has BGP off, so from the
        // LAN it is not announced: recorded as an advisory failure, never hidden, never blocking the rebuild.
        var vip = page.Locator("[data-testid=phase-phase-6] [data-testid=phase-recorded-gates]");
        await Expect(vip).ToContainTextAsync("ingress-vip-reachable");
        await Expect(vip).ToContainTextAsync("not announced");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("rebuild-2-six-phases-green.png"), FullPage = true });
        await context.CloseAsync();
    }
}
