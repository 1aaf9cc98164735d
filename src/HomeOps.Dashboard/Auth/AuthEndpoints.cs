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
        app.MapGet("/login/step-up", (string? returnUrl) =>
            {
                var properties = new AuthenticationProperties { RedirectUri = LocalOrRoot(returnUrl) };
                properties.Items[AuthenticationSetup.StepUpItem] = "1";
                return Results.Challenge(properties, [AuthenticationSetup.OidcScheme]);
            })
            .RequireAuthorization(Policies.Viewer)
            .WithName("step-up");

        // Sign-out ends the Authentik session too (its end-session endpoint), then comes back to the overview.
        app.MapPost("/logout", ([FromForm] string? returnUrl) =>
                Results.SignOut(new AuthenticationProperties { RedirectUri = "/signed-out" },
                    [AuthenticationSetup.CookieScheme, AuthenticationSetup.OidcScheme]))
            .RequireAuthorization(Policies.Viewer)
            .WithName("logout");
        return app;
    }

    /// <summary>Only a local path (starting with a single slash) is accepted as a return URL.</summary>
    public static string LocalOrRoot(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl[0] == '/' && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
            ? returnUrl
            : "/";
}
