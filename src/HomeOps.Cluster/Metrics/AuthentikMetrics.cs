using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Metrics;

/// <summary>Authentik outposts (healthy, last seen) and API tokens (time to expiry) — unmonitored in home-ops today.</summary>
internal static class AuthentikMetrics
{
    public static IEnumerable<MetricFamily> Build(ClusterState state, DateTimeOffset now)
    {
        var healthy = new MetricFamily("homeops_authentik_outpost_healthy", MetricType.Gauge,
            "1 when the outpost's verdict is Healthy (instances reporting, fresh, providers where they belong), else 0.", "outpost");
        var lastSeen = new MetricFamily("homeops_authentik_outpost_last_seen_age_seconds", MetricType.Gauge,
            "Seconds since the newest instance of the outpost last reported; +Inf when no instance has ever reported.", "outpost");
        foreach (var outpost in state.Items(Kinds.AuthentikOutpost))
        {
            var name = outpost.Meta.Name.Length > 0 ? outpost.Meta.Name : outpost.Meta.Uid;
            healthy.Add(outpost.Verdict.Health == HealthStatus.Healthy ? 1 : 0, name);
            if (outpost.Details is AuthentikOutpostDetails details)
                lastSeen.Add(details.LastSeen is { } seen ? HealthMetrics.AgeSeconds(seen, now) : double.PositiveInfinity, name);
        }

        var expiry = new MetricFamily("homeops_authentik_token_expiry_seconds", MetricType.Gauge,
            "Seconds until the Authentik API token expires (negative once expired); +Inf for a non-expiring token. No series when Authentik reports no expiry time.",
            "identifier");
        foreach (var token in state.Items(Kinds.AuthentikToken))
        {
            if (token.Details is not AuthentikTokenDetails details) continue;
            if (!details.Expiring) expiry.Add(double.PositiveInfinity, details.Identifier);
            else if (details.Expires is { } at) expiry.Add(Math.Round((at - now).TotalSeconds, 3), details.Identifier);
        }
        return [healthy, lastSeen, expiry];
    }
}
