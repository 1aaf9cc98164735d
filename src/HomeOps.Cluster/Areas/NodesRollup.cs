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
/// The Talos and etcd part of the Nodes area (<see cref="Kinds.TalosNode"/>, <see cref="Kinds.Etcd"/>, published by the
/// Talos feed): the health it adds to the area, one line saying what Talos said (or why it was not read), and the Talos
/// objects that are a problem. Not configured: no health of its own (the feed says why). Not polled yet: nothing known
/// yet, no health. Failing (never answered, or unreachable since …): Unknown — neither healthy nor failed — and the area
/// shows the feed's freshness. Live: the worst of the nodes' Talos verdicts and etcd's.
/// </summary>
public sealed record TalosPart(HealthStatus? Health, string Summary, IReadOnlyList<ResourceSnapshot> Problems, Freshness Freshness)
{
    /// <summary>Whether the area's health counts this part (<see cref="Health"/> set).</summary>
    public bool Counts => Health is not null;

    internal static TalosPart Compute(ClusterState state)
    {
        var nodes = state.Slice(Kinds.TalosNode);
        var etcd = state.Slice(Kinds.Etcd);
        var f = nodes.Freshness;
        var objects = nodes.Items.Values.Concat(etcd.Items.Values).ToList();
        var problems = HealthOrder.WorstFirst(objects.Where(o => HealthOrder.IsProblem(o.Verdict.Health)), o => o.Verdict.Health, o => o.Meta.Name);
        var etcdLine = etcd.Items.Values.FirstOrDefault()?.Verdict.Message;
        switch (f.State)
        {
            case FeedState.NotInstalled:
                return new TalosPart(null, $"Talos not read: {f.LastError ?? "not configured"}", [], f);
            case FeedState.Connecting:
                return new TalosPart(null, "Talos: not polled yet", [], f);
            case FeedState.Live:
                var health = HealthOrder.Worst(objects.Select(o => o.Verdict.Health));
                var summary = problems.Count == 0
                    ? $"Talos: {nodes.Items.Count} node(s) running, services healthy; {etcdLine ?? "etcd not read"}"
                    : "Talos: " + string.Join("; ", problems.Select(p => $"{p.Meta.Name}: {p.Verdict.Message}"));
                return new TalosPart(etcd.Items.Count == 0 && nodes.Items.Count > 0 ? HealthOrder.Worst(health, HealthStatus.Unknown) : health,
                    summary, problems, f);
            default:
                // The feed failed: what Talos said last is not current. Not healthy, not failed: unknown, and why.
                return new TalosPart(HealthStatus.Unknown, $"Talos not read: {f.LastError ?? f.State.ToString()}", problems, f);
        }
    }
}

/// <summary>
/// The Nodes area. Ready is read from the Ready condition (never a substring of "NotReady"). A node in
/// <c>Cluster:ExpectedNodes</c> that the synced node list lacks is the worst kind of problem (Failed, <c>NodeMissing</c>):
/// the area says so instead of counting 2/2. Talos and etcd are part of the one verdict (<see cref="TalosPart"/>): a node
/// Talos cannot reach, one Talos says is running while Kubernetes says NotReady, one in maintenance mode, an etcd member
/// not healthy or an etcd alarm make the area what their verdicts say.
/// </summary>
public sealed record NodesRollup(
    HealthStatus Health,
    int Ready,
    int Total,
    IReadOnlyList<NodeEntry> Nodes,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Cordoned,
    Freshness Freshness,
    TalosPart Talos) : IAreaRollup
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
        var talos = TalosPart.Compute(state);
        var health = synced ? HealthOrder.Worst(ordered.Select(e => e.Verdict.Health), HealthStatus.Unknown) : HealthStatus.Unknown;
        if (synced && talos.Health is { } t) health = HealthOrder.Worst(health, t);
        // A failing Talos feed makes the tile stale ("unreachable since …"); a live one is as fresh as the Node list.
        var freshness = talos.Freshness.State is FeedState.Error or FeedState.Reconnecting or FeedState.Forbidden
            ? AreaFreshness.Combine([slice.Freshness, talos.Freshness])
            : slice.Freshness;
        return new NodesRollup(
            health,
            ordered.Count(e => e.ReadyStatus == "True"),
            synced ? ordered.Count : expectedNodes.Count,
            ordered,
            ordered.Where(e => e.Missing).Select(e => e.Name).ToList(),
            ordered.Where(e => e.Cordoned).Select(e => e.Name).ToList(),
            freshness,
            talos);
    }
}
