using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Metrics;

/// <summary>Longhorn volumes (robustness, last backup) and disks (usage) as the dashboard decoded them.</summary>
internal static class LonghornMetrics
{
    /// <summary>Longhorn's robustness values; anything else (or a volume that could not be decoded) counts as unknown.</summary>
    public static readonly string[] Robustness = ["healthy", "degraded", "faulted", "unknown"];

    public static IEnumerable<MetricFamily> Build(ClusterState state, DateTimeOffset now)
    {
        var robustness = new MetricFamily("homeops_longhorn_volume_robustness", MetricType.Gauge,
            "1 for the volume's current robustness (healthy, degraded, faulted, unknown), 0 for the others. A detached volume reports unknown.",
            "volume", "robustness");
        var info = new MetricFamily("homeops_longhorn_volume_info", MetricType.Gauge,
            "Always 1: which PVC a Longhorn volume backs, its state and storage class (join on volume).",
            "volume", "state", "pvc_namespace", "pvc", "storage_class");
        var backupAge = new MetricFamily("homeops_longhorn_volume_last_backup_age_seconds", MetricType.Gauge,
            "Seconds since the volume's last backup; +Inf when it has never been backed up.",
            "volume");
        foreach (var volume in state.Items(Kinds.LonghornVolume))
        {
            var name = volume.Meta.Name;
            var details = volume.Details as LonghornVolumeDetails;
            var current = details?.Robustness.ToLowerInvariant() is { } r && Robustness.Contains(r) ? r : "unknown";
            foreach (var value in Robustness)
                robustness.Add(value == current ? 1 : 0, name, value);
            if (details is null) continue;
            info.Add(1, name, details.State, details.PvcNamespace, details.PvcName, details.StorageClass);
            backupAge.Add(details.LastBackupAt is { } at ? HealthMetrics.AgeSeconds(at, now) : double.PositiveInfinity, name);
        }

        var used = new MetricFamily("homeops_longhorn_disk_used_bytes", MetricType.Gauge,
            "Bytes used on a Longhorn disk (storageMaximum - storageAvailable).", "node", "disk");
        var maximum = new MetricFamily("homeops_longhorn_disk_maximum_bytes", MetricType.Gauge,
            "Capacity of a Longhorn disk in bytes (storageMaximum).", "node", "disk");
        foreach (var node in state.Items(Kinds.LonghornNode))
        {
            if (node.Details is not LonghornNodeDetails details) continue;
            foreach (var disk in details.Disks)
            {
                used.Add(disk.UsedBytes, node.Meta.Name, disk.Name);
                maximum.Add(disk.StorageMaximumBytes, node.Meta.Name, disk.Name);
            }
        }
        return [robustness, info, backupAge, used, maximum, .. Backups(state, now)];
    }

    /// <summary>The backup policy's verdicts as the store holds them (<see cref="Health.BackupPolicy.Current"/>): one truth with the tile.</summary>
    private static IEnumerable<MetricFamily> Backups(ClusterState state, DateTimeOffset now)
    {
        var overdue = new MetricFamily("homeops_longhorn_backup_overdue", MetricType.Gauge,
            "1 when the volume's last backup is older than its group's max age (verdict Degraded or Failed), else 0. Only volumes with a backup policy.",
            "volume", "group");
        var maxAge = new MetricFamily("homeops_longhorn_backup_max_age_seconds", MetricType.Gauge,
            "The max age of the volume's last backup, from its recurring-job group (Cluster:Backups:MaxAge:<group>, or 2 x the backup interval + slack).",
            "volume", "group");
        var due = new MetricFamily("homeops_longhorn_backup_due_seconds", MetricType.Gauge,
            "Seconds until the volume's backup is overdue (last backup + max age); negative once overdue.",
            "volume", "group");
        var noPolicy = new MetricFamily("homeops_longhorn_backup_policy_missing", MetricType.Gauge,
            "1 for a volume in no recurring-job group with a backup job (not backed up on a schedule).",
            "volume");
        foreach (var d in Health.BackupPolicy.Current(state))
        {
            if (d.Group is not { } group || d.MaxAge is not { } max)
            {
                noPolicy.Add(1, d.Volume);
                continue;
            }
            overdue.Add(d.Verdict.Health is HealthStatus.Degraded or HealthStatus.Failed ? 1 : 0, d.Volume, group);
            maxAge.Add(max.TotalSeconds, d.Volume, group);
            if (d.DueAt is { } at) due.Add(Math.Round((at - now).TotalSeconds), d.Volume, group);
        }
        var target = new MetricFamily("homeops_longhorn_backup_target_available", MetricType.Gauge,
            "1 when the Longhorn BackupTarget reports status.available (and has a URL), else 0.",
            "target");
        foreach (var t in state.Items(Kinds.LonghornBackupTarget))
            target.Add(t.Verdict.Health == HealthStatus.Healthy ? 1 : 0, t.Meta.Name);
        return [overdue, maxAge, due, noPolicy, target];
    }
}
