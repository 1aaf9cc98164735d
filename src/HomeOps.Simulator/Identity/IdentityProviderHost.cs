using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace HomeOps.Simulator.Identity;

/// <summary>
/// An Authentik-shaped OpenID provider on 127.0.0.1, in its own Kestrel host: OpenIddict's server with an in-memory store,
/// Authentik's endpoint layout and claims, a username/password sign-in page and implicit consent. The dashboard signs in
/// through it with the same OpenID Connect handler and settings it uses against the real Authentik.
/// </summary>
public sealed class IdentityProviderHost : IAsyncDisposable
{
    public const string AdminUsername = UserDirectory.AdminUsername;
    public const string ViewerUsername = UserDirectory.ViewerUsername;

    /// <summary>Every cookie the provider sets starts with this (its session, its antiforgery token).</summary>
    public const string CookiePrefix = ProviderSession.CookiePrefix;

    private readonly WebApplication _app;
    private readonly ProviderUris _uris;
    private readonly ClientRegistry _clients;
    private readonly UserDirectory _users;
    private int _disposed;

    private IdentityProviderHost(WebApplication app, ProviderUris uris, ClientRegistry clients, UserDirectory users,
        string clientId, string clientSecret, string adminPassword, string viewerPassword)
    {
        _app = app;
        _uris = uris;
        _clients = clients;
        _users = users;
        ClientId = clientId;
        ClientSecret = clientSecret;
        AdminPassword = adminPassword;
        ViewerPassword = viewerPassword;
    }

    /// <summary><c>http://127.0.0.1:port/</c>.</summary>
    public Uri BaseUri => new(_uris.Root, "/");

    public int Port => _uris.Root.Port;

    /// <summary><c>http://127.0.0.1:port/application/o/&lt;slug&gt;/</c> (trailing slash): the dashboard's <c>Oidc:Authority</c>.</summary>
    public Uri Issuer => _uris.Issuer;

    public Uri DiscoveryUri => _uris.Configuration;

    public Uri LoginUri => _uris.Login;

    /// <summary>
    /// The paths a browser visits (authorize, end-session, the sign-in form), as opposed to the back-channel the
    /// dashboard's server calls (discovery, JWKS, token, userinfo). A host that serves the browser from another origin
    /// forwards exactly these paths here, so the provider's cookies and the form_post callback stay on that origin.
    /// </summary>
    public IReadOnlyList<string> FrontChannelPaths => [AuthentikLayout.AuthorizePath, _uris.EndSession.AbsolutePath, AuthentikLayout.LoginPath];

    public string ClientId { get; }

    /// <summary>The client secret (configured or generated). Hand it to the dashboard's configuration; never log it.</summary>
    public string ClientSecret { get; }

    /// <summary>The admin password (configured or generated). The caller prints it once at startup; never log it.</summary>
    public string AdminPassword { get; }

    /// <summary>The viewer password (configured or generated). The caller prints it once at startup; never log it.</summary>
    public string ViewerPassword { get; }

    public static async Task<IdentityProviderHost> StartAsync(IdentityProviderOptions options, ILoggerFactory? loggerFactory = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.AccessTokenLifetime, TimeSpan.Zero);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ClientId);
        var layout = new AuthentikLayout(options.Slug);

        var clientSecret = options.ClientSecret ?? GeneratedSecret.New(32);
        var adminPassword = options.AdminPassword ?? GeneratedSecret.New();
        var viewerPassword = options.ViewerPassword ?? GeneratedSecret.New();
        var users = new UserDirectory(UserDirectory.BuiltIn(adminPassword, viewerPassword, options.ExtraUsers));
        var pending = new PendingUris();

        var app = ProviderApplication.Build(options, layout, users, pending, loggerFactory);
        try
        {
            var clients = new ClientRegistry(app.Services, options.ClientId);
            await clients.RegisterAsync(clientSecret, options.RedirectUris, options.PostLogoutRedirectUris, ct);
            await app.StartAsync(ct);

            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            var uris = layout.Resolve(new Uri($"http://127.0.0.1:{new Uri(address).Port}"));
            pending.Set(uris);
            app.Services.GetRequiredService<ILogger<IdentityProviderHost>>()
                .LogInformation("Simulated Authentik OpenID provider for client {ClientId} at issuer {Issuer}", options.ClientId, uris.Issuer);
            return new IdentityProviderHost(app, uris, clients, users, options.ClientId, clientSecret, adminPassword, viewerPassword);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Registers one more exact redirect URI, e.g. the dashboard's <c>/signin-oidc</c> once its port is known.
    /// There is deliberately no wildcard: with "any loopback port", any local process could receive the code.
    /// </summary>
    public Task AllowRedirectUriAsync(Uri redirectUri, CancellationToken ct = default) => _clients.AllowRedirectUriAsync(redirectUri, ct);

    /// <summary>Changes a user's groups (an Authentik admin editing group membership), for tests of revalidation.</summary>
    public void SetGroups(string username, IReadOnlyList<string> groups) => _users.SetGroups(username, groups);

    /// <summary>Registers one more exact post-logout redirect URI, e.g. the dashboard's <c>/signout-callback-oidc</c>.</summary>
    public Task AllowPostLogoutRedirectUriAsync(Uri postLogoutRedirectUri, CancellationToken ct = default) =>
        _clients.AllowPostLogoutRedirectUriAsync(postLogoutRedirectUri, ct);

    /// <summary>
    /// A signed JWT access token for a user, shaped like the ones the token endpoint issues (issuer, audience = client id,
    /// groups), for tests of resource servers: a negative lifetime gives an expired token, <paramref name="variant"/>
    /// a token from another issuer or audience or with an unknown key. Not reachable over HTTP.
    /// </summary>
    public string IssueAccessTokenForTests(string username, TimeSpan lifetime, TestTokenOptions? variant = null)
    {
        var user = _users.FindByUsername(username) ?? throw new ArgumentException($"No simulated user '{username}'.", nameof(username));
        var signing = _app.Services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue.SigningCredentials[0];
        return TestAccessTokens.Issue(user, _users.SubjectOf(user), Issuer, ClientId, signing, lifetime, variant);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
