using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Operations.Gates;

/// <summary>
/// <c>cilium-agents-ready</c>: the Cilium agent runs on every node, read from the Nodes the dashboard already watches:
/// the agent clears the node's <c>NetworkUnavailable</c> condition with reason <c>CiliumIsUp</c> when it starts, and no
/// <c>node.cilium.io/agent-not-ready</c> taint remains. That is the cilium DaemonSet's readiness node by node, observable
/// on BGPv1 and BGPv2 alike (unlike BGP session state).
/// </summary>
public sealed class CiliumAgentsReadyGate : IGate
{
    public const string AgentNotReadyTaint = "node.cilium.io/agent-not-ready";

    public string Name => "cilium-agents-ready";
    public string Description => "The Cilium agent is up on every node (NetworkUnavailable=False reason CiliumIsUp, no agent-not-ready taint).";
    public IReadOnlyList<GateArgument> Arguments { get; } = [];

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now)
    {
        if (GateData.Staleness(state, now, Kinds.Node) is { } stale) return GateResult.OnStaleData(stale);
        var nodes = GateData.Nodes(state).ToList();
        if (nodes.Count == 0) return GateResult.Fail("no node is registered");
        var missing = new List<string>();
        foreach (var n in nodes)
        {
            var net = n.FindCondition("NetworkUnavailable");
            if (net is null) missing.Add($"{n.Meta.Name} (no NetworkUnavailable condition: the agent has not started)");
            else if (!net.IsFalse || net.Reason != "CiliumIsUp") missing.Add($"{n.Meta.Name} (NetworkUnavailable={net.Status} {net.Reason})");
            else if (n.Details is NodeDetails d && d.Taints.Any(t => t.Key == AgentNotReadyTaint)) missing.Add($"{n.Meta.Name} ({AgentNotReadyTaint} taint)");
        }
        var text = $"Cilium agent up on {nodes.Count - missing.Count} of {nodes.Count} nodes" + (missing.Count > 0 ? $"; not on: {GateData.List(missing)}" : "");
        return missing.Count == 0 ? GateResult.Pass(text) : GateResult.Fail(text);
    }
}

/// <summary><c>loadbalancer-address {namespace, name, address}</c>: LB-IPAM assigned the address to the Service (status.loadBalancer.ingress).</summary>
public sealed class LoadBalancerAddressGate : IGate
{
    public string Name => "loadbalancer-address";
    public string Description => "Service {namespace}/{name} has LoadBalancer address {address} assigned.";
    public IReadOnlyList<GateArgument> Arguments { get; } =
        [new("namespace", true, "Service namespace"), new("name", true, "Service name"), new("address", true, "expected ingress address")];

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now)
    {
        if (GateData.Staleness(state, now, Kinds.Service) is { } stale) return GateResult.OnStaleData(stale);
        var svc = GateData.FindNamespaced(state, Kinds.Service, args["namespace"], args["name"]);
        if (svc is null) return GateResult.Fail($"Service {args["namespace"]}/{args["name"]} does not exist");
        var addresses = svc.Details is ServiceDetails d ? d.IngressAddresses : [];
        return addresses.Contains(args["address"])
            ? GateResult.Pass($"Service {svc.Meta.DisplayName} has {args["address"]}")
            : GateResult.Fail($"Service {svc.Meta.DisplayName} has {(addresses.IsEmpty ? "no address (<pending>)" : string.Join(", ", addresses))}, not {args["address"]}");
    }
}
