using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HomeOps.Simulator.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace HomeOps.Simulator.Tests.Identity.Support;

/// <summary>
/// A browser (cookies, no automatic redirects, so every hop is visible) plus the relying party's side of the
/// authorization code flow with PKCE: what the dashboard's OpenID Connect handler does, step by step.
/// </summary>
internal sealed partial class OidcTestClient : IDisposable
{
    private readonly IdentityProviderHost _host;
    private readonly HttpClient _http;

    public OidcTestClient(IdentityProviderHost host, Uri? redirectUri = null)
    {
        _host = host;
        RedirectUri = redirectUri ?? ProviderFixture.RedirectUri;
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public CookieContainer Cookies { get; } = new();

    public Uri RedirectUri { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public Task<HttpResponseMessage> GetAsync(Uri uri) => _http.GetAsync(uri, Ct);

    public async Task<JsonElement> GetJsonAsync(Uri uri)
    {
        using var response = await _http.GetAsync(uri, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    /// <summary>A fresh authorization request: new state, nonce and S256 code verifier.</summary>
    public AuthorizationRequest NewRequest(string scope = "openid profile email", IDictionary<string, string?>? extra = null)
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var parameters = new Dictionary<string, string?>
        {
            ["client_id"] = _host.ClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri.AbsoluteUri,
            ["scope"] = scope,
            ["state"] = Base64Url(RandomNumberGenerator.GetBytes(16)),
            ["nonce"] = Base64Url(RandomNumberGenerator.GetBytes(16)),
            ["code_challenge"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            parameters[name] = value;
        }

        var uri = new Uri(QueryHelpers.AddQueryString(new Uri(_host.Issuer, "/application/o/authorize/").AbsoluteUri, parameters));
        return new AuthorizationRequest(uri, parameters["state"]!, parameters["nonce"]!, verifier);
    }

    /// <summary>Follows redirects inside the provider; stops at the login form (returned) or at the client's redirect URI.</summary>
    public async Task<Hop> FollowAsync(Uri start)
    {
        var uri = start;
        for (var hops = 0; hops < 10; hops++)
        {
            using var response = await _http.GetAsync(uri, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther))
            {
                return new Hop(uri, response.StatusCode, body, null);
            }

            var next = new Uri(uri, response.Headers.Location!);
            if (!next.GetLeftPart(UriPartial.Authority).Equals(_host.BaseUri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
            {
                return new Hop(uri, response.StatusCode, body, next); // left the provider: the client's redirect URI
            }

            uri = next;
        }

        throw new InvalidOperationException("Too many redirects inside the provider.");
    }

    /// <summary>Posts the login form shown at <paramref name="form"/> with the given credentials.</summary>
    public async Task<HttpResponseMessage> SubmitLoginAsync(Hop form, string username, string password, bool withAntiforgery = true)
    {
        var fields = LoginForm.Parse(form.Body);
        var values = fields.Hidden
            .Where(f => withAntiforgery || f.Key != "__RequestVerificationToken")
            .Append(new("username", username))
            .Append(new("password", password));
        return await _http.PostAsync(new Uri(form.Uri, fields.Action), new FormUrlEncodedContent(values), Ct);
    }

    /// <summary>The whole front channel: authorize, sign in when asked, and return the code from the redirect.</summary>
    public async Task<string> SignInAndGetCodeAsync(AuthorizationRequest request, string username, string password)
    {
        var hop = await FollowAsync(request.Uri);
        if (hop.RedirectedTo is null)
        {
            Assert.True(LoginForm.IsLoginForm(hop.Body), $"Expected the login form, got {(int)hop.Status}: {hop.Body}");
            using var posted = await SubmitLoginAsync(hop, username, password);
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            hop = await FollowAsync(new Uri(hop.Uri, posted.Headers.Location!));
        }

        return CodeFrom(hop, request);
    }

    /// <summary>Checks the redirect back to the client (state, iss) and returns the code.</summary>
    public string CodeFrom(Hop hop, AuthorizationRequest request)
    {
        Assert.True(hop.RedirectedTo is not null, $"Expected a redirect to the client; {hop.Uri} answered {(int)hop.Status}: {hop.Body}");
        Assert.Equal(RedirectUri.GetLeftPart(UriPartial.Path), hop.RedirectedTo!.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(hop.RedirectedTo.Query);
        Assert.False(query.ContainsKey("error"), $"Authorization error: {query.GetValueOrDefault("error")} {query.GetValueOrDefault("error_description")}");
        Assert.Equal(request.State, query["state"].ToString());
        Assert.Equal(_host.Issuer.AbsoluteUri, query["iss"].ToString());
        return query["code"].ToString();
    }

    public async Task<TokenResponse> RedeemAsync(string code, string? verifier, bool basicAuthentication = false, string? clientSecret = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri.AbsoluteUri,
        };
        if (verifier is not null)
        {
            form["code_verifier"] = verifier;
        }

        return await TokenRequestAsync(form, basicAuthentication, clientSecret);
    }

    public Task<TokenResponse> RefreshAsync(string refreshToken) =>
        TokenRequestAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }, false, null);

    public async Task<(HttpStatusCode Status, JsonElement Body)> UserInfoAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_host.BaseUri, "/application/o/userinfo/"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await _http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<TokenResponse> TokenRequestAsync(Dictionary<string, string> form, bool basicAuthentication, string? clientSecret)
    {
        var secret = clientSecret ?? _host.ClientSecret;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.BaseUri, "/application/o/token/"));
        if (basicAuthentication)
        {
            var pair = $"{Uri.EscapeDataString(_host.ClientId)}:{Uri.EscapeDataString(secret)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }
        else
        {
            form["client_id"] = _host.ClientId;
            form["client_secret"] = secret;
        }

        request.Content = new FormUrlEncodedContent(form);
        using var response = await _http.SendAsync(request, Ct);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
        return new TokenResponse(response.StatusCode, body);
    }

    public void Dispose() => _http.Dispose();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

internal sealed record AuthorizationRequest(Uri Uri, string State, string Nonce, string CodeVerifier);

/// <summary>Where a chain of redirects stopped: the last provider page, or the URI it sent the browser to outside.</summary>
internal sealed record Hop(Uri Uri, HttpStatusCode Status, string Body, Uri? RedirectedTo);

internal sealed record TokenResponse(HttpStatusCode Status, JsonElement Body)
{
    public string? Get(string name) => Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public string AccessToken => Get("access_token") ?? throw new InvalidOperationException($"No access_token: {Body}");

    public string IdToken => Get("id_token") ?? throw new InvalidOperationException($"No id_token: {Body}");
}

/// <summary>Reads the login page the way a browser would see it: the form's action and hidden fields.</summary>
internal static partial class LoginForm
{
    public static bool IsLoginForm(string html) =>
        html.Contains("name=\"username\"", StringComparison.Ordinal) &&
        html.Contains("name=\"password\"", StringComparison.Ordinal) &&
        html.Contains("<button type=\"submit\"", StringComparison.Ordinal);

    public static (string Action, List<KeyValuePair<string, string>> Hidden) Parse(string html)
    {
        var action = FormAction().Match(html);
        Assert.True(action.Success, $"No form in: {html}");
        var hidden = HiddenInput().Matches(html)
            .Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)))
            .ToList();
        return (WebUtility.HtmlDecode(action.Groups["action"].Value), hidden);
    }

    [GeneratedRegex("<form method=\"post\" action=\"(?<action>[^\"]*)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]*)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();
}
