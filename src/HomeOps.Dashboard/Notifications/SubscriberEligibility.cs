using System.Globalization;
using System.Security.Claims;
using HomeOps.Dashboard.Auth;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Notifications;

/// <summary>
/// Keeps notifications to users who may view the cluster after they subscribed. Roles come from Authentik's groups
/// claim and are seen only when the user signs in or their session's groups are re-read, so the latest sighting decides:
/// seen without the viewer role → the subscription is paused (kept, nothing sent); seen with it again → resumed; their
/// session ended by Authentik (deactivated, removed, tokens revoked) → the subscription is deleted, devices and all.
/// </summary>
public sealed class SubscriberEligibility(SubscriptionStore subscriptions, IOptions<AuthOptions> auth, TimeProvider time,
    ILogger<SubscriberEligibility> log) : ISessionRoleObserver
{
    public void RolesSeen(ClaimsPrincipal user, string source)
    {
        if (user.Identity?.IsAuthenticated != true) return;
        var name = ActorFactory.From(user, auth.Value).User;
        var viewer = Policies.IsViewer(user, auth.Value);
        var reason = viewer ? null
            : $"{source} on {time.GetUtcNow().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)} without the viewer role";
        if (!subscriptions.SetPaused(name, reason)) return;
        if (viewer) log.LogInformation("Notifications for {User} resumed: {Source} with the viewer role", name, source);
        else log.LogInformation("Notifications for {User} paused: {Reason}", name, reason);
    }

    public void SessionEnded(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return;
        var name = ActorFactory.From(user, auth.Value).User;
        if (subscriptions.Remove(name))
            log.LogInformation("Notification subscription of {User} deleted: Authentik ended their session", name);
    }
}
