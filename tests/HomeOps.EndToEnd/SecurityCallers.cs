using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using HomeOps.Dashboard.Auth;

namespace HomeOps.EndToEnd;

/// <summary>The identities of the security tests: who calls, and how (a browser's session cookie or a program's bearer token).</summary>
public enum Identity
{
    Anonymous,
    ViewerCookie,
    ViewerBearer,
    OperatorCookie,
    OperatorBearer,
    OtherIssuerToken,
    ExpiredToken,
}

/// <summary>
/// One caller. Cookies are sent as a fixed Cookie header (responses' Set-Cookie are ignored), so an expired-cookie
/// answer in one cell cannot change the identity of the next cell. A sign-out does end the session on the server (and
/// with it every copy of the cookie): tests that send one send it last.
/// </summary>
public sealed class Caller(Identity identity, IReadOnlyDictionary<string, string> cookies, string? bearer, string? antiforgeryToken)
{
    public Identity Identity { get; } = identity;
    public IReadOnlyDictionary<string, string> Cookies { get; } = cookies;
    public string? Bearer { get; } = bearer;
    /// <summary>The antiforgery request token bound to this cookie session (cookie callers only).</summary>
    public string? AntiforgeryToken { get; } = antiforgeryToken;

    public bool UsesCookie => Cookies.Count > 0;

    public string? CookieHeader => UsesCookie ? string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")) : null;

    public HttpRequestMessage Request(HttpMethod method, string url, HttpContent? content = null, bool withAntiforgery = true)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (CookieHeader is { } cookie) request.Headers.Add("Cookie", cookie);
        if (Bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Bearer);
        if (withAntiforgery && AntiforgeryToken is not null) request.Headers.Add(CookieAntiforgery.HeaderName, AntiforgeryToken);
        return request;
    }

    /// <summary>A client that shows redirects instead of following them and manages no cookies of its own.</summary>
    public static HttpClient NewClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Every identity against one dashboard: cookie sessions signed in through the provider's real login form in Chromium.</summary>
    public static async Task<IReadOnlyDictionary<Identity, Caller>> AllAsync(BrowserFixture browser, SimulatedDashboard dashboard)
    {
        var viewerCookies = await SessionCookiesAsync(browser, dashboard, "viewer");
        var adminCookies = await SessionCookiesAsync(browser, dashboard, "admin");
        var idp = dashboard.Identity;
        var five = TimeSpan.FromMinutes(5);
        return new Dictionary<Identity, Caller>
        {
            [Identity.Anonymous] = new(Identity.Anonymous, new Dictionary<string, string>(), null, null),
            [Identity.ViewerCookie] = await WithAntiforgeryAsync(dashboard, Identity.ViewerCookie, viewerCookies),
            [Identity.ViewerBearer] = new(Identity.ViewerBearer, new Dictionary<string, string>(), idp.IssueAccessTokenForTests("viewer", five), null),
            [Identity.OperatorCookie] = await WithAntiforgeryAsync(dashboard, Identity.OperatorCookie, adminCookies),
            [Identity.OperatorBearer] = new(Identity.OperatorBearer, new Dictionary<string, string>(), idp.IssueAccessTokenForTests("admin", five), null),
            [Identity.OtherIssuerToken] = new(Identity.OtherIssuerToken, new Dictionary<string, string>(),
                idp.IssueAccessTokenForTests("admin", five, new() { Issuer = "https://evil.example/application/o/homeops-dashboard/" }), null),
            [Identity.ExpiredToken] = new(Identity.ExpiredToken, new Dictionary<string, string>(),
                idp.IssueAccessTokenForTests("admin", TimeSpan.FromMinutes(-10)), null),
        };
    }

    /// <summary>Signs in through the provider in a fresh browser context and returns the dashboard's cookies.</summary>
    public static async Task<Dictionary<string, string>> SessionCookiesAsync(BrowserFixture browser, SimulatedDashboard dashboard, string user)
    {
        var context = await browser.Browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            await SignIn.AsAsync(page, dashboard, user);
            await SignIn.WaitForCircuitAsync(page);
            var cookies = (await context.CookiesAsync([dashboard.BaseUrl])).ToDictionary(c => c.Name, c => c.Value);
            Assert.Contains(cookies.Keys, k => k.StartsWith("homeops_session", StringComparison.Ordinal));
            return cookies;
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>Fetches the antiforgery token the way a page would (GET /api/v1/antiforgery) and keeps its cookie.</summary>
    public static async Task<Caller> WithAntiforgeryAsync(SimulatedDashboard dashboard, Identity identity, Dictionary<string, string> cookies)
    {
        using var http = NewClient();
        var probe = new Caller(identity, cookies, null, null);
        using var response = await http.SendAsync(probe.Request(HttpMethod.Get, dashboard.BaseUrl + "/api/v1/antiforgery"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var all = new Dictionary<string, string>(cookies);
        foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var pair = header.Split(';', 2)[0];
            var eq = pair.IndexOf('=');
            if (eq > 0) all[pair[..eq]] = pair[(eq + 1)..];
        }
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new Caller(identity, all, null, json.RootElement.GetProperty("token").GetString());
    }
}

/// <summary>What a cell's answer was, in the matrix's vocabulary.</summary>
public static class Outcome
{
    /// <summary>Redirected to the identity provider (sign in, step-up or its end-session endpoint).</summary>
    public const string SignIn = "redirect to sign-in";
    public const string AccessDenied = "redirect to access-denied";
    public const string HubRefused = "hub method refused";
    public const string HubOk = "hub method ok";

    public static string Of(HttpResponseMessage response, SimulatedDashboard dashboard)
    {
        var status = (int)response.StatusCode;
        if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
        {
            var target = location.IsAbsoluteUri ? location : new Uri(new Uri(dashboard.BaseUrl), location);
            if (target.Authority == dashboard.Identity.BaseUri.Authority) return SignIn;
            if (target.AbsolutePath == "/access-denied") return AccessDenied;
            return $"redirect to {target.AbsolutePath}";
        }
        return status.ToString();
    }
}
