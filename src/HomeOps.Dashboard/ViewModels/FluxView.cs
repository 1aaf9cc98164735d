using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Dashboard.ViewModels;

/// <summary>The upstream object (or missing dependency, or cycle) that really blocks a <c>DependencyNotReady</c> one.</summary>
public sealed record RootCause(string Kind, string Namespace, string Name, HealthStatus Health, string Reason, string Message)
{
    public string Display => $"{Kind} {Name}";

    public static RootCause From(FluxRootCause c) => new(c.Ref.Kind, c.Ref.Namespace, c.Ref.Name, c.Health, c.Reason, c.Message);
}

public sealed record FluxRow(
    string Key,
    KindInfo Kind,
    string Namespace,
    string Name,
    HealthStatus Health,
    string Reason,
    string Message,
    bool Suspended,
    string AppliedRevision,
    string AttemptedRevision,
    IReadOnlyList<string> DependsOn,
    IReadOnlyList<RootCause> RootCauses,
    ResourceSnapshot Resource)
{
    public string TestId => RowIds.For(Kind, Name);

    public bool WaitingOnDependency => FluxGraph.IsWaiting(Resource);

    /// <summary>The last attempt differs from what is applied: the cluster still runs the older revision.</summary>
    public bool RevisionDrift =>
        AttemptedRevision.Length > 0 && AppliedRevision.Length > 0 && AttemptedRevision != AppliedRevision;
}

/// <summary>A root cause (its row when the object exists; not for a missing dependency or a cycle) and how many objects wait on it.</summary>
public sealed record FluxProblem(RootCause Cause, FluxRow? Row, int Blocking)
{
    public string Key => $"{Cause.Kind}/{Cause.Namespace}/{Cause.Name}";
}

/// <summary>The Flux tile and page: the Cluster rollup (health, counts) and the root causes to show.</summary>
public sealed record FluxSummary(FluxRollup Rollup, IReadOnlyList<FluxProblem> RootCauses)
{
    public HealthStatus Health => Rollup.Health;

    public int Ready => Rollup.Ready;

    public int Total => Rollup.Total;

    public int Suspended => Rollup.Suspended;

    public int Waiting => Rollup.Waiting;

    public Freshness Freshness => Rollup.Freshness;

    /// <summary>Kustomizations Ready out of all Kustomizations, counted live (never a hard-coded 31 or 32).</summary>
    public string Count => Rollup.Count;
}

/// <summary>
/// Flux area: Kustomizations, HelmReleases and GitRepositories. <c>DependencyNotReady</c> is traced to its root cause
/// with <see cref="FluxGraph"/>; flux-system is a rollup (wait: true over its children), not a cause.
/// </summary>
public static class FluxView
{
    // Shared by every circuit (see SharedView): the graph and rows per set of Flux slices, the summary per area inputs.
    private static readonly SharedView<FluxRows> SharedRows = new();
    private static readonly SharedView<FluxSummary> SharedSummary = new();
    // The latest row of each object: kept while its root causes stay the same (they depend on other objects).
    private static readonly RowsBySnapshot<FluxRow> LastRows = new();
    private static readonly KindInfo[] RowKinds = [Kinds.Kustomization, Kinds.HelmRelease, Kinds.GitRepository];

    private sealed record FluxRows(FluxGraph Graph, IReadOnlyList<FluxRow> Rows);

    /// <summary>Worst first; the list and its rows are shared between circuits: read them, never change them.</summary>
    public static IReadOnlyList<FluxRow> Rows(ClusterState state) => Shared(state).Rows;

    public static FluxSummary Summarize(ClusterState state)
    {
        var rollup = AreaRollups.Flux(state);
        return SharedSummary.Get([rollup, .. ViewInputs.Of(state, RowKinds)], () => new FluxSummary(rollup, RootCauses(state)));
    }

    private static FluxRows Shared(ClusterState state) =>
        SharedRows.Get(ViewInputs.Of(state, RowKinds), () =>
        {
            var graph = Graph(state);
            return new FluxRows(graph, Rows(state, graph));
        });

    /// <summary>What blocks the waiting objects, most blocking first: the graph's failing roots and failing GitRepositories.</summary>
    private static IReadOnlyList<FluxProblem> RootCauses(ClusterState state)
    {
        var (graph, rows) = Shared(state);
        var waiting = rows.Where(r => HealthOrder.IsProblem(r.Health) && r.WaitingOnDependency).ToList();
        var byKey = rows.ToDictionary(r => (r.Kind.Kind, r.Namespace, r.Name));

        var blocking = waiting
            .SelectMany(w => w.RootCauses.Select(c => (c.Kind, c.Namespace, c.Name)).Distinct())
            .GroupBy(k => k)
            .ToDictionary(g => g.Key, g => g.Count());
        // GitRepositories are not in the dependsOn graph but block everything when they fail.
        var sources = rows.Where(r => r.Kind.Key == Kinds.GitRepository.Key && HealthOrder.IsProblem(r.Health))
            .Select(r => new RootCause(r.Kind.Kind, r.Namespace, r.Name, r.Health, r.Reason, r.Message));
        return graph.FailingRoots().Select(RootCause.From).Concat(sources)
            .Select(c => new FluxProblem(c, byKey.GetValueOrDefault((c.Kind, c.Namespace, c.Name)),
                blocking.GetValueOrDefault((c.Kind, c.Namespace, c.Name))))
            .OrderByDescending(p => p.Blocking)
            .ThenByDescending(p => HealthOrder.Severity(p.Cause.Health))
            .ThenBy(p => p.Cause.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static FluxGraph Graph(ClusterState state) =>
        FluxGraph.Build(state.Items(Kinds.Kustomization).Concat(state.Items(Kinds.HelmRelease)));

    private static IReadOnlyList<FluxRow> Rows(ClusterState state, FluxGraph graph)
    {
        var rows = new List<FluxRow>();
        foreach (var kind in RowKinds)
            foreach (var item in state.Items(kind))
                rows.Add(RowOf(item, graph));
        return HealthOrder.WorstFirst(rows, r => r.Health, r => $"{r.Kind.Kind}/{r.Name}");
    }

    /// <summary>The object's previous row when nothing it shows changed (same snapshot, same root causes), else a new one.</summary>
    private static FluxRow RowOf(ResourceSnapshot item, FluxGraph graph)
    {
        var causes = CausesOf(item, graph);
        if (LastRows.TryGet(item, out var last) && last is not null && last.RootCauses.SequenceEqual(causes)) return last;
        var row = ToRow(item, causes);
        LastRows.Set(item, row);
        return row;
    }

    // A waiting object shows what it waits on; the rollup shows its failing children; others are their own cause.
    private static IReadOnlyList<RootCause> CausesOf(ResourceSnapshot item, FluxGraph graph) =>
        !FluxGraph.IsFlux(item) ? []
        : FluxGraph.IsWaiting(item) ? graph.RootCauses(item).Select(RootCause.From).ToList()
        : FluxGraph.IsRollup(item) ? graph.RootCauses(item).Where(c => !ReferenceEquals(c.Snapshot, item)).Select(RootCause.From).ToList()
        : [];

    private static FluxRow ToRow(ResourceSnapshot item, IReadOnlyList<RootCause> causes)
    {
        var ns = item.Meta.Namespace ?? "";
        var (suspended, applied, attempted, deps) = item.Details switch
        {
            KustomizationDetails k => (k.Suspended, k.LastAppliedRevision, k.LastAttemptedRevision, k.DependsOn),
            HelmReleaseDetails h => (h.Suspended, h.ChartVersion, h.LastAttemptedRevision, h.DependsOn),
            GitRepositoryDetails g => (g.Suspended, g.ArtifactRevision, "", []),
            _ => (false, "", "", []),
        };
        return new FluxRow(
            item.Key,
            item.Kind,
            ns,
            item.Meta.Name,
            item.Verdict.Health,
            item.Verdict.Reason,
            item.Verdict.Message,
            suspended,
            applied,
            attempted,
            deps.IsDefault ? [] : deps.Select(d => Format.Ref(d.Namespace, d.Name, ns)).ToList(),
            causes,
            item);
    }
}
