using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// Layout on a 1440 px desktop, in a real Chromium: a health badge is one line ("Hea / lthy" was seen in the Flux
/// Kustomizations table): the Depends-on and message columns give up width instead.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BadgeLayoutTests(BrowserFixture browser) : IAsyncLifetime
{
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync();

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task Every_health_badge_in_the_flux_tables_is_one_line_at_1440_px()
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        // An operator sees the widest table (the Actions column).
        await SignIn.AsAsync(page, _dashboard, "admin", "/flux");
        await SignIn.WaitForCircuitAsync(page);
        var table = page.Locator("[data-testid=flux-table-kustomization]");
        await Expect(table.Locator(".health-badge").First).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // The lines a badge's text occupies: distinct tops of its text's line boxes.
        var lines = await table.EvaluateAsync<int[]>(@"t => [...t.querySelectorAll('.health-badge .mud-chip-content')].map(el => {
            const r = document.createRange(); r.selectNodeContents(el);
            return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; })");
        var texts = await table.Locator(".health-badge").AllInnerTextsAsync();
        Assert.NotEmpty(lines);
        Assert.True(lines.All(n => n == 1),
            "badges on more than one line: " + string.Join(", ", texts.Zip(lines).Where(x => x.Second != 1).Select(x => $"'{x.First}' ({x.Second} lines)")));

        await context.CloseAsync();
    }
}
