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

public sealed record FluxSummary(
    HealthStatus Health,
    int Ready,
    int Total,
    int Suspended,
    IReadOnlyList<FluxProblem> RootCauses,
    int Waiting,
    Freshness Freshness) : IAreaSummary
{
    /// <summary>Kustomizations Ready out of all Kustomizations, counted live (never a hard-coded 31 or 32).</summary>
    public string Count => $"{Ready}/{Total}";
}

/// <summary>
/// Flux area: Kustomizations, HelmReleases and GitRepositories. <c>DependencyNotReady</c> is traced to its root cause
/// with <see cref="FluxGraph"/>; flux-system is a rollup (wait: true over its children), not a cause.
/// </summary>
public static class FluxView
{
    public static IReadOnlyList<FluxRow> Rows(ClusterState state) => Rows(state, Graph(state));

    public static FluxSummary Summarize(ClusterState state)
    {
        var graph = Graph(state);
        var rows = Rows(state, graph);
        var kustomizations = rows.Where(r => r.Kind.Key == Kinds.Kustomization.Key).ToList();
        var waiting = rows.Where(r => HealthOrder.IsProblem(r.Health) && r.WaitingOnDependency).ToList();
        var byKey = rows.ToDictionary(r => (r.Kind.Kind, r.Namespace, r.Name));

        var blocking = waiting
            .SelectMany(w => w.RootCauses.Select(c => (c.Kind, c.Namespace, c.Name)).Distinct())
            .GroupBy(k => k)
            .ToDictionary(g => g.Key, g => g.Count());
        // GitRepositories are not in the dependsOn graph but block everything when they fail.
        var sources = rows.Where(r => r.Kind.Key == Kinds.GitRepository.Key && HealthOrder.IsProblem(r.Health))
            .Select(r => new RootCause(r.Kind.Kind, r.Namespace, r.Name, r.Health, r.Reason, r.Message));
        var causes = graph.FailingRoots().Select(RootCause.From).Concat(sources)
            .Select(c => new FluxProblem(c, byKey.GetValueOrDefault((c.Kind, c.Namespace, c.Name)),
                blocking.GetValueOrDefault((c.Kind, c.Namespace, c.Name))))
            .OrderByDescending(p => p.Blocking)
            .ThenByDescending(p => HealthOrder.Severity(p.Cause.Health))
            .ThenBy(p => p.Cause.Name, StringComparer.Ordinal)
            .ToList();

        var health = AreaFreshness.HasData(state, Area.Flux)
            ? HealthOrder.Worst(rows.Select(r => r.Health))
            : HealthStatus.Unknown;
        return new FluxSummary(
            health,
            kustomizations.Count(r => r.Health == HealthStatus.Healthy),
            kustomizations.Count,
            rows.Count(r => r.Suspended),
            causes,
            waiting.Count,
            AreaFreshness.Of(state, Area.Flux));
    }

    private static FluxGraph Graph(ClusterState state) =>
        FluxGraph.Build(state.Items(Kinds.Kustomization).Concat(state.Items(Kinds.HelmRelease)));

    private static IReadOnlyList<FluxRow> Rows(ClusterState state, FluxGraph graph)
    {
        var rows = new List<FluxRow>();
        foreach (var kind in new[] { Kinds.Kustomization, Kinds.HelmRelease, Kinds.GitRepository })
            foreach (var item in state.Items(kind))
                rows.Add(ToRow(item, graph));
        return HealthOrder.WorstFirst(rows, r => r.Health, r => $"{r.Kind.Kind}/{r.Name}");
    }

    private static FluxRow ToRow(ResourceSnapshot item, FluxGraph graph)
    {
        var ns = item.Meta.Namespace ?? "";
        var (suspended, applied, attempted, deps) = item.Details switch
        {
            KustomizationDetails k => (k.Suspended, k.LastAppliedRevision, k.LastAttemptedRevision, k.DependsOn),
            HelmReleaseDetails h => (h.Suspended, h.ChartVersion, h.LastAttemptedRevision, h.DependsOn),
            GitRepositoryDetails g => (g.Suspended, g.ArtifactRevision, "", []),
            _ => (false, "", "", []),
        };
        // A waiting object shows what it waits on; the rollup shows its failing children; others are their own cause.
        IReadOnlyList<RootCause> causes =
            !FluxGraph.IsFlux(item) ? []
            : FluxGraph.IsWaiting(item) ? graph.RootCauses(item).Select(RootCause.From).ToList()
            : FluxGraph.IsRollup(item) ? graph.RootCauses(item).Where(c => !ReferenceEquals(c.Snapshot, item)).Select(RootCause.From).ToList()
            : [];
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
