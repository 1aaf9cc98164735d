using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>Sign-in through the Authentik-shaped provider in a real Chromium: who gets in, who doesn't, sign-out, expiry.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInFlowTests(BrowserFixture browser) : IAsyncLifetime
{
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync();

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    private async Task<IPage> NewPageAsync()
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        return await context.NewPageAsync();
    }

    [Fact]
    public async Task Anonymous_visitor_is_sent_to_sign_in_and_comes_back_to_the_page_asked_for()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(_dashboard.BaseUrl + "/longhorn");
        Assert.StartsWith(_dashboard.Identity.BaseUri.ToString().TrimEnd('/'), page.Url);
        await SignIn.SubmitLoginFormAsync(page, _dashboard, "viewer");
        await page.WaitForURLAsync(_dashboard.BaseUrl + "/longhorn", new() { Timeout = 30_000 });
        await SignIn.WaitForCircuitAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Viewer_sees_every_page_as_a_viewer()
    {
        var page = await NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "viewer");
        foreach (var path in new[] { "/", "/nodes", "/flux", "/longhorn", "/bgp", "/authentik" })
        {
            await page.GotoAsync(_dashboard.BaseUrl + path);
            await SignIn.WaitForCircuitAsync(page);
            await Expect(page.Locator("h1").First).ToBeVisibleAsync();
            Assert.Equal(0, await page.Locator("[data-testid=access-denied], [data-testid=session-expired]").CountAsync());
        }
        await page.Locator("[data-testid=user-menu] button, button[data-testid=user-menu]").First.ClickAsync();
        await Expect(page.Locator("[data-testid=user-role]")).ToHaveTextAsync("viewer");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Admin_is_an_operator()
    {
        var page = await NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "admin");
        await SignIn.WaitForCircuitAsync(page);
        await page.Locator("[data-testid=user-menu] button, button[data-testid=user-menu]").First.ClickAsync();
        await Expect(page.Locator("[data-testid=user-role]")).ToHaveTextAsync("operator");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_user_in_neither_group_lands_on_access_denied_which_names_the_groups_needed()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(_dashboard.BaseUrl + "/");
        await SignIn.SubmitLoginFormAsync(page, _dashboard, SimulatedDashboard.NobodyUser);
        await page.WaitForURLAsync(url => url.Contains("/access-denied", StringComparison.Ordinal), new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=access-denied-groups]")).ToHaveTextAsync("other-team");
        await Expect(page.Locator("[data-testid=viewer-groups]")).ToContainTextAsync("homeops-viewers");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Sign_out_ends_the_dashboard_and_the_provider_session()
    {
        var page = await NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "viewer");
        await SignIn.WaitForCircuitAsync(page);
        await page.Locator("[data-testid=user-menu] button, button[data-testid=user-menu]").First.ClickAsync();
        await page.Locator("[data-testid=sign-out]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/signed-out", StringComparison.Ordinal), new() { Timeout = 30_000 });

        // Both sessions are gone: the dashboard sends us to the provider, and the provider asks for a password again.
        await page.GotoAsync(_dashboard.BaseUrl + "/");
        await Expect(page.Locator("input[name=password]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.Context.CloseAsync();
    }
}
