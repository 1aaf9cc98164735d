using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Metrics;

/// <summary>
/// Freshness of every source (one informer per Kubernetes kind, the Authentik poller per Authentik kind): the metrics
/// are only as good as the data behind them, so an alert must be able to tell "all green" from "not watching".
/// </summary>
internal static class SourceMetrics
{
    public static IEnumerable<MetricFamily> Build(ClusterState state, DateTimeOffset now)
    {
        var live = new MetricFamily("homeops_source_live", MetricType.Gauge,
            "1 when the source is live (listed and watching, or the last poll succeeded), else 0.", "group", "kind");
        var stateFamily = new MetricFamily("homeops_source_state", MetricType.Gauge,
            "1 for the source's current state (Connecting, Live, Reconnecting, NotInstalled, Forbidden, Error), 0 for the others.",
            "group", "kind", "state");
        var lastEvent = new MetricFamily("homeops_source_last_event_age_seconds", MetricType.Gauge,
            "Seconds since the source last delivered a change (a list, or a watch event that changed data). A quiet kind ages without being stale; alert on homeops_source_state instead. No series before the first sync.",
            "group", "kind");
        var reconnects = new MetricFamily("homeops_source_reconnects_total", MetricType.Counter,
            "Times the source's watch or poll had to reconnect since the process started.", "group", "kind");
        foreach (var slice in state.Kinds.Values)
        {
            var (group, kind) = (slice.Kind.Group, slice.Kind.Kind);
            var fresh = slice.Freshness;
            live.Add(fresh.IsLive ? 1 : 0, group, kind);
            foreach (var value in Enum.GetValues<FeedState>())
                stateFamily.Add(fresh.State == value ? 1 : 0, group, kind, value.ToString());
            if ((fresh.LastEventAt ?? fresh.LastSyncAt) is { } at)
                lastEvent.Add(HealthMetrics.AgeSeconds(at, now), group, kind);
            reconnects.Add(fresh.Reconnects, group, kind);
        }
        return [live, stateFamily, lastEvent, reconnects];
    }
}
