using System.Globalization;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Operations.Gates;

/// <summary><c>nodes-ready {count}</c>: at least <c>count</c> nodes have Ready=True (by condition, never a text grep).</summary>
public sealed class NodesReadyGate : IGate
{
    public string Name => "nodes-ready";
    public string Description => "At least {count} nodes have the Ready condition True.";
    public IReadOnlyList<GateArgument> Arguments { get; } = [new("count", true, "how many nodes must be Ready", IsCount: true)];

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now)
    {
        if (GateData.Staleness(state, now, Kinds.Node) is { } stale) return GateResult.OnStaleData(stale);
        var count = int.Parse(args["count"], CultureInfo.InvariantCulture);
        var nodes = GateData.Nodes(state).ToList();
        var ready = nodes.Where(GateData.IsReady).Select(n => n.Meta.Name).ToList();
        var notReady = nodes.Where(n => !GateData.IsReady(n)).Select(n => $"{n.Meta.Name} ({GateData.DescribeReady(n)})").ToList();
        var text = $"{ready.Count} of {nodes.Count} nodes Ready by condition (need {count})"
                   + (notReady.Count > 0 ? $"; not Ready: {GateData.List(notReady)}" : "");
        return ready.Count >= count ? GateResult.Pass(text) : GateResult.Fail(text);
    }
}

/// <summary>
/// <c>nodes-registered {count}</c>: at least <c>count</c> Node objects exist, Ready or not. After phase 2 the nodes are
/// registered but NotReady (CNI is "none" until phase 3 installs Cilium), so readiness is the wrong test there.
/// </summary>
public sealed class NodesRegisteredGate : IGate
{
    public string Name => "nodes-registered";
    public string Description => "At least {count} Node objects are registered (Ready not required).";
    public IReadOnlyList<GateArgument> Arguments { get; } = [new("count", true, "how many nodes must exist", IsCount: true)];

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now)
    {
        if (GateData.Staleness(state, now, Kinds.Node) is { } stale) return GateResult.OnStaleData(stale);
        var count = int.Parse(args["count"], CultureInfo.InvariantCulture);
        var names = GateData.Nodes(state).Select(n => n.Meta.Name).ToList();
        var text = $"{names.Count} nodes registered (need {count})" + (names.Count > 0 ? $": {GateData.List(names)}" : "");
        return names.Count >= count ? GateResult.Pass(text) : GateResult.Fail(text);
    }
}

/// <summary><c>node-ready {node}</c>: the named node exists and its Ready condition is True.</summary>
public sealed class NodeReadyGate : IGate
{
    public string Name => "node-ready";
    public string Description => "Node {node} has the Ready condition True.";
    public IReadOnlyList<GateArgument> Arguments { get; } = [new("node", true, "node name")];

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now)
    {
        if (GateData.Staleness(state, now, Kinds.Node) is { } stale) return GateResult.OnStaleData(stale);
        var name = args["node"];
        var node = GateData.FindNode(state, name);
        if (node is null) return GateResult.Fail($"node {name} is not registered");
        return GateData.IsReady(node)
            ? GateResult.Pass($"node {name} {GateData.DescribeReady(node)}")
            : GateResult.Fail($"node {name} {GateData.DescribeReady(node)}");
    }
}

/// <summary><c>node-not-ready {node}</c>: the named node is down — Ready False/Unknown, or no longer registered.</summary>
public sealed class NodeNotReadyGate : IGate
{
    public string Name => "node-not-ready";
    public string Description => "Node {node} is not Ready (Ready False or Unknown, or not registered).";
    public IReadOnlyList<GateArgument> Arguments { get; } = [new("node", true, "node name")];

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now)
    {
        if (GateData.Staleness(state, now, Kinds.Node) is { } stale) return GateResult.OnStaleData(stale);
        var name = args["node"];
        var node = GateData.FindNode(state, name);
        if (node is null) return GateResult.Pass($"node {name} is not registered");
        return GateData.IsReady(node)
            ? GateResult.Fail($"node {name} is still Ready")
            : GateResult.Pass($"node {name} {GateData.DescribeReady(node)}");
    }
}
