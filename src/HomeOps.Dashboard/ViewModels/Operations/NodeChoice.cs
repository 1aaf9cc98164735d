using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Operations.Gates;

namespace HomeOps.Dashboard.ViewModels.Operations;

/// <summary>A node the operator may pick: only names from the live node list, with what matters for the choice.</summary>
public sealed record NodeChoice(string Name, bool Ready, string ReadyText, string? Ip, bool ControlPlane, HealthStatus Health)
{
    public string TestId => $"pick-node-{Name}";

    /// <summary>The live node list (never free text): names as the informer reports them, in name order.</summary>
    public static IReadOnlyList<NodeChoice> FromLive(ClusterState state) =>
        GateData.Nodes(state)
            .Select(n => new NodeChoice(n.Meta.Name, GateData.IsReady(n), GateData.DescribeReady(n), GateData.InternalIPv4(n),
                GateData.IsControlPlane(n), n.Verdict.Health))
            .ToList();

    /// <summary>Keeps only names that are in the live list (a name from a query string or a stale selection is dropped).</summary>
    public static IReadOnlyList<string> Sanitize(IEnumerable<string> names, IReadOnlyList<NodeChoice> live)
    {
        var known = live.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return names.Where(known.Contains).Distinct(StringComparer.Ordinal).ToList();
    }
}
