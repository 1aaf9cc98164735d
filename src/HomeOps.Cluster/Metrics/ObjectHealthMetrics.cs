using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Metrics;

/// <summary>
/// Every object's verdict as a one-hot gauge: one series per health value, 1 for the current one and 0 for the others
/// (kube-state-metrics' convention for phases), so a series never disappears when the health changes.
/// </summary>
internal static class ObjectHealthMetrics
{
    public static IEnumerable<MetricFamily> Build(ClusterState state)
    {
        var health = new MetricFamily("homeops_object_health", MetricType.Gauge,
            "The dashboard's verdict per object: 1 for the current health (Healthy, Progressing, Degraded, Failed, Suspended, Unknown), 0 for the others. group is the API group (authentik for Authentik objects).",
            "group", "kind", "namespace", "name", "health");
        foreach (var slice in state.Kinds.Values)
        {
            // Warning events come and go by the minute: a series per event would grow Prometheus without bound.
            if (slice.Kind.Key == Kinds.Event.Key) continue;
            foreach (var item in slice.Items.Values)
            {
                foreach (var value in Enum.GetValues<HealthStatus>())
                {
                    health.Add(item.Verdict.Health == value ? 1 : 0,
                        slice.Kind.Group, slice.Kind.Kind, item.Meta.Namespace ?? "", item.Meta.Name, value.ToString());
                }
            }
        }
        yield return health;
    }
}
