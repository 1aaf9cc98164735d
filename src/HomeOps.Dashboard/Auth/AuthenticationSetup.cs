using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace HomeOps.Dashboard.Auth;

/// <summary>
/// Sign-in through Authentik (OpenID Connect code flow with PKCE, cookie session), bearer tokens from the same provider
/// for the hub and the API, the two roles as policies, and default-deny for everything else.
/// </summary>
public static class AuthenticationSetup
{
    /// <summary>Picks the bearer handler for requests carrying a token, the cookie otherwise.</summary>
    public const string SmartScheme = "homeops";
    /// <summary>Challenge: programs (API, hub, bearer) get 401, people are sent to Authentik.</summary>
    public const string ChallengeScheme = "homeops-challenge";
    /// <summary>Forbid: programs get 403, people are sent to the access-denied page.</summary>
    public const string ForbidScheme = "homeops-forbid";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;
    public const string BearerScheme = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>Set on a challenge to force a fresh sign-in (step-up before a destructive action).</summary>
    public const string StepUpItem = "homeops:step-up";

    public static WebApplicationBuilder AddDashboardAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<OidcOptions>().Bind(configuration.GetSection(OidcOptions.Section));
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section));
        var oidc = configuration.GetSection(OidcOptions.Section).Get<OidcOptions>() ?? new OidcOptions();
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();

        if (string.IsNullOrWhiteSpace(oidc.Authority) || string.IsNullOrWhiteSpace(oidc.ClientId))
            throw new InvalidOperationException(
                "Sign-in is not configured: set Oidc:Authority (the Authentik issuer, ending with a slash) and Oidc:ClientId " +
                "(environment Oidc__Authority, Oidc__ClientId, Oidc__ClientSecret), or run with Cluster:Mode=Simulator.");

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultChallengeScheme = ChallengeScheme;
                o.DefaultForbidScheme = ForbidScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie or bearer", o =>
                o.ForwardDefaultSelector = ctx => HasBearer(ctx.Request) ? BearerScheme : CookieScheme)
            .AddPolicyScheme(ChallengeScheme, "Sign in", o =>
                o.ForwardDefaultSelector = ctx => HasBearer(ctx.Request) || IsApi(ctx.Request) ? BearerScheme : OidcScheme)
            .AddPolicyScheme(ForbidScheme, "Forbidden", o =>
                o.ForwardDefaultSelector = ctx => HasBearer(ctx.Request) || IsApi(ctx.Request) ? BearerScheme : CookieScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "homeops_session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = auth.AllowInsecureCookies ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.ExpireTimeSpan = auth.SessionLifetime;
                // A fixed lifetime, so the open page can tell when the session ends (see SessionRevalidator).
                o.SlidingExpiration = false;
                o.AccessDeniedPath = "/access-denied";
                o.Events.OnSigningIn = ctx =>
                {
                    var expires = ctx.Properties.ExpiresUtc ?? DateTimeOffset.UtcNow.Add(auth.SessionLifetime);
                    (ctx.Principal?.Identity as ClaimsIdentity)?.AddClaim(
                        new Claim(SessionRevalidator.ExpiresClaim, expires.ToUnixTimeSeconds().ToString()));
                    ServerSessions.AddSessionId(ctx.Principal?.Identity as ClaimsIdentity);
                    // Every sign-in (Authentik or break-glass) reports the roles it carries (e.g. notifications pause
                    // for a subscriber who signs in without the viewer role).
                    if (ctx.Principal is { } signedIn)
                        foreach (var observer in ctx.HttpContext.RequestServices.GetServices<ISessionRoleObserver>())
                            observer.RolesSeen(signedIn, "signed in");
                    return Task.CompletedTask;
                };
                // Every request: the session's end time, and its groups re-read from Authentik when due.
                o.Events.OnValidatePrincipal = SessionRevalidator.ValidateCookieAsync;
                o.Events.OnRedirectToAccessDenied = ctx =>
                {
                    if (IsApi(ctx.Request)) ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                    else ctx.Response.Redirect(ctx.RedirectUri);
                    return Task.CompletedTask;
                };
            })
            .AddOpenIdConnect(OidcScheme, o => ConfigureOidc(o, oidc, auth))
            .AddJwtBearer(BearerScheme, o =>
            {
                o.Authority = oidc.Authority;
                o.Audience = oidc.ClientId;
                o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                if (Backchannel(oidc) is { } handler) o.BackchannelHttpHandler = handler;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = "preferred_username";
                o.TokenValidationParameters.RoleClaimType = Policies.GroupsClaim;
                o.Events = new JwtBearerEvents
                {
                    // Browsers cannot set headers on a WebSocket: SignalR sends the token as access_token on /hubs.
                    OnMessageReceived = ctx =>
                    {
                        var token = ctx.Request.Query["access_token"];
                        if (!string.IsNullOrEmpty(token) && ctx.HttpContext.Request.Path.StartsWithSegments("/hubs"))
                            ctx.Token = token;
                        return Task.CompletedTask;
                    },
                };
            });

        services.AddAuthorization(o => Policies.Add(o, auth));
        services.AddCascadingAuthenticationState();
        services.AddSingleton(sp => new IdentityProviderReachability(sp.GetRequiredService<TimeProvider>(), auth.IdentityProviderProbeCache));
        services.AddScoped<AuthenticationStateProvider, SessionRevalidator>();
        // The session cookie holds only a key; tickets live in the operations database (sign-out revokes copies).
        services.AddServerSessions();
        // The local emergency account for Authentik outages (BreakGlass section; off unless enabled).
        services.AddBreakGlass(configuration);

        // Keys persisted and encrypted at rest with a certificate (DataProtection section).
        builder.AddDashboardDataProtection(auth);

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in auth.KnownProxies)
                if (IPAddress.TryParse(proxy, out var ip)) o.KnownProxies.Add(ip);
            foreach (var network in auth.KnownNetworks)
                if (System.Net.IPNetwork.TryParse(network, out var net)) o.KnownIPNetworks.Add(net);
        });
        return builder;
    }

    private static void ConfigureOidc(OpenIdConnectOptions o, OidcOptions oidc, AuthOptions auth)
    {
        o.Authority = oidc.Authority;
        o.ClientId = oidc.ClientId;
        o.ClientSecret = string.IsNullOrEmpty(oidc.ClientSecret) ? null : oidc.ClientSecret;
        o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
        if (Backchannel(oidc) is { } handler) o.BackchannelHttpHandler = handler;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.UsePkce = true;
        o.SaveTokens = true;
        o.GetClaimsFromUserInfoEndpoint = true;
        o.MapInboundClaims = false;
        o.Scope.Clear();
        foreach (var scope in oidc.Scopes) o.Scope.Add(scope);
        o.TokenValidationParameters.NameClaimType = "preferred_username";
        o.TokenValidationParameters.RoleClaimType = Policies.GroupsClaim;
        // Groups arrive in both the ID token and userinfo: keep one copy (toolchain G17).
        o.ClaimActions.DeleteClaim(Policies.GroupsClaim);
        o.ClaimActions.MapJsonKey(Policies.GroupsClaim, Policies.GroupsClaim);
        o.SignInScheme = CookieScheme;
        // PAR is used exactly when the provider's discovery advertises it (Authentik's does not).
        o.PushedAuthorizationBehavior = PushedAuthorizationBehavior.UseIfAvailable;
        if (auth.AllowInsecureCookies)
        {
            // http loopback only: a SameSite=None cookie must be Secure, so use Lax, which the query-mode callback
            // (a top-level GET redirect from the provider) still carries.
            o.CorrelationCookie.SecurePolicy = o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.CorrelationCookie.SameSite = o.NonceCookie.SameSite = SameSiteMode.Lax;
        }
        o.Events = new OpenIdConnectEvents
        {
            OnRedirectToIdentityProvider = async ctx =>
            {
                if (ctx.Properties.Items.ContainsKey(StepUpItem))
                {
                    ctx.ProtocolMessage.Prompt = "login";
                    ctx.ProtocolMessage.MaxAge = "0";
                }
                // Over the sign-in limit: 429, and no outbound probe (HomeOps.Dashboard.Security).
                if (await Security.DashboardRateLimits.RefuseChallengeOverLimitAsync(ctx.HttpContext)) { ctx.HandleResponse(); return; }
                // Authentik down: the sign-in error page now, rather than the browser failing on a dead host.
                await IdentityProviderOutage.EnsureReachableAsync(ctx);
            },
            OnTokenValidated = ctx =>
            {
                // The handler drops auth_time from the principal; keep it for step-up checks.
                var authTime = ctx.SecurityToken?.Claims.FirstOrDefault(c => c.Type == "auth_time")?.Value;
                if (long.TryParse(authTime, out var seconds))
                    (ctx.Principal?.Identity as ClaimsIdentity)?.AddClaim(new Claim(ActorFactory.AuthTimeClaim, seconds.ToString()));
                return Task.CompletedTask;
            },
            OnRemoteFailure = ctx =>
            {
                ctx.HandleResponse();
                var logger = ctx.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("HomeOps.Auth");
                logger.LogWarning("Sign-in failed: {Error}", ctx.Failure?.GetType().Name + ": " + SafeMessage(ctx.Failure));
                ctx.Response.Redirect("/signin-error?reason=" + Uri.EscapeDataString(Describe(ctx.Failure)));
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>Trusts Oidc:CaBundlePath for the server-to-Authentik calls (discovery, keys, token); validation stays on.</summary>
    private static HttpMessageHandler? Backchannel(OidcOptions oidc) =>
        string.IsNullOrWhiteSpace(oidc.CaBundlePath)
            ? null
            : HomeOps.Cluster.Sources.AuthentikTrust.CreateHandler(new HomeOps.Cluster.Sources.AuthentikOptions { CaBundlePath = oidc.CaBundlePath });

    /// <summary>A message for the sign-in error page: what went wrong, never a stack trace or a token.</summary>
    private static string Describe(Exception? failure) => failure switch
    {
        HttpRequestException or TaskCanceledException => "Authentik is unreachable. Try again in a minute.",
        InvalidOperationException e when e.Message.Contains("IDX20803", StringComparison.Ordinal) =>
            "Authentik's configuration could not be loaded (is Authentik up?).",
        null => "Sign-in failed.",
        _ when failure.InnerException is HttpRequestException => "Authentik is unreachable. Try again in a minute.",
        _ => "Sign-in did not complete (the login was cancelled, expired or rejected). Try again.",
    };

    private static string SafeMessage(Exception? e) => e is null ? "" : e.Message.Length > 300 ? e.Message[..300] : e.Message;

    internal static bool HasBearer(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ||
        (request.Path.StartsWithSegments("/hubs") && request.Query.ContainsKey("access_token"));

    /// <summary>Requests from programs (API, hubs, metrics): answered with status codes, never redirected to a login page.</summary>
    internal static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs");
}
