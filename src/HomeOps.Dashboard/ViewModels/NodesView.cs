using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Dashboard.ViewModels;

public sealed record NodeRow(
    string Key,
    string Name,
    HealthStatus Health,
    string Reason,
    string Message,
    string ReadyStatus,
    bool Cordoned,
    IReadOnlyList<string> Roles,
    string TalosVersion,
    string KubeletVersion,
    IReadOnlyList<string> InternalIps,
    IReadOnlyList<string> OtherAddresses,
    IReadOnlyList<string> Pressures,
    IReadOnlyList<Taint> Taints,
    ResourceSnapshot? Resource)
{
    public string TestId => RowIds.For(Kinds.Node, Name);

    public bool Missing => Resource is null;
}

/// <summary>The Nodes tile and page: the Cluster rollup (health, counts, missing nodes) and the rows of the nodes not Ready.</summary>
public sealed record NodesSummary(NodesRollup Rollup, IReadOnlyList<NodeRow> NotReady)
{
    public HealthStatus Health => Rollup.Health;

    public int Ready => Rollup.Ready;

    public int Total => Rollup.Total;

    public IReadOnlyList<string> Missing => Rollup.Missing;

    public IReadOnlyList<string> Cordoned => Rollup.Cordoned;

    public Freshness Freshness => Rollup.Freshness;

    public string Count => Rollup.Count;
}

/// <summary>Nodes area rows. Which nodes exist, are Ready or are missing is <see cref="NodesRollup"/>'s; a row maps one to columns.</summary>
public static class NodesView
{
    public const string ReadyMissing = NodesRollup.ReadyMissing;

    private static readonly string[] PressureTypes = ["MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable"];

    // Shared by every circuit (see SharedView): the list per (slice, expected names), the rows per object snapshot.
    private static readonly SharedView<IReadOnlyList<NodeRow>> SharedRows = new();
    private static readonly SharedView<NodesSummary> SharedSummary = new();
    private static readonly RowsBySnapshot<NodeRow> RowsOf = new();
    // Bounded by the configured node names; a missing node's row depends on its name alone.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, NodeRow> MissingRows = new(StringComparer.Ordinal);

    /// <summary>Worst first; the list and its rows are shared between circuits: read them, never change them.</summary>
    public static IReadOnlyList<NodeRow> Rows(ClusterState state, IReadOnlyList<string> expectedNodes)
    {
        var rollup = AreaRollups.Nodes(state, expectedNodes);
        return SharedRows.Get([rollup], () =>
            rollup.Nodes.Select(n => n.Resource is { } node ? RowsOf.Get(node, ToRow) : MissingRows.GetOrAdd(n.Name, _ => MissingRow(n))).ToList());
    }

    public static NodesSummary Summarize(ClusterState state, IReadOnlyList<string> expectedNodes)
    {
        var rollup = AreaRollups.Nodes(state, expectedNodes);
        return SharedSummary.Get([rollup], () =>
            new NodesSummary(rollup, Rows(state, expectedNodes).Where(r => !r.Missing && r.ReadyStatus != "True").ToList()));
    }

    public static NodeRow ToRow(ResourceSnapshot node)
    {
        var d = node.Details as NodeDetails;
        var pressures = node.Conditions
            .Where(c => c.IsTrue && PressureTypes.Contains(c.Type, StringComparer.Ordinal))
            .Select(c => c.Type)
            .ToList();
        var addresses = d?.Addresses ?? [];
        return new NodeRow(
            node.Key,
            node.Meta.Name,
            node.Verdict.Health,
            node.Verdict.Reason,
            node.Verdict.Message,
            NodesRollup.ReadyStatusOf(node),
            d?.Unschedulable ?? false,
            d is null ? [] : d.Roles,
            d?.TalosVersion ?? "",
            d?.KubeletVersion ?? "",
            addresses.Where(a => a.Type == "InternalIP").Select(a => a.Address).ToList(),
            addresses.Where(a => a.Type != "InternalIP").Select(a => $"{a.Type}: {a.Address}").ToList(),
            pressures,
            d is null ? [] : d.Taints,
            node);
    }

    private static NodeRow MissingRow(NodeEntry missing) => new(
        $"missing:{missing.Name}", missing.Name, missing.Verdict.Health, missing.Verdict.Reason, missing.Verdict.Message,
        missing.ReadyStatus, false, [], "", "", [], [], [], [], null);
}
