using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Scenarios;

/// <summary>
/// mini02's kubelet loses its container runtime: Ready=False KubeletNotReady, the node lifecycle controller
/// taints it not-ready, and Longhorn marks its node not ready; then it comes back.
/// </summary>
internal sealed class NodeNotReadyScenario : IScenario
{
    public const string Node = "mini02";
    private const string NotReadyTaint = "node.kubernetes.io/not-ready";

    public string Name => "node-notready";

    public bool IsApplicable(ScenarioContext context) => context.Exists(Kinds.Node, null, Node);

    public IReadOnlyList<ObjectRef> Trigger(ScenarioContext context)
    {
        var now = context.Timestamp;
        context.Cluster.Update(Kinds.Node, null, Node, node =>
        {
            Conditions.Set(node, "Ready", "False", "KubeletNotReady", "container runtime is down", now);
            var spec = node["spec"] as JsonObject ?? new JsonObject();
            node["spec"] = spec;
            var taints = spec["taints"] as JsonArray ?? new JsonArray();
            spec["taints"] = taints;
            if (!taints.OfType<JsonObject>().Any(t => t.String("key") == NotReadyTaint))
            {
                taints.Add(new JsonObject { ["effect"] = "NoSchedule", ["key"] = NotReadyTaint });
                taints.Add(new JsonObject { ["effect"] = "NoExecute", ["key"] = NotReadyTaint, ["timeAdded"] = now });
            }
        });
        var touched = new List<ObjectRef> { new(Kinds.Node, null, Node) };
        if (context.Exists(Kinds.LonghornNode, Seed.HomeOpsTopology.LonghornNamespace, Node))
        {
            context.Cluster.Update(Kinds.LonghornNode, Seed.HomeOpsTopology.LonghornNamespace, Node, n =>
                Conditions.Set(n, "Ready", "False", "KubernetesNodeNotReady", $"Kubernetes node {Node} not ready: KubeletNotReady", now));
            touched.Add(new ObjectRef(Kinds.LonghornNode, Seed.HomeOpsTopology.LonghornNamespace, Node));
        }
        return touched;
    }

    public IReadOnlyList<ObjectRef> Recover(ScenarioContext context)
    {
        var now = context.Timestamp;
        context.Cluster.Update(Kinds.Node, null, Node, node =>
        {
            Conditions.Set(node, "Ready", "True", "KubeletReady", "kubelet is posting ready status", now);
            if (node["spec"] is JsonObject spec && spec["taints"] is JsonArray taints)
            {
                foreach (var taint in taints.OfType<JsonObject>().Where(t => t.String("key") == NotReadyTaint).ToList()) taints.Remove(taint);
                if (taints.Count == 0) spec.Remove("taints");
            }
        });
        var touched = new List<ObjectRef> { new(Kinds.Node, null, Node) };
        if (context.Exists(Kinds.LonghornNode, Seed.HomeOpsTopology.LonghornNamespace, Node))
        {
            context.Cluster.Update(Kinds.LonghornNode, Seed.HomeOpsTopology.LonghornNamespace, Node, n =>
                Conditions.Set(n, "Ready", "True", "", $"Node {Node} is ready", now));
            touched.Add(new ObjectRef(Kinds.LonghornNode, Seed.HomeOpsTopology.LonghornNamespace, Node));
        }
        return touched;
    }
}
