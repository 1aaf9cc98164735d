using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HomeOps.Simulator.Identity;

/// <summary>
/// The provider's own web application: an empty Kestrel host on 127.0.0.1 with the sign-in cookie, antiforgery,
/// OpenIddict's server over an in-memory EF Core store, and the endpoints. Built here, started by <see cref="IdentityProviderHost"/>.
/// </summary>
internal static class ProviderApplication
{
    public static WebApplication Build(IdentityProviderOptions options, AuthentikLayout layout, UserDirectory users, PendingUris pending, ILoggerFactory? loggerFactory)
    {
        // An empty builder: no configuration sources, no environment variables, no default logging. The dashboard's
        // appsettings.json (e.g. a Kestrel section), ASPNETCORE_URLS and ASPNETCORE_ENVIRONMENT are not this listener's.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(IdentityProviderHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.Services.AddRouting();

        if (loggerFactory is not null)
        {
            builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
        }

        // The caller's factory decides what it keeps, except for two categories that write protocol values:
        // OpenIddict dumps each request at Information with the PKCE code_verifier in clear, and request lines carry
        // query strings, where end-session gets the id_token_hint. Their warnings and errors still come through.
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFilter("OpenIddict", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        // "Now listening… Press Ctrl+C" would read as a second app in the dashboard's console; StartAsync logs one line instead.
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton(users).AddSingleton(new SignInClock(options.Clock)).AddSingleton(pending);
        // Sessions of the simulated Authentik need not survive a restart, and keys must not mix with the dashboard's.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.Configure<KeyManagementOptions>(keys =>
        {
            keys.XmlRepository = new InMemoryKeyRepository();
            keys.XmlEncryptor = new NullXmlEncryptor(); // in memory only: nothing to encrypt at rest
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = ProviderSession.AntiforgeryCookieName;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // http on loopback
        });
        services.AddAuthentication(ProviderSession.Scheme).AddCookie(ProviderSession.Scheme, cookie =>
        {
            cookie.Cookie.Name = ProviderSession.CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = AuthentikLayout.LoginPath;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = false;
        });

        var database = "homeops-identity-" + Guid.NewGuid().ToString("N"); // one store per host: parallel tests stay apart
        services.AddDbContext<IdentityStoreContext>(db => db
            .UseInMemoryDatabase(database)
            .UseOpenIddict()
            // The in-memory provider has no transactions; OpenIddict's stores work without them here. Its "Saved 1 entities
            // to in-memory store." at every sign-in and client update is bookkeeping, not news: Debug.
            .ConfigureWarnings(w => w.Ignore(InMemoryEventId.TransactionIgnoredWarning).Log((InMemoryEventId.ChangesSaved, LogLevel.Debug))));

        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityStoreContext>())
            .AddServer(server =>
            {
                server.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().RequireProofKeyForCodeExchange();
                server.RegisterScopes(Scopes.Email, Scopes.Profile, Scopes.OfflineAccess);
                server.RegisterClaims(
                    Claims.Subject, Claims.Issuer, Claims.Audience, Claims.ExpiresAt, Claims.IssuedAt, Claims.AuthenticationTime,
                    Claims.AuthenticationContextReference, Claims.AuthenticationMethodReference, Claims.Nonce, Claims.Email,
                    Claims.EmailVerified, Claims.Name, Claims.GivenName, Claims.PreferredUsername, Claims.Nickname, AuthentikClaims.Groups);
                server.SetAccessTokenLifetime(options.AccessTokenLifetime);
                server.AddEventHandler(GroupsClaimAsArray.Descriptor);
                // In-memory development keys (see DevelopmentKeys). Access tokens are plain signed JWTs, as Authentik's are,
                // so a resource server validates them against the JWKS.
                server.AddSigningKey(DevelopmentKeys.SigningKey).AddEncryptionKey(DevelopmentKeys.NewEncryptionKey()).DisableAccessTokenEncryption();
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .DisableTransportSecurityRequirement(); // http on 127.0.0.1 only
            });

        // Endpoint URIs are absolute (Authentik's layout differs from OpenIddict's relative-to-issuer defaults),
        // so they wait for the bound port; see PendingUris.
        services.AddOptions<OpenIddictServerOptions>().Configure<PendingUris>((server, pendingUris) =>
        {
            var uris = pendingUris.Uris;
            server.Issuer = uris.Issuer;
            // Replace, not add to, OpenIddict's defaults (e.g. /.well-known/jwks): each endpoint exists only where Authentik has it.
            Only(server.ConfigurationEndpointUris, uris.Configuration);
            Only(server.JsonWebKeySetEndpointUris, uris.Jwks);
            Only(server.EndSessionEndpointUris, uris.EndSession);
            Only(server.AuthorizationEndpointUris, uris.Authorize);
            Only(server.TokenEndpointUris, uris.Token);
            Only(server.UserInfoEndpointUris, uris.UserInfo);
            Only(server.IntrospectionEndpointUris, uris.Introspection);
            Only(server.RevocationEndpointUris, uris.Revocation);
            server.PushedAuthorizationEndpointUris.Clear();
            server.DeviceAuthorizationEndpointUris.Clear();
            server.EndUserVerificationEndpointUris.Clear();
            // Authentik also accepts "plain"; the simulator requires S256, which is what the dashboard sends.
            server.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain);
        });

        var app = builder.Build();
        app.UseAuthentication();
        LoginEndpoints.Map(app);
        ProtocolEndpoints.Map(app, layout);
        return app;
    }

    private static void Only(List<Uri> endpoint, Uri uri)
    {
        endpoint.Clear();
        endpoint.Add(uri);
    }
}
