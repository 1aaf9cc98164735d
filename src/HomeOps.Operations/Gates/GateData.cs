using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Operations.Gates;

/// <summary>Shared reads over <see cref="ClusterState"/> for gates and the pre-flight: readiness by condition, freshness, addresses.</summary>
public static class GateData
{
    /// <summary>
    /// Null when every listed kind's data may be trusted; otherwise the reason it cannot decide. A kind that is not
    /// installed is a definite answer (there are none), so it counts as usable.
    /// </summary>
    public static string? Staleness(ClusterState state, DateTimeOffset now, params KindInfo[] kinds)
    {
        var problems = new List<string>();
        foreach (var kind in kinds)
        {
            var f = state.Slice(kind).Freshness;
            if (f.State is FeedState.Live or FeedState.NotInstalled) continue;
            problems.Add($"{kind.Kind} data is not live ({f.Describe(now)})");
        }
        return problems.Count == 0 ? null : string.Join("; ", problems) + " — cannot decide on stale data";
    }

    public static IEnumerable<ResourceSnapshot> Nodes(ClusterState state) =>
        state.Items(Kinds.Node).OrderBy(n => n.Meta.Name, StringComparer.Ordinal);

    public static ResourceSnapshot? FindNode(ClusterState state, string name) =>
        state.Items(Kinds.Node).FirstOrDefault(n => string.Equals(n.Meta.Name, name, StringComparison.Ordinal));

    // The node facts are the node's details (NodeDetails, decoded once in HomeOps.Cluster); these only unwrap them.

    /// <summary><see cref="NodeDetails.Ready"/>: the Ready condition's status is "True". False for a node that could not be read.</summary>
    public static bool IsReady(ResourceSnapshot node) => node.Details is NodeDetails { Ready: true };

    /// <summary><see cref="NodeDetails.DescribeReady"/>: "Ready=False (KubeletNotReady)", "no Ready condition".</summary>
    public static string DescribeReady(ResourceSnapshot node) => (node.Details as NodeDetails)?.DescribeReady ?? "no Ready condition";

    /// <summary><see cref="NodeDetails.ControlPlane"/>; for a node that could not be read, its control-plane label.</summary>
    public static bool IsControlPlane(ResourceSnapshot node) =>
        node.Details is NodeDetails d ? d.ControlPlane : node.Meta.Labels.ContainsKey("node-role.kubernetes.io/control-plane");

    /// <summary><see cref="NodeDetails.InternalIPv4"/>: the node's IPv4 InternalIP.</summary>
    public static string? InternalIPv4(ResourceSnapshot node) => (node.Details as NodeDetails)?.InternalIPv4;

    public static ResourceSnapshot? FindNamespaced(ClusterState state, KindInfo kind, string ns, string name) =>
        state.Items(kind).FirstOrDefault(o =>
            string.Equals(o.Meta.Name, name, StringComparison.Ordinal) && string.Equals(o.Meta.Namespace, ns, StringComparison.Ordinal));

    /// <summary>Readiness of a Flux object: suspended objects keep a stale Ready, an older generation's status cannot decide.</summary>
    public static GateResult FluxReady(ResourceSnapshot obj, bool suspended, long observedGeneration)
    {
        var name = $"{obj.Kind.Kind} {obj.Meta.DisplayName}";
        if (suspended) return GateResult.Fail($"{name} is suspended: its Ready status is stale and it will not reconcile");
        if (obj.Meta.Generation > 0 && observedGeneration > 0 && obj.Meta.Generation > observedGeneration)
            return GateResult.Undecided($"{name}: status describes generation {observedGeneration}, spec is at {obj.Meta.Generation} (reconcile pending)");
        var ready = obj.FindCondition("Ready");
        if (ready is null) return GateResult.Fail($"{name} has no Ready condition yet");
        if (ready.IsTrue) return GateResult.Pass($"{name} Ready ({ready.Reason})");
        var msg = ready.Message.Length > 300 ? ready.Message[..300] + "…" : ready.Message;
        return GateResult.Fail($"{name} Ready={ready.Status} ({ready.Reason}): {msg}");
    }

    public static string List(IEnumerable<string> items, int max = 5)
    {
        var all = items.ToList();
        return all.Count <= max ? string.Join(", ", all) : string.Join(", ", all.Take(max)) + $" and {all.Count - max} more";
    }
}
