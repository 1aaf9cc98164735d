using System.Text.Json;
using HomeOps.Cluster.Model;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// Issue 17, "the Flux action menu and the workflow pages work on a phone": an operator on a 390×844 touch screen opens
/// a Flux object's action menu (every item a finger-sized target inside the screen) and reconciles from it — the request
/// reaches the simulated API and the audit; and walks the bootstrap wizard and a workflow page up to their guarded
/// confirmation, with no sideways scrolling. Screenshots go to the test artifacts.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneOperationsTests(BrowserFixture browser) : IAsyncLifetime
{
    private const int Width = 390;
    private const int Height = 844;
    private const string ReconcileAnnotation = "reconcile.fluxcd.io/requestedAt";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "homeops-e2e-phone-ops", Guid.NewGuid().ToString("N"));
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync(new Dictionary<string, string?>
    {
        // Its own database: parallel dashboards never share runs, the audit or the lock.
        ["Operations:DataDirectory"] = _data,
        ["Operations:StandIns:Enabled"] = "true",
    });

    public async ValueTask DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private async Task<IPage> OpenPhoneAsOperatorAsync(string path)
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = Width, Height = Height }, HasTouch = true });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "admin", path);
        await SignIn.WaitForCircuitAsync(page);
        return page;
    }

    /// <summary>At least 44 px tall (and wide, unless it is a full-width row) and wholly on the screen.</summary>
    private static async Task AssertFingerSizedOnScreenAsync(ILocator target, string what, bool row = false)
    {
        var box = await target.BoundingBoxAsync() ?? throw new Xunit.Sdk.XunitException($"{what} is not rendered");
        Assert.True(box.Height >= 44, $"{what} is {box.Height:0.#} px tall");
        if (!row) Assert.True(box.Width >= 44, $"{what} is {box.Width:0.#} px wide");
        Assert.True(box.X >= 0 && box.Y >= 0 && box.X + box.Width <= Width && box.Y + box.Height <= Height,
            $"{what} at ({box.X:0.#}, {box.Y:0.#}) {box.Width:0.#}×{box.Height:0.#} is not inside the {Width}×{Height} screen");
    }

    private static async Task AssertNoSideways(IPage page, string what)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{what} scrolls sideways by {overflow}px at {Width}px");
    }

    private string? ReconcileRequestedAt() =>
        _dashboard.Simulator.Cluster.Get(Kinds.Kustomization, "flux-system", "flux-system")?["metadata"]?["annotations"]?[ReconcileAnnotation]?.GetValue<string>();

    [Fact]
    public async Task The_flux_action_menu_has_finger_sized_items_on_the_screen_and_its_reconcile_reaches_the_server()
    {
        var page = await OpenPhoneAsOperatorAsync("/flux");
        var menu = page.Locator("[data-testid=flux-actions-kustomization-flux-system]");
        await Expect(menu).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var opener = menu.Locator("button").First;
        await opener.ScrollIntoViewIfNeededAsync();
        await AssertFingerSizedOnScreenAsync(opener, "the Flux action menu button");
        await AssertNoSideways(page, "the Flux page");
        var before = ReconcileRequestedAt();

        await opener.TapAsync();
        var items = page.Locator("[data-testid^=flux-action-]:visible");
        await Expect(items.First).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var count = await items.CountAsync();
        Assert.True(count >= 3, $"{count} menu items (reconcile, reconcile with source, suspend)");
        for (var i = 0; i < count; i++)
        {
            var item = items.Nth(i);
            await AssertFingerSizedOnScreenAsync(item, $"menu item '{(await item.InnerTextAsync()).Trim()}'", row: true);
        }
        await AssertNoSideways(page, "the Flux page with its menu open");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("phone-flux-action-menu-390x844.png") });

        await page.Locator("[data-testid=flux-action-reconcile]").TapAsync();

        // It reached the API: the simulated Flux object carries a new reconcile request …
        await Poll.UntilAsync(() => Task.FromResult(ReconcileRequestedAt() is { } at && at != before), TimeSpan.FromSeconds(15),
            () => $"annotation {ReconcileRequestedAt() ?? "(none)"}, before {before ?? "(none)"}");
        // … and the audit records it as done by this operator.
        await Poll.UntilAsync(async () =>
        {
            var audit = await page.Context.APIRequest.GetAsync(_dashboard.BaseUrl + "/api/v1/audit?format=json&user=admin&action=flux.reconcile");
            using var entries = JsonDocument.Parse(await audit.TextAsync());
            return entries.RootElement.EnumerateArray().Any(e =>
                e.GetProperty("action").GetString() == "flux.reconcile" &&
                e.GetProperty("outcome").GetString() == "Succeeded" &&
                (e.GetProperty("target").GetString() ?? "").Contains("flux-system", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(15), () => "no Succeeded flux.reconcile of flux-system by admin in the audit");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("phone-flux-reconciled-390x844.png") });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_bootstrap_wizard_and_a_workflow_page_reach_their_guarded_confirmation_on_a_phone()
    {
        var page = await OpenPhoneAsOperatorAsync("/operations/bootstrap");
        var start = page.Locator("[data-testid=bootstrap-start]");
        await Expect(start).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=phase-phase-1]")).ToBeVisibleAsync();
        await AssertNoSideways(page, "the bootstrap wizard");
        await start.ScrollIntoViewIfNeededAsync();
        await AssertFingerSizedOnScreenAsync(start, "Start bootstrap");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("phone-bootstrap-wizard-390x844.png"), FullPage = true });

        await start.TapAsync();
        await ConfirmationIsGuardedAndFitsAsync(page, "BOOTSTRAP", "the bootstrap confirmation", "phone-bootstrap-confirm-390x844.png");
        await CancelConfirmationAsync(page);
        await Expect(page.Locator("[data-testid=bootstrap-no-run]")).ToBeVisibleAsync();   // cancelled: nothing ran

        // A generic workflow page: choose a node (a finger-sized choice), then the launch button and its confirmation.
        await page.GotoAsync(_dashboard.BaseUrl + "/operations/workflows/cluster:safe-reboot");
        await SignIn.WaitForCircuitAsync(page);
        var choice = page.Locator("[data-testid=pick-node-mini02]");
        await Expect(choice).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await choice.ScrollIntoViewIfNeededAsync();
        await AssertFingerSizedOnScreenAsync(choice, "the node choice mini02", row: true);
        await choice.Locator("input").CheckAsync();
        var launch = page.Locator("[data-testid=launch-run]");
        await Expect(launch).ToBeEnabledAsync(new() { Timeout = 15_000 });
        await AssertNoSideways(page, "the safe-reboot workflow page");
        await launch.ScrollIntoViewIfNeededAsync();
        await AssertFingerSizedOnScreenAsync(launch, "the launch button");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("phone-workflow-safe-reboot-390x844.png"), FullPage = true });

        await launch.TapAsync();
        await ConfirmationIsGuardedAndFitsAsync(page, "mini02", "the safe-reboot confirmation", "phone-workflow-confirm-390x844.png");
        await CancelConfirmationAsync(page);
        await page.Context.CloseAsync();
    }

    /// <summary>Backs out of the confirmation: nothing is run.</summary>
    private static async Task CancelConfirmationAsync(IPage page)
    {
        await page.Locator("[data-testid=confirm-cancel]").TapAsync();
        await Expect(page.Locator("[data-testid=confirm-dialog]")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
    }

    /// <summary>The confirm button stays disabled until the phrase and a reason are typed; the dialog and its buttons fit the screen.</summary>
    private static async Task ConfirmationIsGuardedAndFitsAsync(IPage page, string phrase, string what, string screenshot)
    {
        var confirm = page.Locator("[data-testid=confirm-run]");
        await Expect(confirm).ToBeDisabledAsync(new() { Timeout = 10_000 });
        await Expect(page.Locator("[data-testid=confirm-expected]")).ToHaveTextAsync(phrase);
        var phraseInput = MudFields.Input(page, "confirm-phrase-input");
        await AssertFingerSizedOnScreenAsync(phraseInput, $"{what}: the phrase field", row: true);
        await phraseInput.FillAsync(phrase.ToLowerInvariant() == phrase ? phrase + "x" : phrase.ToLowerInvariant());
        await MudFields.Input(page, "confirm-reason-input").FillAsync("e2e: phone walk-through");
        await Expect(confirm).ToBeDisabledAsync();
        await phraseInput.FillAsync(phrase);
        await Expect(confirm).ToBeEnabledAsync(new() { Timeout = 10_000 });

        var dialog = (await page.Locator(".mud-dialog").First.BoundingBoxAsync())!;
        Assert.True(dialog.X >= 0 && dialog.X + dialog.Width <= Width, $"{what} spans {dialog.X:0.#}..{dialog.X + dialog.Width:0.#} of {Width}px");
        await confirm.ScrollIntoViewIfNeededAsync();
        await AssertFingerSizedOnScreenAsync(confirm, $"{what}: the confirm button");
        await AssertFingerSizedOnScreenAsync(page.Locator("[data-testid=confirm-cancel]"), $"{what}: the cancel button");
        await AssertNoSideways(page, what);
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor(screenshot) });
    }
}
