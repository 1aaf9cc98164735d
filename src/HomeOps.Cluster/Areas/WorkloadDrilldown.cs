using System.Collections.Immutable;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Areas;

/// <summary>One workload a Flux object manages, with its pods (worst first).</summary>
public sealed record ManagedWorkload(ResourceSnapshot Workload, ImmutableArray<ResourceSnapshot> Pods);

/// <summary>Warning events about one object with the same reason and note, merged: their counts summed, the latest time kept.</summary>
public sealed record WarningSummary(
    string Reason,
    string Note,
    string ObjectKind,
    string? ObjectNamespace,
    string ObjectName,
    int Count,
    DateTimeOffset? LastSeen)
{
    public string Object => ObjectNamespace is null ? $"{ObjectKind}/{ObjectName}" : $"{ObjectKind}/{ObjectNamespace}/{ObjectName}";
}

/// <summary>
/// What explains a red Flux object at the workload level: the worst pod (or, without pods, the worst workload) and the
/// latest Warning event about it (or about its workload).
/// </summary>
public sealed record WorkloadCause(ResourceSnapshot Object, WarningSummary? Event)
{
    public string Describe() =>
        $"{Object.Kind.Kind} {Object.Meta.DisplayName} {Object.Verdict.Reason}" + (Event is { } e ? $" — {e.Reason}: {e.Note}" : "");
}

/// <summary>What a Kustomization or HelmRelease manages, the state of it, and the recent Warning events about it.</summary>
public sealed record ManagedReport(ImmutableArray<ManagedWorkload> Workloads, ImmutableArray<WarningSummary> Warnings, WorkloadCause? Cause)
{
    public static readonly ManagedReport Empty = new([], [], null);

    public IEnumerable<ResourceSnapshot> Pods => Workloads.SelectMany(w => w.Pods);
}

/// <summary>
/// The drill-down from a Flux object to the reason: which workloads it manages, their pods (through ownerReferences),
/// and the Warning events about any of them, deduplicated. A Kustomization's workloads come from its
/// <c>status.inventory</c> (a listed CronJob brings the Jobs it created; a listed HelmRelease what that release
/// manages); without an inventory, from kustomize-controller's ownership labels (and what its HelmReleases manage).
/// A HelmRelease's come from helm-controller's labels (a CronJob's Jobs from the chart's template labels). Indexed once per distinct set of
/// workload slices and shared by every consumer (<see cref="SharedView{T}"/>); a lookup is then a dictionary read.
/// </summary>
public sealed class WorkloadDrilldown
{
    /// <summary>At most this many merged warnings per report (the newest), so a noisy object cannot flood a page.</summary>
    public const int MaxWarnings = 20;

    private static readonly SharedView<WorkloadDrilldown> Cache = new();

    private static readonly KindInfo[] WorkloadKinds = [Kinds.Deployment, Kinds.DaemonSet, Kinds.StatefulSet, Kinds.Job];

    private readonly Dictionary<FluxOwner, List<ResourceSnapshot>> _byOwner = [];
    private readonly Dictionary<(string? Ns, string Kind, string Name), List<ResourceSnapshot>> _podsByWorkload = [];
    private readonly Dictionary<(string? Ns, string Kind, string Name), List<EventDetails>> _eventsByObject = [];
    private readonly Dictionary<FluxOwner, List<FluxOwner>> _releasesByKustomization = [];
    private readonly Dictionary<(string? Ns, string Kind, string Name), ResourceSnapshot> _workloadsByName = [];
    private readonly Dictionary<(string? Ns, string Name), List<ResourceSnapshot>> _jobsByCronJob = [];

    private WorkloadDrilldown() { }

    /// <summary>The index of <paramref name="state"/>, shared while its workload, event and HelmRelease slices are unchanged.</summary>
    public static WorkloadDrilldown Of(ClusterState state) =>
        Cache.Get(ViewInputs.Of(state, Kinds.Pod, Kinds.Deployment, Kinds.DaemonSet, Kinds.StatefulSet, Kinds.Job, Kinds.Event, Kinds.HelmRelease),
            () => Build(state));

    private static WorkloadDrilldown Build(ClusterState state)
    {
        var d = new WorkloadDrilldown();
        foreach (var kind in WorkloadKinds)
            foreach (var w in state.Items(kind))
            {
                d._workloadsByName[(w.Meta.Namespace, w.Kind.Kind, w.Meta.Name)] = w;
                if (FluxOwnerOf(w) is { } owner) Add(d._byOwner, owner, w);
                if (w.Details is JobDetails { CronJob: { } cron }) Add(d._jobsByCronJob, (w.Meta.Namespace, cron), w);
            }
        foreach (var p in state.Items(Kinds.Pod))
            if (p.Details is PodDetails { Workload: { } wl }) Add(d._podsByWorkload, (p.Meta.Namespace, wl.Kind, wl.Name), p);
        foreach (var e in state.Items(Kinds.Event))
            if (e.Details is EventDetails ev) Add(d._eventsByObject, (ev.RegardingNamespace, ev.RegardingKind, ev.RegardingName), ev);
        // HelmReleases carry kustomize-controller's labels: the Kustomization that applied them.
        foreach (var hr in state.Items(Kinds.HelmRelease))
            if (WorkloadHealth.FluxOwnerOf(hr.Meta) is { Kind: FluxOwner.KustomizationKind } ks)
                Add(d._releasesByKustomization, ks, new FluxOwner(FluxOwner.HelmReleaseKind, hr.Meta.Namespace ?? "", hr.Meta.Name));
        return d;
    }

    private static FluxOwner? FluxOwnerOf(ResourceSnapshot s) => s.Details switch
    {
        WorkloadDetails w => w.Flux,
        JobDetails j => j.Flux,
        _ => null,
    };

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(value);
    }

    /// <summary>The report of a Kustomization or HelmRelease snapshot; <see cref="ManagedReport.Empty"/> for any other kind.</summary>
    public static ManagedReport For(ClusterState state, ResourceSnapshot flux)
    {
        var kind = flux.Kind.Key == Kinds.HelmRelease.Key ? FluxOwner.HelmReleaseKind
            : flux.Kind.Key == Kinds.Kustomization.Key ? FluxOwner.KustomizationKind : null;
        return kind is null ? ManagedReport.Empty
            : Of(state).Report(new FluxOwner(kind, flux.Meta.Namespace ?? "", flux.Meta.Name), (flux.Details as KustomizationDetails)?.Inventory);
    }

    /// <param name="inventory">A Kustomization's followed inventory entries; null to go by the ownership labels.</param>
    public ManagedReport Report(FluxOwner owner, ImmutableArray<InventoryRef>? inventory = null)
    {
        IEnumerable<ResourceSnapshot> managed;
        if (owner.Kind == FluxOwner.KustomizationKind && inventory is { } entries)
            managed = entries.SelectMany(Listed);
        else
        {
            var owners = new List<FluxOwner> { owner };
            if (owner.Kind == FluxOwner.KustomizationKind && _releasesByKustomization.TryGetValue(owner, out var releases)) owners.AddRange(releases);
            managed = owners.SelectMany(o => _byOwner.GetValueOrDefault(o) ?? []);
        }
        var workloads = managed.Distinct(ReferenceEqualityComparer.Instance).Cast<ResourceSnapshot>()
            .Select(w => new ManagedWorkload(w, [.. PodsOf(w).OrderByDescending(p => HealthOrder.Severity(p.Verdict.Health)).ThenBy(p => p.Meta.Name, StringComparer.Ordinal)]))
            .OrderByDescending(w => HealthOrder.Severity(HealthOrder.Worst(w.Pods.Select(p => p.Verdict.Health).Append(w.Workload.Verdict.Health))))
            .ThenBy(w => w.Workload.Meta.DisplayName, StringComparer.Ordinal)
            .ToImmutableArray();
        var warnings = Warnings(workloads).ToImmutableArray();
        return new ManagedReport(workloads, warnings, CauseOf(workloads, warnings));
    }

    /// <summary>The workloads behind one inventory entry: the workload itself, a CronJob's Jobs, a HelmRelease's workloads.</summary>
    private IEnumerable<ResourceSnapshot> Listed(InventoryRef e) => (e.Group, e.Kind) switch
    {
        ("batch", "CronJob") => _jobsByCronJob.GetValueOrDefault((e.Namespace, e.Name)) ?? [],
        ("helm.toolkit.fluxcd.io", "HelmRelease") => _byOwner.GetValueOrDefault(new FluxOwner(FluxOwner.HelmReleaseKind, e.Namespace ?? "", e.Name)) ?? [],
        _ => _workloadsByName.TryGetValue((e.Namespace, e.Kind, e.Name), out var w) ? [w] : [],
    };

    /// <summary>The pods a workload owns (a Deployment through its ReplicaSets).</summary>
    public IEnumerable<ResourceSnapshot> PodsOf(ResourceSnapshot workload) =>
        _podsByWorkload.GetValueOrDefault((workload.Meta.Namespace, workload.Kind.Kind, workload.Meta.Name)) ?? [];

    private IEnumerable<WarningSummary> Warnings(ImmutableArray<ManagedWorkload> workloads)
    {
        var objects = workloads.SelectMany(w => w.Pods.Prepend(w.Workload));
        var events = objects.SelectMany(o => _eventsByObject.GetValueOrDefault((o.Meta.Namespace, o.Kind.Kind, o.Meta.Name)) ?? []);
        return events
            .GroupBy(e => (e.RegardingKind, e.RegardingNamespace, e.RegardingName, e.Reason, e.Note))
            .Select(g => new WarningSummary(g.Key.Reason, g.Key.Note, g.Key.RegardingKind, g.Key.RegardingNamespace, g.Key.RegardingName,
                g.Sum(e => e.Count), g.Max(e => e.LastSeen)))
            .OrderByDescending(w => w.LastSeen)
            .ThenBy(w => w.Object, StringComparer.Ordinal)
            .Take(MaxWarnings);
    }

    private static WorkloadCause? CauseOf(ImmutableArray<ManagedWorkload> workloads, ImmutableArray<WarningSummary> warnings)
    {
        var worstPod = workloads.SelectMany(w => w.Pods).Where(p => HealthOrder.IsProblem(p.Verdict.Health))
            .OrderByDescending(p => HealthOrder.Severity(p.Verdict.Health)).FirstOrDefault();
        var culprit = worstPod ?? workloads.Select(w => w.Workload).Where(w => HealthOrder.IsProblem(w.Verdict.Health))
            .OrderByDescending(w => HealthOrder.Severity(w.Verdict.Health)).FirstOrDefault();
        if (culprit is null) return null;
        var about = warnings.FirstOrDefault(w => w.ObjectKind == culprit.Kind.Kind && w.ObjectName == culprit.Meta.Name && w.ObjectNamespace == culprit.Meta.Namespace);
        return new WorkloadCause(culprit, about);
    }
}
