using System.Security.Claims;

namespace HomeOps.Dashboard.Auth;

/// <summary>
/// Told what the dashboard learns about a user's roles outside a request it serves them: at every sign-in (Authentik or
/// break-glass), when their groups are re-read from Authentik and have changed, and when Authentik ends their session
/// (tokens refused: user deactivated or removed, sessions revoked). Features that act for a user later, with nobody
/// signed in (notifications), use it to stop acting for someone who may no longer see the cluster.
/// </summary>
public interface ISessionRoleObserver
{
    /// <summary>The user's groups as just seen; <paramref name="source"/> says where ("signed in", "groups re-read from Authentik").</summary>
    void RolesSeen(ClaimsPrincipal user, string source);

    /// <summary>Authentik no longer accepts this user's session.</summary>
    void SessionEnded(ClaimsPrincipal user);
}
