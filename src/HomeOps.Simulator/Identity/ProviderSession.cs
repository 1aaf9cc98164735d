using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace HomeOps.Simulator.Identity;

/// <summary>
/// The provider's own sign-in session (a cookie), the equivalent of Authentik's browser session. Its cookie names are
/// distinct from the dashboard's: cookies are not isolated by port, and both run on 127.0.0.1.
/// </summary>
internal static class ProviderSession
{
    public const string Scheme = "HomeOps.Simulator.Identity.Session";
    public const string CookiePrefix = "homeops_idp_";
    public const string CookieName = CookiePrefix + "session";
    public const string AntiforgeryCookieName = CookiePrefix + "antiforgery";

    private const string UsernameClaim = "username";
    private const string AuthTimeClaim = "auth_time";

    /// <summary>Starts the session; <paramref name="now"/> becomes auth_time (the cookie's own expiry runs on real time).</summary>
    public static Task SignInAsync(HttpContext context, SimulatedUser user, DateTimeOffset now)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(UsernameClaim, user.Username),
                new Claim(AuthTimeClaim, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
            ],
            Scheme, UsernameClaim, null);
        return context.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
    }

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(Scheme);

    /// <summary>The signed-in username and when they entered their password, or null without a session.</summary>
    public static async Task<(string Username, long AuthTime)?> CurrentAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(Scheme);
        var username = result.Principal?.FindFirst(UsernameClaim)?.Value;
        var authTime = result.Principal?.FindFirst(AuthTimeClaim)?.Value;
        if (!result.Succeeded || username is null ||
            !long.TryParse(authTime, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        return (username, seconds);
    }
}
