using System.Security.Claims;
using System.Threading.RateLimiting;
using HomeOps.Dashboard.Auth;

namespace HomeOps.Dashboard.Security;

/// <summary>
/// The per-user action budget for callers that are not HTTP requests (operator hub methods, the Blazor circuit): takes
/// one permit from <see cref="ActionLimiter"/> — the same partition the action endpoints use — and, when none is left,
/// audits the refusal through <see cref="RateLimitRefusals"/> and answers the message to show.
/// </summary>
public sealed class ActionBudget(ActionLimiter actions, RateLimitOptions options, RateLimitRefusals refusals)
{
    /// <summary>Null when a permit was taken; otherwise the refusal ("Too many actions: try again in N s."), already audited.</summary>
    /// <param name="target">What was asked for, for the audit entry, e.g. <c>ui run.trigger</c> or <c>hub ClusterHub.Reconcile</c>.</param>
    public async Task<string?> TryTakeAsync(ClaimsPrincipal user, string target, CancellationToken ct = default)
    {
        // Fixed-window permits are not given back when the lease is disposed: each call spends one.
        using var lease = actions.Limiter.AttemptAcquire(ActionLimiter.KeyFor(user));
        if (lease.IsAcquired) return null;
        TimeSpan? retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : null;
        var name = ActionLimiter.UserOf(user);
        await refusals.RecordAsync("actions", name, name, string.Join(",", Policies.GroupsOf(user)), target, options.Actions, retryAfter, ct);
        return RefusalMessage(retryAfter, options.Actions);
    }

    public static string RefusalMessage(TimeSpan? retryAfter, WindowLimit window) =>
        $"Too many actions: try again in {DashboardRateLimits.RetryAfterSeconds(retryAfter, window)} s.";
}
