using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace HomeOps.Dashboard.Auth;

/// <summary>Sign-in, step-up and sign-out. Return URLs are always local, so no one can bounce a user elsewhere.</summary>
public static class AuthEndpoints
{
    public static WebApplication MapAuthEndpoints(this WebApplication app)
    {
        app.MapGet("/login", (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOrRoot(returnUrl) },
                    [AuthenticationSetup.OidcScheme]))
            .AllowAnonymous()
            .WithName("login");

        // Step-up before a destructive action: a fresh sign-in at Authentik (prompt=login, max_age=0) renews auth_time.
        // A break-glass session (Authentik never knew it) steps up by entering its password (and TOTP code) again.
        app.MapGet("/login/step-up", (string? returnUrl, HttpContext http) =>
            {
                if (BreakGlassGate.IsBreakGlassSession(http.User))
                    return Results.LocalRedirect(BreakGlassEndpoints.StepUpPagePath + "?returnUrl=" + Uri.EscapeDataString(LocalOrRoot(returnUrl)));
                var properties = new AuthenticationProperties { RedirectUri = LocalOrRoot(returnUrl) };
                properties.Items[AuthenticationSetup.StepUpItem] = "1";
                return Results.Challenge(properties, [AuthenticationSetup.OidcScheme]);
            })
            .RequireAuthorization(Policies.Viewer)
            .WithName("step-up");

        // Sign-out ends the Authentik session too (its end-session endpoint), then comes back to the overview.
        // A break-glass session ends here only: there is no Authentik session to end.
        // Clear-Site-Data drops what the browser kept for the offline view (the service worker's cache of the last
        // problem report, the worker itself) along with the session: nothing a signed-out browser should still show.
        app.MapPost("/logout", async ([FromForm] string? returnUrl, HttpContext http) =>
            {
                http.Response.Headers[ClearSiteDataHeader] = ClearSiteDataValue;
                return BreakGlassGate.IsBreakGlassSession(http.User)
                    ? await BreakGlassEndpoints.SignOutAsync(http)
                    : Results.SignOut(new AuthenticationProperties { RedirectUri = "/signed-out" },
                        [AuthenticationSetup.CookieScheme, AuthenticationSetup.OidcScheme]);
            })
            .RequireAuthorization(Policies.Viewer)
            .WithName("logout");
        return app;
    }

    public const string ClearSiteDataHeader = "Clear-Site-Data";

    /// <summary>The browser drops this origin's caches and storage (service worker included); cookies are left to the sign-out itself.</summary>
    public const string ClearSiteDataValue = "\"cache\", \"storage\"";

    /// <summary>
    /// Only a local path is accepted as a return URL: the check ASP.NET Core's <c>Url.IsLocalUrl</c> makes (a single
    /// leading slash, not followed by another slash or a backslash, no control character anywhere: browsers drop TAB,
    /// CR and LF, so "/\t/evil.example" would be read as "//evil.example"), and additionally no backslash anywhere
    /// (browsers treat it as a slash). Anything else, including absolute and scheme URLs, becomes "/".
    /// </summary>
    public static string LocalOrRoot(string? returnUrl) => IsLocalPath(returnUrl) ? returnUrl! : "/";

    public static bool IsLocalPath(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/') return false;
        if (url.Length > 1 && url[1] is '/' or '\\') return false;
        foreach (var c in url)
            if (char.IsControl(c) || c == '\\') return false;
        return true;
    }
}
