using System.Collections.Concurrent;
using System.Text.Json;
using HomeOps.Operations.Audit;

namespace HomeOps.Dashboard.Security;

/// <summary>
/// Puts refused (rate-limited) attempts on record: an audit entry <c>ratelimit.refused</c> and a warning in the log.
/// Only the first refusal per caller and window is audited and logged at Warning (the rest at Debug), so a flood of
/// refused requests cannot in turn flood the audit table or the log. Nothing secret is recorded: the path without
/// its query (the OIDC callback's query carries the authorization code), the method, the user name or client IP.
/// </summary>
public sealed class RateLimitRefusals(IServiceProvider services, TimeProvider time, ILogger<RateLimitRefusals> log)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastAudited = new(StringComparer.Ordinal);

    /// <param name="limit">"actions" or "sign-in".</param>
    /// <param name="partition">The user name (actions) or the client IP (sign-in).</param>
    /// <param name="target">What was asked for, e.g. <c>POST /api/v1/flux/…</c> or <c>hub ClusterHub.Reconcile</c>.</param>
    public async Task RecordAsync(string limit, string partition, string user, string groups, string target, WindowLimit window,
        TimeSpan? retryAfter, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var key = limit + "|" + partition;
        var first = true;
        _lastAudited.AddOrUpdate(key, now, (_, last) =>
        {
            if (now - last < window.Window) { first = false; return last; }
            return now;
        });
        if (!first)
        {
            log.LogDebug("Rate limit {Limit} refused {Target} for {Partition} again", limit, target, partition);
            return;
        }
        Prune(now, window.Window);
        log.LogWarning("Rate limit {Limit} ({PermitLimit} per {WindowSeconds} s) refused {Target} for {Partition}; retry after {RetryAfterSeconds} s",
            limit, window.PermitLimit, window.WindowSeconds, target, partition, retryAfter?.TotalSeconds);
        try
        {
            var audit = services.GetService<IAuditLog>();
            if (audit is null) return;
            await audit.RecordAsync(new AuditEntry
            {
                At = now,
                User = user,
                Groups = groups,
                Action = AuditAction.RateLimitRefused.Name,
                Target = target,
                Parameters = JsonSerializer.Serialize(new { limit, partition, window.PermitLimit, window.WindowSeconds }),
                StartedAt = now,
                EndedAt = now,
                Outcome = AuditOutcome.Refused,
                Message = $"more than {window.PermitLimit} {limit} requests in {window.WindowSeconds} s from {partition}" +
                          " (further refusals in this window are not audited)",
            }, ct);
        }
        catch (Exception ex)
        {
            // The refusal itself still happens; a failed audit write is logged loudly.
            log.LogError(ex, "Could not audit a rate-limited request to {Target}", target);
        }
    }

    /// <summary>Keeps the per-caller memory bounded (one entry per IP could otherwise grow without end).</summary>
    private void Prune(DateTimeOffset now, TimeSpan window)
    {
        if (_lastAudited.Count < 10_000) return;
        foreach (var (k, at) in _lastAudited)
            if (now - at >= window) _lastAudited.TryRemove(k, out _);
    }
}
