using System.Security.Claims;
using HomeOps.Operations.Guards;

namespace HomeOps.Dashboard.Auth;

/// <summary>
/// Builds the engine's <see cref="Actor"/> from the signed-in user. The operator flag is computed here, on the server,
/// from the groups claim — never taken from the client.
/// </summary>
public static class ActorFactory
{
    /// <summary>Claim holding the sign-in time (unix seconds) copied from the ID token's auth_time, for step-up checks.</summary>
    public const string AuthTimeClaim = "homeops_auth_time";

    public static Actor From(ClaimsPrincipal user, AuthOptions options)
    {
        var name = user.FindFirst("preferred_username")?.Value ?? user.Identity?.Name ?? "anonymous";
        return new Actor(name, Policies.GroupsOf(user), Policies.IsOperator(user, options), AuthTime(user));
    }

    public static DateTimeOffset? AuthTime(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst(AuthTimeClaim)?.Value ?? user.FindFirst("auth_time")?.Value, out var s)
            ? DateTimeOffset.FromUnixTimeSeconds(s)
            : null;

    /// <summary>True when the user signed in recently enough for a destructive action.</summary>
    public static bool IsFresh(ClaimsPrincipal user, AuthOptions options, DateTimeOffset now) =>
        AuthTime(user) is { } at && now - at <= options.StepUpMaxAge;
}
