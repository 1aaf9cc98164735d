using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>A session that ends under an open page: the page says so and signing in again returns to it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionExpiryTests(BrowserFixture browser) : IAsyncLifetime
{
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync(new Dictionary<string, string?>
    {
        // Short enough to see an open page's session end; checked every second.
        ["Auth:SessionLifetime"] = "00:00:15",
        ["Auth:RevalidationInterval"] = "00:00:01",
    });

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task A_session_that_ends_while_the_page_is_open_asks_to_sign_in_again_and_returns_to_the_page()
    {
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "viewer", "/flux");
        await SignIn.WaitForCircuitAsync(page);
        await Expect(page.Locator("[data-testid=session-expired]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await page.Locator("[data-testid=sign-in-again]").ClickAsync();
        // The provider session is still valid: sign-in completes without a form and lands on the same page.
        await page.WaitForURLAsync(_dashboard.BaseUrl + "/flux", new() { Timeout = 30_000 });
        await SignIn.WaitForCircuitAsync(page);
        await page.Context.CloseAsync();
    }
}
