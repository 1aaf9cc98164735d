using HomeOps.Simulator.Identity;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Primitives;

namespace HomeOps.Dashboard.Hosting;

/// <summary>
/// The embedded provider's browser-facing pages (authorize, the sign-in form, end-session) served from the dashboard's own
/// origin, whatever host name the browser used. The provider listens on 127.0.0.1 only; were the browser sent there, its
/// form_post back to the dashboard would be a cross-site POST whenever the dashboard was opened as <c>localhost</c> or by
/// the machine's name, and the SameSite=Lax correlation and nonce cookies would not come with it ("Correlation failed").
/// Here the browser never leaves the dashboard's origin: the challenge's authorize URL is rewritten to that origin, and
/// exactly the provider's front-channel paths are forwarded to its loopback listener. The back-channel (discovery, JWKS,
/// token, userinfo) and the issuer stay on loopback. Only origins the dashboard really serves are accepted.
/// </summary>
public static class EmbeddedIdentityFrontChannel
{
    /// <summary>Shown when the browser used a host name that none of the dashboard's listeners answers to.</summary>
    public const string UnknownHostReason = "This address is not one the dashboard serves. Open it at a URL it printed when it started.";

    // Request headers the provider's pages need; everything else (the dashboard's own cookies, Authorization) stays here.
    private static readonly string[] ForwardedRequestHeaders = ["Accept", "Accept-Language", "User-Agent", "Content-Type", "Content-Length"];

    // Connection-level response headers belong to each hop, not to the answer.
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    };

    /// <summary>Sends the browser to the provider at its own origin (sign-in and sign-out), or refuses an unknown host.</summary>
    public static void RewriteRedirects(OpenIdConnectOptions options, IdentityProviderHost idp, DashboardOrigins origins)
    {
        var signIn = options.Events.OnRedirectToIdentityProvider;
        var signOut = options.Events.OnRedirectToIdentityProviderForSignOut;
        options.Events.OnRedirectToIdentityProvider = async ctx =>
        {
            if (!ToBrowserOrigin(ctx, idp, origins)) return;
            await signIn(ctx);
        };
        options.Events.OnRedirectToIdentityProviderForSignOut = async ctx =>
        {
            if (!ToBrowserOrigin(ctx, idp, origins)) return;
            await signOut(ctx);
        };
    }

    private static bool ToBrowserOrigin(RedirectContext ctx, IdentityProviderHost idp, DashboardOrigins origins)
    {
        if (!origins.TryMatch(ctx.Request, out var origin))
        {
            ctx.HandleResponse();
            ctx.Response.Redirect("/signin-error?reason=" + Uri.EscapeDataString(UnknownHostReason));
            return false;
        }
        ctx.ProtocolMessage.IssuerAddress = OnOrigin(ctx.ProtocolMessage.IssuerAddress, idp.BaseUri, origin);
        return true;
    }

    /// <summary><paramref name="url"/> moved from the provider's root to <paramref name="origin"/>; any other URL unchanged.</summary>
    internal static string OnOrigin(string url, Uri providerRoot, Uri origin)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) ||
            !string.Equals(uri.GetLeftPart(UriPartial.Authority), providerRoot.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
            return url;
        return origin.GetLeftPart(UriPartial.Authority) + uri.PathAndQuery;
    }

    /// <summary>Forwards the provider's front-channel paths, and nothing else, to its loopback listener.</summary>
    public static IApplicationBuilder UseEmbeddedIdentityFrontChannel(this WebApplication app)
    {
        var idp = app.Services.GetService<IdentityProviderHost>();
        if (idp is null) return app;
        var origins = app.Services.GetRequiredService<DashboardOrigins>();
        var paths = idp.FrontChannelPaths.Select(p => new PathString(p)).ToList();
        // No cookies, redirects or decompression of its own: the browser's cookies and the provider's answers pass through as they are.
        var http = new HttpMessageInvoker(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
        app.Lifetime.ApplicationStopped.Register(http.Dispose);
        app.Use((ctx, next) => paths.Contains(ctx.Request.Path) ? ForwardAsync(ctx, idp.BaseUri, origins, http) : next(ctx));
        return app;
    }

    private static async Task ForwardAsync(HttpContext ctx, Uri providerRoot, DashboardOrigins origins, HttpMessageInvoker http)
    {
        if (!origins.TryMatch(ctx.Request, out var origin))
        {
            ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
            await ctx.Response.WriteAsync(UnknownHostReason, ctx.RequestAborted);
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(ctx.Request.Method),
            new Uri(providerRoot, ctx.Request.Path.ToUriComponent() + ctx.Request.QueryString.ToUriComponent()));
        if (ctx.Request.ContentLength > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
            request.Content = new StreamContent(ctx.Request.Body);
        foreach (var name in ForwardedRequestHeaders)
        {
            if (!ctx.Request.Headers.TryGetValue(name, out var values)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        // Only the provider's own cookies: the dashboard's session and correlation cookies are none of its business.
        var cookies = ctx.Request.Headers.Cookie.SelectMany(h => (h ?? "").Split(';'))
            .Select(c => c.Trim()).Where(c => c.StartsWith(IdentityProviderHost.CookiePrefix, StringComparison.Ordinal)).ToList();
        if (cookies.Count > 0) request.Headers.TryAddWithoutValidation("Cookie", string.Join("; ", cookies));

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ctx.RequestAborted);
        }
        catch (HttpRequestException)
        {
            ctx.Response.Redirect("/signin-error?reason=" + Uri.EscapeDataString(HomeOps.Dashboard.Auth.IdentityProviderOutage.UnreachableReason));
            return;
        }

        using (response)
        {
            ctx.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (HopByHop.Contains(name)) continue;
                ctx.Response.Headers[name] = new StringValues(values.ToArray());
            }
            // A redirect the provider built from its own address (e.g. its cookie handler's login redirect) stays on this origin.
            if (response.Headers.Location is { } location)
                ctx.Response.Headers.Location = OnOrigin(location.IsAbsoluteUri ? location.ToString() : location.OriginalString, providerRoot, origin);
            await response.Content.CopyToAsync(ctx.Response.Body, ctx.RequestAborted);
        }
    }
}
