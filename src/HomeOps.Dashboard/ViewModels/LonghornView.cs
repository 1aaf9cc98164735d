using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Dashboard.ViewModels;

public sealed record VolumeRow(
    string Key,
    string Name,
    HealthStatus Health,
    string Reason,
    string Message,
    string State,
    string Robustness,
    VolumeBucket Bucket,
    int Replicas,
    long SizeBytes,
    long ActualSizeBytes,
    DateTimeOffset? LastBackupAt,
    string PvcNamespace,
    string PvcName,
    string NodeId,
    ResourceSnapshot Resource)
{
    public string TestId => RowIds.For(Kinds.LonghornVolume, Name);

    public string Pvc => PvcName.Length == 0 ? "—" : Format.Ref(PvcNamespace, PvcName);
}

public sealed record DiskRow(
    string Name,
    string Path,
    IReadOnlyList<string> Tags,
    long UsedBytes,
    long MaximumBytes,
    long ScheduledBytes,
    long ReservedBytes,
    double UsedFraction,
    bool Ready,
    bool Schedulable,
    string Problem);

public sealed record LonghornNodeRow(
    string Key,
    string Name,
    HealthStatus Health,
    string Reason,
    string Message,
    bool Ready,
    bool Schedulable,
    IReadOnlyList<DiskRow> Disks,
    ResourceSnapshot Resource)
{
    public string TestId => RowIds.For(Kinds.LonghornNode, Name);

    public long UsedBytes => Disks.Sum(d => d.UsedBytes);

    public long MaximumBytes => Disks.Sum(d => d.MaximumBytes);

    public double UsedFraction => MaximumBytes <= 0 ? 0 : (double)UsedBytes / MaximumBytes;
}

public sealed record BackupRow(
    string Key,
    string Name,
    HealthStatus Health,
    string Reason,
    string Message,
    string State,
    string VolumeName,
    int Progress,
    long SizeBytes,
    DateTimeOffset? CreatedAt,
    string Error,
    ResourceSnapshot Resource)
{
    public string TestId => RowIds.For(Kinds.LonghornBackup, Name);
}

/// <summary>A Longhorn problem that is not a volume (a node, a disk, a backup), so a failing tile always says why.</summary>
public sealed record LonghornProblem(string Key, string What, HealthStatus Health, string Reason, string Message);

/// <summary>The Longhorn tile and page: the Cluster rollup (health, counts, buckets), the Longhorn nodes and the problems that are not volumes.</summary>
public sealed record LonghornSummary(LonghornRollup Rollup, IReadOnlyList<LonghornNodeRow> Nodes, IReadOnlyList<LonghornProblem> OtherProblems)
{
    public HealthStatus Health => Rollup.Health;

    public int Ok => Rollup.Ok;

    public int Total => Rollup.Total;

    public IReadOnlyDictionary<VolumeBucket, int> Buckets => Rollup.Buckets;

    public Freshness Freshness => Rollup.Freshness;

    /// <summary>Volumes needing no action (healthy, or detached and idle) out of all volumes.</summary>
    public string Count => Rollup.Count;

    public int this[VolumeBucket bucket] => Rollup[bucket];
}

/// <summary>A Longhorn BackupTarget, or (no <see cref="Resource"/>) the row saying there is none.</summary>
public sealed record BackupTargetRow(string Key, string Name, string Url, HealthStatus Health, string Reason, string Message, ResourceSnapshot? Resource)
{
    public string TestId => RowIds.For(Kinds.LonghornBackupTarget, Name);
}

/// <summary>Longhorn area: volumes by robustness, disks per node, backups.</summary>
public static class LonghornView
{
    // Shared by every circuit (see SharedView): the lists per slice instance, the rows per object snapshot.
    private static readonly SharedView<IReadOnlyList<VolumeRow>> SharedVolumes = new();
    private static readonly SharedView<IReadOnlyList<LonghornNodeRow>> SharedNodes = new();
    private static readonly SharedView<IReadOnlyList<BackupRow>> SharedBackups = new();
    private static readonly SharedView<LonghornSummary> SharedSummary = new();
    private static readonly SharedView<IReadOnlyDictionary<string, BackupDeadline>> SharedDeadlines = new();
    private static readonly SharedView<IReadOnlyList<BackupTargetRow>> SharedTargets = new();
    private static readonly RowsBySnapshot<VolumeRow> VolumeRows = new();
    private static readonly RowsBySnapshot<LonghornNodeRow> NodeRows = new();
    private static readonly RowsBySnapshot<BackupRow> BackupRows = new();

    /// <summary>Worst first; the list and its rows are shared between circuits: read them, never change them.</summary>
    public static IReadOnlyList<VolumeRow> Volumes(ClusterState state) =>
        SharedVolumes.Get(ViewInputs.Of(state, Kinds.LonghornVolume), () =>
            HealthOrder.WorstFirst(state.Items(Kinds.LonghornVolume).Select(v => VolumeRows.Get(v, ToVolume)), r => r.Health, r => r.Name));

    public static IReadOnlyList<LonghornNodeRow> Nodes(ClusterState state) =>
        SharedNodes.Get(ViewInputs.Of(state, Kinds.LonghornNode), () =>
            state.Items(Kinds.LonghornNode).Select(n => NodeRows.Get(n, ToNode)).OrderBy(n => n.Name, StringComparer.Ordinal).ToList());

    public static IReadOnlyList<BackupRow> Backups(ClusterState state) =>
        SharedBackups.Get(ViewInputs.Of(state, Kinds.LonghornBackup), () =>
            state.Items(Kinds.LonghornBackup).Select(b => BackupRows.Get(b, ToBackup))
                .OrderByDescending(b => HealthOrder.Severity(b.Health))
                .ThenByDescending(b => b.CreatedAt ?? DateTimeOffset.MinValue)
                .ThenBy(b => b.Name, StringComparer.Ordinal)
                .ToList());

    /// <summary>Each volume's backup verdict by volume name, as the store holds it (<see cref="BackupPolicy.Current"/>: the tile's truth).</summary>
    public static IReadOnlyDictionary<string, BackupDeadline> BackupDeadlines(ClusterState state) =>
        SharedDeadlines.Get(ViewInputs.Of(state, Kinds.VolumeBackup), () =>
            BackupPolicy.Current(state).ToDictionary(d => d.Volume, StringComparer.Ordinal));

    /// <summary>The backup targets, and a row for a missing one (<see cref="BackupPolicy.MissingBackupTarget"/>).</summary>
    public static IReadOnlyList<BackupTargetRow> BackupTargets(ClusterState state) =>
        SharedTargets.Get(ViewInputs.Of(state, Kinds.LonghornBackupTarget, Kinds.LonghornVolume), () =>
        {
            var rows = state.Items(Kinds.LonghornBackupTarget)
                .Select(t => (t, d: t.Details as LonghornBackupTargetDetails))
                .Select(x => new BackupTargetRow(x.t.Key, x.t.Meta.Name, x.d?.Url ?? "", x.t.Verdict.Health, x.t.Verdict.Reason, x.t.Verdict.Message, x.t))
                .OrderBy(r => r.Name, StringComparer.Ordinal)
                .ToList();
            if (BackupPolicy.MissingBackupTarget(state) is { } missing)
                rows.Add(new BackupTargetRow("", "default", "", missing.Health, missing.Reason, missing.Message, null));
            return rows;
        });

    /// <summary>The worse of a volume's own verdict and its backup verdict (the "problems only" filter).</summary>
    public static HealthStatus WithBackup(VolumeRow row, IReadOnlyDictionary<string, BackupDeadline> deadlines) =>
        deadlines.TryGetValue(row.Name, out var d) ? HealthOrder.Worst(row.Health, d.Verdict.Health) : row.Health;

    /// <summary>"2 d ago / max 14 d 6 h", "never / max 14 d 6 h", "no backup policy".</summary>
    public static string BackupAge(BackupDeadline? d, DateTimeOffset? lastBackupAt, DateTimeOffset now)
    {
        if (d is null) return Format.Ago(lastBackupAt, now);
        var age = Format.Ago(d.LastBackupAt, now);
        return d.MaxAge is { } max ? $"{age} / max {BackupPolicy.Span(max)}" : $"{age} · no backup policy";
    }

    public static LonghornSummary Summarize(ClusterState state)
    {
        var rollup = AreaRollups.Longhorn(state);
        return SharedSummary.Get([rollup], () => Compute(state, rollup));
    }

    private static LonghornSummary Compute(ClusterState state, LonghornRollup rollup)
    {
        var nodes = Nodes(state);
        var backups = Backups(state);
        var others = nodes.Where(n => HealthOrder.IsProblem(n.Health))
            .Select(n => new LonghornProblem(n.Key, $"node {n.Name}", n.Health, n.Reason, n.Message))
            .Concat(backups.Where(b => HealthOrder.IsProblem(b.Health))
                .Select(b => new LonghornProblem(b.Key, $"backup {b.Name}", b.Health, b.Reason, b.Message)))
            .Concat(BackupTargets(state).Where(t => HealthOrder.IsProblem(t.Health))
                .Select(t => new LonghornProblem(t.Key.Length > 0 ? t.Key : "backuptarget/" + t.Name, $"backup target {t.Name}", t.Health, t.Reason, t.Message)))
            .Concat(state.Items(Kinds.VolumeBackup).Where(b => HealthOrder.IsProblem(b.Verdict.Health))
                .Select(b => new LonghornProblem(b.Key, $"backups of {b.Meta.Name}", b.Verdict.Health, b.Verdict.Reason, b.Verdict.Message)))
            .OrderByDescending(p => HealthOrder.Severity(p.Health))
            .ToList();
        return new LonghornSummary(rollup, nodes, others);
    }

    private static VolumeRow ToVolume(ResourceSnapshot v)
    {
        var d = v.Details as LonghornVolumeDetails;
        return new VolumeRow(
            v.Key, v.Meta.Name, v.Verdict.Health, v.Verdict.Reason, v.Verdict.Message,
            d?.State ?? "", d?.Robustness ?? "", LonghornRollup.BucketOf(v),
            d?.NumberOfReplicas ?? 0, d?.SizeBytes ?? 0, d?.ActualSizeBytes ?? 0, d?.LastBackupAt,
            d?.PvcNamespace ?? "", d?.PvcName ?? "", d?.NodeId ?? "", v);
    }

    private static LonghornNodeRow ToNode(ResourceSnapshot n)
    {
        var d = n.Details as LonghornNodeDetails;
        var disks = (d?.Disks ?? []).Select(k => new DiskRow(
            k.Name, k.Path, k.Tags, k.UsedBytes, k.StorageMaximumBytes, k.StorageScheduledBytes, k.StorageReservedBytes,
            k.UsedFraction, k.Ready, k.Schedulable, k.Problem)).ToList();
        return new LonghornNodeRow(n.Key, n.Meta.Name, n.Verdict.Health, n.Verdict.Reason, n.Verdict.Message,
            d?.Ready ?? false, d?.Schedulable ?? false, disks, n);
    }

    private static BackupRow ToBackup(ResourceSnapshot b)
    {
        var d = b.Details as LonghornBackupDetails;
        return new BackupRow(b.Key, b.Meta.Name, b.Verdict.Health, b.Verdict.Reason, b.Verdict.Message,
            d?.State ?? "", d?.VolumeName ?? "", d?.Progress ?? 0, d?.SizeBytes ?? 0, d?.CreatedAt, d?.Error ?? "", b);
    }
}
