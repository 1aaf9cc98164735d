using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// Sessions live on the server (issue 11, item 5): signing out ends every copy of the session cookie, and group
/// membership is re-read from Authentik within Auth:RevalidationInterval, so an operator removed from the operators
/// group loses the operator controls while the page is open, and the operator API refuses the same cookie.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionRevocationTests(BrowserFixture browser) : IAsyncLifetime
{
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync(new Dictionary<string, string?>
    {
        ["Auth:RevalidationInterval"] = "00:00:01",
    });

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    private async Task<HttpStatusCode> ReplayAsync(IReadOnlyDictionary<string, string> cookies, string path)
    {
        using var http = Caller.NewClient();
        var caller = new Caller(Identity.OperatorCookie, cookies, null, null);
        using var response = await http.SendAsync(caller.Request(HttpMethod.Get, _dashboard.BaseUrl + path), TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_copied_session_cookie_stops_working_once_its_session_signs_out()
    {
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "admin", "/flux");
        await SignIn.WaitForCircuitAsync(page);
        var copied = (await context.CookiesAsync([_dashboard.BaseUrl])).ToDictionary(c => c.Name, c => c.Value);
        Assert.Equal(HttpStatusCode.OK, await ReplayAsync(copied, "/api/v1/health"));

        await page.Locator("[data-testid=user-menu] button, button[data-testid=user-menu]").First.ClickAsync();
        await page.Locator("[data-testid=sign-out]").ClickAsync();
        await page.WaitForURLAsync(url => !url.StartsWith(_dashboard.BaseUrl + "/flux", StringComparison.Ordinal), new() { Timeout = 30_000 });
        await Poll.UntilAsync(async () => (await context.CookiesAsync([_dashboard.BaseUrl])).All(c => !c.Name.StartsWith("homeops_session", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30));

        // The copy taken before sign-out: the API answers as to a stranger, a page sends it to sign in.
        Assert.Equal(HttpStatusCode.Unauthorized, await ReplayAsync(copied, "/api/v1/health"));
        Assert.Equal(HttpStatusCode.Redirect, await ReplayAsync(copied, "/flux"));
        await context.CloseAsync();
    }

    [Fact]
    public async Task An_operator_removed_from_the_group_loses_the_operator_controls_while_the_page_is_open()
    {
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "admin", "/flux");
        await SignIn.WaitForCircuitAsync(page);
        await Expect(page.Locator("[data-testid=nav-operations]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var cookies = (await context.CookiesAsync([_dashboard.BaseUrl])).ToDictionary(c => c.Name, c => c.Value);
        var caller = await Caller.WithAntiforgeryAsync(_dashboard, Identity.OperatorCookie, cookies);
        using var http = Caller.NewClient();
        // An operator action on a run that does not exist: the engine's 409 for an operator, the policy's 403 for a viewer.
        async Task<HttpStatusCode> StartNoSuchRunAsync()
        {
            using var response = await http.SendAsync(caller.Request(HttpMethod.Post,
                $"{_dashboard.BaseUrl}/api/v1/operations/runs/{Guid.NewGuid()}/start"), TestContext.Current.CancellationToken);
            return response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.Conflict, await StartNoSuchRunAsync());

        // An Authentik admin takes admin out of homeops-operators; the page is not reloaded.
        _dashboard.Identity.SetGroups("admin", ["homeops-viewers"]);
        await Expect(page.Locator("[data-testid=nav-operations]")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=user-role]")).ToHaveCountAsync(0);   // still signed in: the menu is closed
        Assert.Contains(_dashboard.BaseUrl, page.Url);

        // The same session cookie, on a request: operator endpoints refuse it, viewer ones still answer.
        await Poll.UntilAsync(async () => await StartNoSuchRunAsync() == HttpStatusCode.Forbidden, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, await ReplayAsync(cookies, "/api/v1/health"));
        await context.CloseAsync();
    }
}
