using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Metrics;

/// <summary>Per Kubernetes node: the Ready condition (cluster brief §10.1: Ready=True, nothing else counts).</summary>
internal static class NodeMetrics
{
    public static IEnumerable<MetricFamily> Build(ClusterState state)
    {
        var ready = new MetricFamily("homeops_node_ready", MetricType.Gauge,
            "1 when the node's Ready condition is True, else 0 (False, Unknown or missing).", "node");
        foreach (var node in state.Items(Kinds.Node))
            ready.Add(node.FindCondition("Ready")?.IsTrue == true ? 1 : 0, node.Meta.Name);
        yield return ready;
    }
}
