using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Metrics;

/// <summary>Per Kustomization and HelmRelease: Ready condition and spec.suspend.</summary>
internal static class FluxMetrics
{
    public static IEnumerable<MetricFamily> Build(ClusterState state)
    {
        var ready = new MetricFamily("homeops_flux_ready", MetricType.Gauge,
            "1 when the Flux object's Ready condition is True, else 0. A suspended object keeps its last Ready value.",
            "kind", "namespace", "name");
        var suspended = new MetricFamily("homeops_flux_suspended", MetricType.Gauge,
            "1 when the Flux object has spec.suspend: true (Flux does not reconcile it), else 0.",
            "kind", "namespace", "name");
        foreach (var kind in (KindInfo[])[Kinds.Kustomization, Kinds.HelmRelease])
        {
            foreach (var item in state.Items(kind))
            {
                var labels = new[] { kind.Kind, item.Meta.Namespace ?? "", item.Meta.Name };
                ready.Add(item.FindCondition("Ready")?.IsTrue == true ? 1 : 0, labels);
                var isSuspended = item.Details switch
                {
                    KustomizationDetails k => k.Suspended,
                    HelmReleaseDetails h => h.Suspended,
                    _ => item.Verdict.Health == HealthStatus.Suspended,
                };
                suspended.Add(isSuspended ? 1 : 0, labels);
            }
        }
        yield return ready;
        yield return suspended;
    }
}
