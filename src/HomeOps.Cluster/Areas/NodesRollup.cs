using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Areas;

/// <summary>
/// One node of the Nodes area: a registered node (<see cref="Resource"/> set) or an expected node the API does not have.
/// <see cref="ReadyStatus"/> is the Ready condition's status (<c>True</c>, <c>False</c>, <c>Unknown</c>), or
/// <see cref="NodesRollup.ReadyMissing"/> for a missing node.
/// </summary>
public sealed record NodeEntry(string Name, Verdict Verdict, string ReadyStatus, bool Cordoned, ResourceSnapshot? Resource)
{
    public bool Missing => Resource is null;
}

/// <summary>
/// The Nodes area. Ready is read from the Ready condition (never a substring of "NotReady"). A node in
/// <c>Cluster:ExpectedNodes</c> that the synced node list lacks is the worst kind of problem (Failed, <c>NodeMissing</c>):
/// the area says so instead of counting 2/2.
/// </summary>
public sealed record NodesRollup(
    HealthStatus Health,
    int Ready,
    int Total,
    IReadOnlyList<NodeEntry> Nodes,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Cordoned,
    Freshness Freshness) : IAreaRollup
{
    public const string ReadyMissing = "Missing";
    public const string MissingReason = "NodeMissing";

    public string Area => nameof(Model.Area.Nodes);

    public int Ok => Ready;

    public string Count => $"{Ready}/{Total}";

    public string CountLabel => "nodes Ready";

    /// <summary>The Ready condition's status (<see cref="NodeDetails.ReadyStatus"/>); "Unknown" when the node has none or could not be read.</summary>
    public static string ReadyStatusOf(ResourceSnapshot node) => (node.Details as NodeDetails)?.ReadyStatus ?? "Unknown";

    public static Verdict MissingVerdict(string name) =>
        new(HealthStatus.Failed, MissingReason, $"{name} is expected but not registered with the Kubernetes API.");

    internal static NodesRollup Compute(ClusterState state, IReadOnlyList<string> expectedNodes)
    {
        var slice = state.Slice(Kinds.Node);
        var entries = slice.Items.Values
            .Select(n => new NodeEntry(n.Meta.Name, n.Verdict, ReadyStatusOf(n), n.Details is NodeDetails { Unschedulable: true }, n))
            .ToList();
        // Only a synced list can say a node is absent; before that nothing is known.
        if (slice.Freshness.Synced)
        {
            var present = entries.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
            entries.AddRange(expectedNodes.Where(n => !present.Contains(n))
                .Select(n => new NodeEntry(n, MissingVerdict(n), ReadyMissing, false, null)));
        }
        var ordered = HealthOrder.WorstFirst(entries, e => e.Verdict.Health, e => e.Name);
        var synced = slice.Freshness.Synced || ordered.Count > 0;
        return new NodesRollup(
            synced ? HealthOrder.Worst(ordered.Select(e => e.Verdict.Health), HealthStatus.Unknown) : HealthStatus.Unknown,
            ordered.Count(e => e.ReadyStatus == "True"),
            synced ? ordered.Count : expectedNodes.Count,
            ordered,
            ordered.Where(e => e.Missing).Select(e => e.Name).ToList(),
            ordered.Where(e => e.Cordoned).Select(e => e.Name).ToList(),
            slice.Freshness);
    }
}
