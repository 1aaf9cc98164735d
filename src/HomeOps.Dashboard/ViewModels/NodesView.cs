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

public sealed record NodesSummary(
    HealthStatus Health,
    int Ready,
    int Total,
    IReadOnlyList<string> Missing,
    IReadOnlyList<NodeRow> NotReady,
    IReadOnlyList<string> Cordoned,
    Freshness Freshness) : IAreaSummary
{
    public string Count => $"{Ready}/{Total}";
}

/// <summary>Nodes area: Ready is read from the Ready condition (never a substring of "NotReady"), health from the verdicts.</summary>
public static class NodesView
{
    public const string ReadyMissing = "Missing";

    private static readonly string[] PressureTypes = ["MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable"];

    // Shared by every circuit (see SharedView): the list per (slice, expected names), the rows per object snapshot.
    private static readonly SharedView<IReadOnlyList<NodeRow>> SharedRows = new();
    private static readonly SharedView<NodesSummary> SharedSummary = new();
    private static readonly RowsBySnapshot<NodeRow> RowsOf = new();
    // Bounded by the configured node names; a missing node's row depends on its name alone.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, NodeRow> MissingRows = new(StringComparer.Ordinal);

    /// <summary>Worst first; the list and its rows are shared between circuits: read them, never change them.</summary>
    public static IReadOnlyList<NodeRow> Rows(ClusterState state, IReadOnlyList<string> expectedNodes) =>
        SharedRows.Get([state.Slice(Kinds.Node), expectedNodes], () => ComputeRows(state, expectedNodes));

    public static NodesSummary Summarize(ClusterState state, IReadOnlyList<string> expectedNodes) =>
        SharedSummary.Get([state.Slice(Kinds.Node), expectedNodes], () => ComputeSummary(state, expectedNodes));

    private static IReadOnlyList<NodeRow> ComputeRows(ClusterState state, IReadOnlyList<string> expectedNodes)
    {
        var rows = state.Items(Kinds.Node).Select(n => RowsOf.Get(n, ToRow)).ToList();
        // A node that never registered (or was deleted) is the worst kind of problem: say so instead of counting 2/2.
        if (state.Slice(Kinds.Node).Freshness.Synced)
        {
            var present = rows.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            rows.AddRange(expectedNodes.Where(n => !present.Contains(n)).Select(n => MissingRows.GetOrAdd(n, MissingRow)));
        }
        return HealthOrder.WorstFirst(rows, r => r.Health, r => r.Name);
    }

    private static NodesSummary ComputeSummary(ClusterState state, IReadOnlyList<string> expectedNodes)
    {
        var rows = Rows(state, expectedNodes);
        var freshness = state.Slice(Kinds.Node).Freshness;
        var synced = freshness.Synced || rows.Count > 0;
        var total = synced ? rows.Count : expectedNodes.Count;
        var ready = rows.Count(r => r.ReadyStatus == "True");
        var health = synced ? HealthOrder.Worst(rows.Select(r => r.Health), HealthStatus.Unknown) : HealthStatus.Unknown;
        return new NodesSummary(
            health,
            ready,
            total,
            rows.Where(r => r.Missing).Select(r => r.Name).ToList(),
            rows.Where(r => !r.Missing && r.ReadyStatus != "True").ToList(),
            rows.Where(r => r.Cordoned).Select(r => r.Name).ToList(),
            freshness);
    }

    public static NodeRow ToRow(ResourceSnapshot node)
    {
        var d = node.Details as NodeDetails;
        var ready = node.FindCondition("Ready")?.Status ?? "Unknown";
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
            ready,
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

    private static NodeRow MissingRow(string name) => new(
        $"missing:{name}", name, HealthStatus.Failed, "NodeMissing",
        $"{name} is expected but not registered with the Kubernetes API.",
        ReadyMissing, false, [], "", "", [], [], [], [], null);
}
