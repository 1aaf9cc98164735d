using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// The phone at 2 a.m. (issue 17), in a real Chromium at 390×844: the verdict and the first problem above the fold,
/// 44 px touch targets, the system's light theme, and — with the dashboard stopped — the service worker's offline view
/// of the last known verdicts with their age. Screenshots go to the test artifacts.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class PhoneTests(BrowserFixture browser) : IAsyncLifetime
{
    private const int Width = 390;
    private const int Height = 844;
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync();

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    [GeneratedRegex(@"^offline — last known at \d\d:\d\d \(\d+ (s|min) ago\)$")]
    private static partial Regex OfflineAge();

    private async Task<IPage> OpenPhoneAsync(ColorScheme scheme = ColorScheme.Light)
    {
        var context = await browser.Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = Width, Height = Height }, HasTouch = true, ColorScheme = scheme,
        });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "viewer", "/");
        await SignIn.WaitForCircuitAsync(page);
        return page;
    }

    private static async Task WaitForOfflineSnapshotAsync(IPage page)
    {
        // The worker controls the page and holds a copy of /api/v1/problems (pwa.js asks it to fetch one).
        await page.WaitForFunctionAsync("() => !!navigator.serviceWorker.controller", null, new() { Timeout = 30_000 });
        await page.EvaluateAsync("() => navigator.serviceWorker.controller.postMessage('refresh')");
        await page.WaitForFunctionAsync(
            "async () => { const c = await caches.open('homeops-data-v1'); return !!(await c.match('/api/v1/problems')); }",
            null, new() { Timeout = 30_000, PollingInterval = 200 });
    }

    [Fact]
    public async Task The_verdict_and_the_first_problem_are_visible_without_scrolling_and_targets_are_44px()
    {
        _dashboard.Simulator.Scenarios.Trigger("node-notready");
        var page = await OpenPhoneAsync();
        var first = page.Locator("[data-testid=problem]").First;
        await Expect(first).ToHaveAttributeAsync("data-health", "Failed", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=verdict-text]")).ToHaveTextAsync(new Regex(@"^\d+ problems?$"));
        // The seeded cluster has other Failed objects too (an LB Service without a pool label); mini02 is among them.
        var node = page.Locator("[data-testid=problem][data-area=Nodes]", new() { HasText = "mini02" });
        await Expect(node).ToHaveAttributeAsync("data-health", "Failed");

        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.scrollY"));
        var verdict = (await page.Locator("[data-testid=verdict]").BoundingBoxAsync())!;
        var problem = (await first.BoundingBoxAsync())!;
        Assert.True(verdict.Y >= 0 && verdict.Y + verdict.Height <= Height, $"verdict at {verdict.Y}+{verdict.Height} of {Height}");
        Assert.True(problem.Y + problem.Height <= Height, $"first problem ends at {problem.Y + problem.Height} of {Height}");
        var tiles = (await page.Locator("[data-testid=overview-grid]").BoundingBoxAsync())!;
        Assert.True(tiles.Y > problem.Y, "the tiles come after the problems");

        foreach (var selector in new[] { "[data-testid=problem]", "[data-testid=nav-toggle]", "[data-testid=theme-toggle]", "[data-testid=user-menu] button" })
        {
            var box = (await page.Locator(selector).First.BoundingBoxAsync())!;
            Assert.True(box.Height >= 44 && box.Width >= 44, $"{selector} is {box.Width}×{box.Height} px");
        }

        // The theme follows the system preference (light here).
        await Expect(page.Locator("[data-testid=theme-toggle]")).ToHaveAttributeAsync("data-mode", "light");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("phone-overview-verdict-first-390x844.png") });

        // One tap from the problem to its object.
        await node.ClickAsync();
        await page.WaitForURLAsync(new Regex("/nodes\\?kind=Node&object="), new() { Timeout = 15_000 });
        await Expect(page.Locator("[data-testid=detail-title]")).ToHaveTextAsync("mini02", new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("phone-problem-detail-390x844.png") });

        await page.GotoAsync(_dashboard.BaseUrl + "/flux");
        await SignIn.WaitForCircuitAsync(page);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the Flux page scrolls sideways by {overflow}px at 390px");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("phone-flux-390x844.png") });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task With_the_server_stopped_the_installed_app_shows_the_last_known_verdicts_with_their_age()
    {
        _dashboard.Simulator.Scenarios.Trigger("node-notready");
        var page = await OpenPhoneAsync(ColorScheme.Dark);
        await Expect(page.Locator("[data-testid=problem]").First).ToHaveAttributeAsync("data-health", "Failed", new() { Timeout = 30_000 });
        await WaitForOfflineSnapshotAsync(page);
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("phone-online-before-stop-390x844.png") });

        await _dashboard.App.DisposeAsync();   // the dashboard is down: nothing answers on its port
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.Load });

        var freshness = page.Locator("[data-testid=offline-freshness]");
        await Expect(freshness).ToHaveTextAsync(OfflineAge(), new() { Timeout = 15_000 });
        await Expect(page.Locator("[data-testid=offline-verdict]")).ToHaveTextAsync(new Regex(@"^\d+ problems?$"));
        await Expect(page.Locator("[data-testid=offline-problem][data-area=Nodes]", new() { HasText = "mini02" })).ToHaveAttributeAsync("data-health", "Failed");
        // Never shown as live.
        Assert.DoesNotContain("live", await freshness.TextContentAsync() ?? "");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("phone-offline-last-known-390x844.png") });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Signing_out_clears_the_offline_copy()
    {
        var page = await OpenPhoneAsync();
        await WaitForOfflineSnapshotAsync(page);

        await page.Locator("[data-testid=user-menu] button").First.ClickAsync();
        await page.Locator("[data-testid=sign-out]").ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(_dashboard.BaseUrl + "/signed-out", StringComparison.Ordinal), new() { Timeout = 30_000 });
        await page.WaitForFunctionAsync("async () => (await caches.keys()).length === 0", null, new() { Timeout = 15_000, PollingInterval = 200 });
        var registrations = await page.EvaluateAsync<int>("async () => (await navigator.serviceWorker.getRegistrations()).length");
        Assert.Equal(0, registrations);
        await page.Context.CloseAsync();
    }
}
