using System.Net;
using System.Net.WebSockets;
using HomeOps.Dashboard.Hubs;
using Microsoft.Playwright;

namespace HomeOps.EndToEnd;

/// <summary>
/// A page on another site must not drive the hubs with the user's session cookie (cross-site WebSocket hijacking):
/// SignalR negotiation and the WebSocket upgrade of ClusterHub and the Blazor hub refuse a cookie-carrying request whose
/// Origin is not the dashboard's own. Bearer clients are not affected (a foreign page cannot hold their token).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CrossOriginHubTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Foreign = "http://evil.example";
    private SimulatedDashboard _dashboard = null!;
    private Dictionary<string, string> _cookies = null!;

    public async ValueTask InitializeAsync()
    {
        _dashboard = await SimulatedDashboard.StartAsync();
        _cookies = await Caller.SessionCookiesAsync(browser, _dashboard, "admin");
    }

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    private string CookieHeader => string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}"));

    private async Task<HttpStatusCode> NegotiateAsync(string hubPath, string? origin, bool bearer)
    {
        using var http = Caller.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _dashboard.BaseUrl + hubPath + "/negotiate?negotiateVersion=1");
        if (bearer) request.Headers.Authorization = new("Bearer", _dashboard.Identity.IssueAccessTokenForTests("admin", TimeSpan.FromMinutes(5)));
        else request.Headers.Add("Cookie", CookieHeader);
        if (origin is not null) request.Headers.Add("Origin", origin);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>A WebSocket straight to the hub (SignalR's skip-negotiation form); the status of the upgrade answer.</summary>
    private async Task<HttpStatusCode> UpgradeAsync(string hubPath, string origin, bool bearer)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", origin);
        if (bearer) socket.Options.SetRequestHeader("Authorization", "Bearer " + _dashboard.Identity.IssueAccessTokenForTests("admin", TimeSpan.FromMinutes(5)));
        else socket.Options.SetRequestHeader("Cookie", CookieHeader);
        var url = new Uri(_dashboard.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + hubPath);
        try
        {
            await socket.ConnectAsync(url, TestContext.Current.CancellationToken);
            return socket.HttpStatusCode;
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
    }

    [Theory]
    [InlineData(ClusterHub.Path)]
    [InlineData("/_blazor")]
    public async Task A_cookie_carrying_negotiation_from_another_origin_is_refused_and_from_the_own_origin_accepted(string hub)
    {
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(hub, Foreign, bearer: false));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(hub, "null", bearer: false));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(hub, _dashboard.BaseUrl, bearer: false));
        // No Origin: not a browser's cross-site request (browsers always send Origin on these).
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(hub, null, bearer: false));
    }

    [Fact]
    public async Task A_cookie_carrying_websocket_upgrade_from_another_origin_is_refused_and_from_the_own_origin_accepted()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await UpgradeAsync(ClusterHub.Path, Foreign, bearer: false));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeAsync(ClusterHub.Path, _dashboard.BaseUrl, bearer: false));
    }

    [Fact]
    public async Task A_bearer_client_connects_from_any_origin()
    {
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(ClusterHub.Path, Foreign, bearer: true));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeAsync(ClusterHub.Path, Foreign, bearer: true));
    }

    [Fact]
    public async Task The_page_connects_its_circuit_under_a_connect_src_self_policy()
    {
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("connect-src", StringComparison.Ordinal)) lock (violations) violations.Add(m.Text); };
        await SignIn.AsAsync(page, _dashboard, "viewer", "/flux");
        await SignIn.WaitForCircuitAsync(page);
        // A blocked WebSocket would be reported as a connect-src violation (Blazor would then fall back to long polling).
        Assert.Empty(violations);
        await context.CloseAsync();
    }

    [Fact]
    public async Task Pages_load_without_any_content_security_policy_violation()
    {
        // script-src 'self' forbids inline scripts: an inline <script type="importmap"> (Blazor's <ImportMap />) was
        // refused on every page, and Chromium logged the violation each time.
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) lock (violations) violations.Add(m.Text);
        };
        await SignIn.AsAsync(page, _dashboard, "admin", "/");
        await SignIn.WaitForCircuitAsync(page);
        foreach (var path in new[] { "/nodes", "/flux" })
        {
            await page.GotoAsync(_dashboard.BaseUrl + path);
            await SignIn.WaitForCircuitAsync(page);
        }
        lock (violations) Assert.Empty(violations);
        await context.CloseAsync();
    }
}
