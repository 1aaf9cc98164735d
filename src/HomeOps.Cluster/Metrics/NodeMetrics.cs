using HomeOps.Cluster.Areas;

namespace HomeOps.Cluster.Metrics;

/// <summary>Per Kubernetes node (and per expected node): the Ready condition (cluster brief §10.1: Ready=True, nothing else counts).</summary>
internal static class NodeMetrics
{
    public static IEnumerable<MetricFamily> Build(NodesRollup nodes)
    {
        var ready = new MetricFamily("homeops_node_ready", MetricType.Gauge,
            "1 when the node's Ready condition is True, else 0 (False, Unknown, no condition, or an expected node that is not registered).", "node");
        // An expected node the API lacks is 0, not absent: HomeOpsNodeNotReady fires for it as the tile turns red.
        foreach (var node in nodes.Nodes)
            ready.Add(node.ReadyStatus == "True" ? 1 : 0, node.Name);
        yield return ready;
    }
}
