namespace HomeOps.Simulator.Seed;

/// <summary>A workload that mounts a volume, as Longhorn's <c>kubernetesStatus.workloadsStatus</c> records it.</summary>
public sealed record VolumeWorkload(string PodName, string WorkloadName, string WorkloadType);

/// <summary>One Longhorn volume of a real home-ops app (cluster brief §4.3 "Users").</summary>
public sealed record VolumeSpec(
    string PvcNamespace,
    string PvcName,
    int SizeGi,
    string StorageClass,
    string? AttachedTo,
    VolumeWorkload? Workload,
    TimeSpan? LastBackupAgo,
    string? BackupGroup = null)
{
    /// <summary>The PV (and Longhorn volume) name: <c>pvc-&lt;uid of the claim&gt;</c>, stable across starts.</summary>
    public string VolumeName => "pvc-" + SeedIds.Guid($"pvc/{PvcNamespace}/{PvcName}");

    public bool OnSsd => StorageClass == LonghornCatalogue.SsdClass;

    /// <summary><c>longhorn-ssd</c> keeps 2 replicas on disks tagged <c>ssd</c>; the default class keeps 3.</summary>
    public int Replicas => OnSsd ? 2 : 3;

    public long SizeBytes => SizeGi * 1024L * 1024 * 1024;

    /// <summary>
    /// The volume's <c>recurring-job-group.longhorn.io/&lt;group&gt;</c> label; null: no recurring-job label at all, so Longhorn
    /// puts it in the implicit <c>default</c> group, which has no backup job on home-ops ("no backup policy").
    /// </summary>
    public string? BackupGroupLabel => BackupGroup is null ? null : "recurring-job-group.longhorn.io/" + BackupGroup;

    public string? BackupName => LastBackupAgo is null ? null : "backup-" + SeedIds.Hex("backup/" + VolumeName, 16);
}

/// <summary>The Longhorn volumes and disks of home-ops.</summary>
public static class LonghornCatalogue
{
    public const string SsdClass = "longhorn-ssd";
    public const string DefaultClass = "longhorn";

    /// <summary>Samsung Portable SSD T5 1 TB as the kernel reports it.</summary>
    public const long UsbSsdBytes = 1_000_204_886_016;

    public const long UsbSsdReserved = 107_374_182_400;

    /// <summary>The EPHEMERAL partition on the Apple internal SSD, where Longhorn's default disk lives.</summary>
    public const long InternalDiskBytes = 233_966_514_176;

    public const long InternalDiskReserved = 70_189_954_252;

    public static readonly IReadOnlyList<VolumeSpec> Volumes =
    [
        new("authentik", "redis-data-authentik-redis-master-0", 1, SsdClass, "mini01",
            new("authentik-redis-master-0", "authentik-redis-master", "StatefulSet"), TimeSpan.FromHours(29)),
        new("authentik", "authentik-media", 1, SsdClass, "mini02",
            new("authentik-server-6d8f9c7b5-x7k2p", "authentik-server-6d8f9c7b5", "ReplicaSet"), null),
        new("postgresql-system", "postgresql-cluster-1", 20, SsdClass, "mini01",
            new("postgresql-cluster-1", "postgresql-cluster", "Cluster"), TimeSpan.FromDays(3) + TimeSpan.FromHours(2), "database"),
        new("postgresql-system", "postgresql-cluster-2", 20, SsdClass, "mini02",
            new("postgresql-cluster-2", "postgresql-cluster", "Cluster"), TimeSpan.FromDays(3) + TimeSpan.FromHours(2), "database"),
        new("postgresql-system", "postgresql-cluster-3", 20, SsdClass, "mini03",
            new("postgresql-cluster-3", "postgresql-cluster", "Cluster"), TimeSpan.FromDays(3) + TimeSpan.FromHours(2), "database"),
        new("home-automation", "home-assistant-config", 10, SsdClass, "mini02",
            new("home-assistant-0", "home-assistant", "StatefulSet"), TimeSpan.FromDays(2) + TimeSpan.FromHours(4), "home-assistant-critical"),
        new("home-automation", "mosquitto-data", 1, SsdClass, "mini03",
            new("mosquitto-7b9d5c8f4-q2w8n", "mosquitto-7b9d5c8f4", "ReplicaSet"), TimeSpan.FromDays(2) + TimeSpan.FromHours(5), "mqtt-data"),
        // Never backed up and in no backup group (the PVC carries the brief's annotation, not Longhorn's label): no backup policy.
        new("home-automation", "matter-server-data", 1, SsdClass, null, null, null),
        new("monitoring", "prometheus-kube-prometheus-stack-prometheus-db-prometheus-kube-prometheus-stack-prometheus-0", 50, DefaultClass, "mini01",
            new("prometheus-kube-prometheus-stack-prometheus-0", "prometheus-kube-prometheus-stack-prometheus", "StatefulSet"), TimeSpan.FromDays(4), "monitoring"),
        new("monitoring", "kube-prometheus-stack-grafana", 10, DefaultClass, "mini03",
            new("kube-prometheus-stack-grafana-5f8d7c9b6-m4k7t", "kube-prometheus-stack-grafana-5f8d7c9b6", "ReplicaSet"), TimeSpan.FromDays(4), "monitoring"),
        new("monitoring", "alertmanager-kube-prometheus-stack-alertmanager-db-alertmanager-kube-prometheus-stack-alertmanager-0", 5, DefaultClass, "mini02",
            new("alertmanager-kube-prometheus-stack-alertmanager-0", "alertmanager-kube-prometheus-stack-alertmanager", "StatefulSet"), null),
        // Left behind by the August 2025 emergency recovery: no claim any more, detached, robustness "unknown".
        new("", "", 20, SsdClass, null, null, TimeSpan.FromDays(43)),
    ];

    /// <summary>
    /// The RecurringJobs of home-ops (cluster brief §4.4): <c>infrastructure/longhorn/recurring-jobs.yaml</c> and
    /// <c>apps/home-automation/backup-config.yaml</c>. Name, task, groups, cron, retain, concurrency.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, string Task, string[] Groups, string Cron, int Retain, int Concurrency)> RecurringJobs =
    [
        ("monitoring-daily-snapshot", "snapshot", ["monitoring"], "0 2 * * *", 7, 2),
        ("monitoring-weekly-backup", "backup", ["monitoring"], "0 3 * * 0", 4, 1),
        ("database-daily-snapshot", "snapshot", ["database"], "0 1 * * *", 7, 1),
        ("database-weekly-backup", "backup", ["database"], "0 4 * * 0", 8, 1),
        ("application-weekly-snapshot", "snapshot", ["application"], "0 5 * * 0", 4, 2),
        ("application-monthly-backup", "backup", ["application"], "0 6 1 * *", 3, 1),
        ("cleanup-old-snapshots", "snapshot-cleanup", ["monitoring", "database", "application"], "0 7 * * 0", 0, 1),
        ("home-automation-daily-snapshot", "snapshot", ["home-automation"], "30 2 * * *", 7, 1),
        ("home-automation-weekly-backup", "backup", ["home-automation"], "30 4 * * 0", 4, 1),
        ("home-assistant-critical-daily-snapshot", "snapshot", ["home-assistant-critical"], "0 2 * * *", 7, 1),
        ("home-assistant-critical-weekly-backup", "backup", ["home-assistant-critical"], "30 3 * * 0", 4, 1),
        ("mqtt-data-daily-snapshot", "snapshot", ["mqtt-data"], "15 2 * * *", 7, 1),
        ("mqtt-data-weekly-backup", "backup", ["mqtt-data"], "15 4 * * 0", 4, 1),
        ("redis-cache-daily-snapshot", "snapshot", ["redis-cache"], "45 2 * * *", 7, 1),
        ("redis-cache-weekly-backup", "backup", ["redis-cache"], "45 4 * * 0", 4, 1),
    ];

    /// <summary>The volume the <c>volume-degrades</c> scenario degrades: the first CNPG instance's data.</summary>
    public static VolumeSpec DegradingVolume => Volumes.First(v => v.PvcName == "postgresql-cluster-1");

    public static string UsbDiskName(string node) => $"usb-ssd-{1755187200 + 41 * HomeOpsTopology.NodeIndex(node)}";

    public static string DefaultDiskName(string node) => "default-disk-" + SeedIds.Hex("default-disk/" + node, 16);

    /// <summary>The nodes holding a volume's replicas: starting at its attachment, then round the ring.</summary>
    public static IReadOnlyList<string> ReplicaNodes(VolumeSpec volume, int index)
    {
        var nodes = HomeOpsTopology.NodeNames;
        var start = volume.AttachedTo is { } node ? HomeOpsTopology.NodeIndex(node) : index % nodes.Count;
        return Enumerable.Range(0, volume.Replicas).Select(i => nodes[(start + i) % nodes.Count]).ToList();
    }

    public static string ReplicaName(VolumeSpec volume, string node) => $"{volume.VolumeName}-r-{SeedIds.Hex($"replica/{volume.VolumeName}/{node}", 8)}";
}
