using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Auth;

/// <summary>
/// Cross-site WebSocket hijacking defence for the hubs (ClusterHub under /hubs and the Blazor circuit's /_blazor):
/// SignalR negotiation and the WebSocket upgrade are not covered by antiforgery, and a WebSocket is not subject to
/// CORS, so a page on another site could open one carrying the user's session cookie and call operator methods.
/// A request without a bearer token (i.e. one a browser authenticates with the cookie) whose <c>Origin</c> is present
/// and not one of the dashboard's own origins is refused with 403. Own origins: the origin of the request itself (scheme
/// and host, after the trusted proxy's X-Forwarded-Proto) and <see cref="AuthOptions.PublicOrigins"/>. Bearer clients
/// are unaffected: a foreign page cannot hold their token. No Origin at all is not a browser's cross-site request.
/// </summary>
public static class HubOriginCheck
{
    public static IApplicationBuilder UseHubOriginCheck(this IApplicationBuilder app) => app.Use((ctx, next) =>
    {
        var request = ctx.Request;
        if (!IsHubPath(request.Path) || AuthenticationSetup.HasBearer(request)) return next(ctx);
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || IsOwnOrigin(origin, request, ctx.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value))
            return next(ctx);
        ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("HomeOps.Auth")
            .LogWarning("Refused a cookie-authenticated hub request from another origin ({Path})", request.Path.Value);
        // A plain status for the SignalR client, not the people-facing status page re-executed in its place.
        if (ctx.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        return ctx.Response.WriteAsync("Cross-origin hub connection refused.\n");
    });

    public static bool IsHubPath(PathString path) => path.StartsWithSegments("/hubs") || path.StartsWithSegments("/_blazor");

    public static bool IsOwnOrigin(string origin, HttpRequest request, AuthOptions options)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var o) || o.AbsolutePath != "/" || o.UserInfo.Length > 0) return false;
        var normalized = o.GetLeftPart(UriPartial.Authority);
        var own = $"{request.Scheme}://{request.Host.Value}";
        return SameOrigin(normalized, own) || options.PublicOrigins.Any(p => SameOrigin(normalized, p));
    }

    private static bool SameOrigin(string origin, string configured) =>
        Uri.TryCreate(configured, UriKind.Absolute, out var c) &&
        string.Equals(origin, c.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
}
