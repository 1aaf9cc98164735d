using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>Sign-in through the Authentik-shaped provider in a real Chromium: who gets in, who doesn't, sign-out, expiry.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInFlowTests(BrowserFixture browser) : IAsyncLifetime
{
    private SimulatedDashboard _dashboard = null!;

    // Outage detection by the very next sign-in is what these tests check: no reachability cache.
    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync(new Dictionary<string, string?> { ["Auth:IdentityProviderProbeCache"] = "00:00:00" });

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

    [Fact]
    public async Task With_Authentik_down_a_signed_in_user_keeps_working_and_a_new_sign_in_gets_a_clear_error_page()
    {
        var signedIn = await NewPageAsync();
        await SignIn.AsAsync(signedIn, _dashboard, "viewer", "/nodes");
        await SignIn.WaitForCircuitAsync(signedIn);

        await _dashboard.Identity.DisposeAsync();   // Authentik is gone (its discovery document was loaded before)

        // The signed-in user's session is the dashboard's own cookie: pages, the circuit and the API keep working.
        foreach (var path in new[] { "/", "/flux", "/authentik" })
        {
            var response = await signedIn.GotoAsync(_dashboard.BaseUrl + path);
            Assert.Equal(200, response!.Status);
            await SignIn.WaitForCircuitAsync(signedIn);
            await Expect(signedIn.Locator("h1").First).ToBeVisibleAsync();
        }
        Assert.Equal(200, (await signedIn.Context.APIRequest.GetAsync(_dashboard.BaseUrl + "/api/v1/health")).Status);

        // A new visitor is not sent to a dead host: the sign-in error page says what is wrong, without a stack trace.
        var visitor = await NewPageAsync();
        await visitor.GotoAsync(_dashboard.BaseUrl + "/longhorn");
        await AssertClearSignInErrorAsync(visitor);
        await signedIn.Context.CloseAsync();
        await visitor.Context.CloseAsync();
    }

    [Fact]
    public async Task With_Authentik_down_before_anyone_signed_in_the_first_visitor_gets_a_clear_error_page()
    {
        // The provider's discovery document was never loaded: the challenge itself cannot be built.
        await _dashboard.Identity.DisposeAsync();
        var visitor = await NewPageAsync();
        await visitor.GotoAsync(_dashboard.BaseUrl + "/");
        await AssertClearSignInErrorAsync(visitor);
        // The same through /login (the "Try again" button), and for a program: a plain status, no page.
        await visitor.GotoAsync(_dashboard.BaseUrl + "/login?returnUrl=/nodes");
        await AssertClearSignInErrorAsync(visitor);
        await visitor.Context.CloseAsync();
    }

    private async Task AssertClearSignInErrorAsync(IPage page)
    {
        await page.WaitForURLAsync(url => url.StartsWith(_dashboard.BaseUrl + "/signin-error", StringComparison.Ordinal), new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=signin-error-reason]")).ToHaveTextAsync("Authentik is unreachable. Try again in a minute.");
        var html = await page.ContentAsync();
        foreach (var leak in new[] { "Exception", "   at ", "IDX20803", "StackTrace", _dashboard.Identity.ClientSecret })
            Assert.DoesNotContain(leak, html);
    }
}
