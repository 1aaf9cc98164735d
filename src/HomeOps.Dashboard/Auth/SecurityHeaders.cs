namespace HomeOps.Dashboard.Auth;

/// <summary>
/// Security headers that Blazor Server and MudBlazor work with: scripts only from this origin (Blazor Server needs
/// no eval), inline styles allowed (MudBlazor sets style attributes), WebSockets to this origin, no framing.
/// Forms may post to this origin and to the identity provider (sign-out redirects there).
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, string? identityProviderAuthority)
    {
        var idp = Origin(identityProviderAuthority);
        var csp = string.Join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            // 'self' covers same-origin ws:/wss: in CSP Level 3 browsers (the Blazor circuit and the hub); no other host.
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
            $"form-action 'self'{(idp is null ? "" : " " + idp)}");
        return app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = csp;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.XFrameOptions = "DENY";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return next();
        });
    }

    private static string? Origin(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.GetLeftPart(UriPartial.Authority) : null;
}
