using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Areas;

public enum VolumeBucket { Healthy, Degraded, Faulted, Detached, Other }

/// <summary>
/// The Longhorn area: the worst of volumes, Longhorn nodes (and their disks), backups, the backup target, the recurring jobs
/// and each volume's backup verdict (<see cref="BackupPolicy"/>), and a missing backup target (<see cref="MissingBackupTarget"/>);
/// the count is volumes needing no action (healthy, or detached and idle) out of all volumes, with the volumes by robustness.
/// <see cref="BackupsOverdue"/> (Degraded or Failed backup verdicts) and <see cref="BackupsWithoutPolicy"/> are the tile's backup line.
/// </summary>
public sealed record LonghornRollup(HealthStatus Health, int Ok, int Total, IReadOnlyDictionary<VolumeBucket, int> Buckets, Freshness Freshness,
    int BackupsOverdue = 0, int BackupsWithoutPolicy = 0, Verdict? MissingBackupTarget = null)
    : IAreaRollup
{
    public string Area => nameof(Model.Area.Longhorn);

    public string Count => $"{Ok}/{Total}";

    public string CountLabel => "volumes OK";

    public int this[VolumeBucket bucket] => Buckets.GetValueOrDefault(bucket);

    /// <summary>Faulted wins over detached (a faulted volume is detached); a detached volume reports robustness "unknown", which is not an error.</summary>
    public static VolumeBucket BucketOf(string state, string robustness) => robustness.ToLowerInvariant() switch
    {
        "faulted" => VolumeBucket.Faulted,
        "degraded" => VolumeBucket.Degraded,
        "healthy" => VolumeBucket.Healthy,
        _ when state.Equals("detached", StringComparison.OrdinalIgnoreCase) => VolumeBucket.Detached,
        _ => VolumeBucket.Other,
    };

    public static VolumeBucket BucketOf(ResourceSnapshot volume) =>
        volume.Details is LonghornVolumeDetails d ? BucketOf(d.State, d.Robustness) : BucketOf("", "");

    internal static LonghornRollup Compute(ClusterState state)
    {
        var volumes = state.Items(Kinds.LonghornVolume).ToList();
        var backups = state.Items(Kinds.VolumeBackup).ToList();
        var missingTarget = BackupPolicy.MissingBackupTarget(state);
        // A volume without a backup policy is counted (BackupsWithoutPolicy), not coloured in: its Suspended verdict would
        // otherwise paint the whole area "Suspended" (HealthOrder ranks it above Healthy).
        var healths = state.SlicesIn(Model.Area.Longhorn).SelectMany(s => s.Items.Values)
            .Where(i => i.Verdict.Reason != BackupPolicy.NoPolicyReason || i.Kind != Kinds.VolumeBackup)
            .Select(i => i.Verdict.Health);
        if (missingTarget is not null) healths = healths.Append(missingTarget.Health);
        var buckets = volumes.Select(BucketOf).ToList();
        return new LonghornRollup(
            AreaFreshness.HasData(state, Model.Area.Longhorn) ? HealthOrder.Worst(healths) : HealthStatus.Unknown,
            volumes.Count(v => !HealthOrder.IsProblem(v.Verdict.Health)),
            volumes.Count,
            Enum.GetValues<VolumeBucket>().ToDictionary(b => b, b => buckets.Count(x => x == b)),
            AreaFreshness.Of(state, Model.Area.Longhorn),
            backups.Count(b => b.Verdict.Health is HealthStatus.Degraded or HealthStatus.Failed),
            backups.Count(b => b.Verdict.Reason == BackupPolicy.NoPolicyReason),
            missingTarget);
    }
}
