using System.Text.Json.Nodes;
using static HomeOps.Simulator.Seed.HomeOpsTopology;
using static HomeOps.Simulator.Seed.LonghornCatalogue;
using static HomeOps.Simulator.Seed.SeedConditions;

namespace HomeOps.Simulator.Seed;

/// <summary>
/// Longhorn's view of home-ops (cluster brief §4): volumes of the real apps, the three nodes with their internal
/// default disk and USB SSD, and the backups behind each volume's <c>lastBackup</c>.
/// </summary>
internal static class LonghornSeed
{
    public const string ApiVersion = "longhorn.io/v1beta2";
    private const string EngineImage = "longhornio/longhorn-engine:v1.10.1";
    private const string BackupTarget = "s3://longhorn-backups-home-ops@us-west-2/";

    public static IEnumerable<JsonObject> Build(SeedClock clock)
    {
        for (var i = 0; i < Volumes.Count; i++) yield return Volume(clock, Volumes[i], i);
        foreach (var node in NodeNames) yield return Node(clock, node);
        foreach (var volume in Volumes.Where(v => v.BackupName is not null)) yield return Backup(clock, volume);
        foreach (var job in RecurringJobs) yield return RecurringJob(clock, job);
        yield return BackupTargetObject(clock);
    }

    public const string BackupTargetName = "default";

    /// <summary>
    /// BackupTarget <c>longhorn-system/default</c> (cluster brief §4.4, <c>infrastructure/longhorn/backup-target-patch.yaml</c>):
    /// fields from longhorn-manager <c>k8s/pkg/apis/longhorn/v1beta2/backuptarget.go</c>; available, as on a working cluster.
    /// </summary>
    private static JsonObject BackupTargetObject(SeedClock clock) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "BackupTarget",
        ["metadata"] = new JsonObject
        {
            ["creationTimestamp"] = clock.Created(TimeSpan.FromMinutes(55)),
            ["finalizers"] = new JsonArray("longhorn.io"),
            ["generation"] = 2,
            ["name"] = BackupTargetName,
            ["namespace"] = LonghornNamespace,
            ["uid"] = SeedIds.Uid("backuptarget/default"),
        },
        ["spec"] = new JsonObject
        {
            ["backupTargetURL"] = BackupTarget,
            ["credentialSecret"] = "longhorn-s3-backup-credentials",
            ["pollInterval"] = "5m0s",
            ["syncRequestedAt"] = null,
        },
        ["status"] = new JsonObject
        {
            ["available"] = true,
            ["conditions"] = new JsonArray(Longhorn("Unavailable", "False", clock.Created(TimeSpan.FromMinutes(55)))),
            ["lastSyncedAt"] = clock.Ago(TimeSpan.FromMinutes(3)),
            ["ownerID"] = "mini01",
        },
    };

    /// <summary>A RecurringJob as <c>kubectl get recurringjobs.longhorn.io -o yaml</c> shows it (longhorn-manager <c>recurringjob.go</c>).</summary>
    private static JsonObject RecurringJob(SeedClock clock, (string Name, string Task, string[] Groups, string Cron, int Retain, int Concurrency) job) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "RecurringJob",
        ["metadata"] = new JsonObject
        {
            ["creationTimestamp"] = clock.Created(TimeSpan.FromMinutes(54)),
            ["generation"] = 1,
            ["name"] = job.Name,
            ["namespace"] = LonghornNamespace,
            ["uid"] = SeedIds.Uid("recurringjob/" + job.Name),
        },
        ["spec"] = new JsonObject
        {
            ["concurrency"] = job.Concurrency,
            ["cron"] = job.Cron,
            ["groups"] = new JsonArray([.. job.Groups.Select(g => (JsonNode)JsonValue.Create(g))]),
            ["labels"] = new JsonObject(),
            ["name"] = job.Name,
            ["parameters"] = new JsonObject(),
            ["retain"] = job.Retain,
            ["task"] = job.Task,
        },
        ["status"] = new JsonObject
        {
            ["executionCount"] = 0,
            ["ownerID"] = "mini01",
        },
    };

    private static JsonObject Volume(SeedClock clock, VolumeSpec volume, int index)
    {
        var attached = volume.AttachedTo is not null;
        var created = clock.Created(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(7 * index));
        var labels = new JsonObject
        {
            ["backup-target"] = "default",
            ["longhornvolume"] = volume.VolumeName,
            ["setting.longhorn.io/remove-snapshots-during-filesystem-trim"] = "ignored",
            ["setting.longhorn.io/replica-auto-balance"] = "ignored",
            ["setting.longhorn.io/snapshot-data-integrity"] = "ignored",
        };
        if (volume.BackupGroupLabel is { } group) labels[group] = "enabled";
        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "Volume",
            ["metadata"] = new JsonObject
            {
                ["creationTimestamp"] = created,
                ["finalizers"] = new JsonArray("longhorn.io"),
                ["generation"] = 3 + index % 5,
                ["labels"] = labels,
                ["name"] = volume.VolumeName,
                ["namespace"] = LonghornNamespace,
                ["uid"] = SeedIds.Uid("volume/" + volume.VolumeName),
            },
            ["spec"] = new JsonObject
            {
                ["Standby"] = false,
                ["accessMode"] = "rwo",
                ["backingImage"] = "",
                ["backupCompressionMethod"] = "lz4",
                ["backupTargetName"] = "default",
                ["dataEngine"] = "v1",
                ["dataLocality"] = "best-effort",
                ["dataSource"] = "",
                ["disableFrontend"] = false,
                ["diskSelector"] = volume.OnSsd ? new JsonArray("ssd") : new JsonArray(),
                ["encrypted"] = false,
                ["fromBackup"] = "",
                ["frontend"] = "blockdev",
                ["image"] = EngineImage,
                ["lastAttachedBy"] = "",
                ["migratable"] = false,
                ["migrationNodeID"] = "",
                ["nodeID"] = volume.AttachedTo ?? "",
                ["nodeSelector"] = new JsonArray(),
                ["numberOfReplicas"] = volume.Replicas,
                ["replicaAutoBalance"] = "ignored",
                ["revisionCounterDisabled"] = volume.OnSsd,
                ["size"] = volume.SizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["snapshotDataIntegrity"] = "ignored",
                ["snapshotMaxCount"] = 250,
                ["snapshotMaxSize"] = "0",
                ["staleReplicaTimeout"] = volume.OnSsd ? 2880 : 30,
                ["unmapMarkSnapChainRemoved"] = "ignored",
            },
            ["status"] = new JsonObject
            {
                ["actualSize"] = volume.SizeBytes / 100 * (35 + 7 * index % 50),
                ["cloneStatus"] = new JsonObject
                {
                    ["attemptCount"] = 0, ["nextAllowedAttemptAt"] = "", ["snapshot"] = "", ["sourceVolume"] = "", ["state"] = "",
                },
                ["conditions"] = new JsonArray(
                    Longhorn("WaitForBackingImage", "False", created),
                    Longhorn("Scheduled", "True", created),
                    Longhorn("TooManySnapshots", "False", created),
                    Longhorn("Restore", "False", created)),
                ["currentImage"] = EngineImage,
                ["currentMigrationNodeID"] = "",
                ["currentNodeID"] = volume.AttachedTo ?? "",
                ["expansionRequired"] = false,
                ["frontendDisabled"] = false,
                ["isStandby"] = false,
                ["kubernetesStatus"] = KubernetesStatus(clock, volume),
                ["lastBackup"] = volume.BackupName ?? "",
                ["lastBackupAt"] = volume.LastBackupAgo is { } ago ? clock.Ago(ago) : "",
                ["lastDegradedAt"] = "",
                ["ownerID"] = volume.AttachedTo ?? NodeNames[index % NodeNames.Count],
                ["remountRequestedAt"] = "",
                ["restoreInitiated"] = false,
                ["restoreRequired"] = false,
                // Detached volumes report "unknown": not an error (FIELDS.md §3).
                ["robustness"] = attached ? "healthy" : "unknown",
                ["shareEndpoint"] = "",
                ["shareState"] = "",
                ["state"] = attached ? "attached" : "detached",
            },
        };
    }

    private static JsonObject KubernetesStatus(SeedClock clock, VolumeSpec volume)
    {
        var hasClaim = volume.PvcName.Length > 0;
        JsonNode? workloads = null;
        if (volume.Workload is { } w)
        {
            workloads = new JsonArray(new JsonObject
            {
                ["podName"] = w.PodName, ["podStatus"] = "Running", ["workloadName"] = w.WorkloadName, ["workloadType"] = w.WorkloadType,
            });
        }
        return new JsonObject
        {
            ["lastPVCRefAt"] = hasClaim ? "" : clock.Ago(TimeSpan.FromDays(41)),
            // A claimed volume without a running pod keeps the time its last pod went away.
            ["lastPodRefAt"] = volume.Workload is null ? clock.Ago(TimeSpan.FromDays(hasClaim ? 12 : 41)) : "",
            ["namespace"] = volume.PvcNamespace,
            ["pvName"] = hasClaim ? volume.VolumeName : "",
            ["pvStatus"] = hasClaim ? "Bound" : "",
            ["pvcName"] = volume.PvcName,
            ["workloadsStatus"] = workloads,
        };
    }

    private static JsonObject Node(SeedClock clock, string node)
    {
        var index = NodeIndex(node);
        var created = clock.Created(TimeSpan.FromMinutes(50 + index));
        var usb = UsbDiskName(node);
        var internalDisk = DefaultDiskName(node);
        var usbReplicas = new JsonObject();
        var internalReplicas = new JsonObject();
        for (var i = 0; i < Volumes.Count; i++)
        {
            var volume = Volumes[i];
            if (!ReplicaNodes(volume, i).Contains(node)) continue;
            (volume.OnSsd ? usbReplicas : internalReplicas)[ReplicaName(volume, node)] = volume.SizeBytes;
        }
        var usbScheduled = usbReplicas.Sum(r => r.Value!.GetValue<long>());
        var internalScheduled = internalReplicas.Sum(r => r.Value!.GetValue<long>());
        var instanceManager = "instance-manager-" + SeedIds.Hex("im/" + node, 32);

        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["creationTimestamp"] = created,
                ["finalizers"] = new JsonArray("longhorn.io"),
                ["generation"] = 4,
                ["name"] = node,
                ["namespace"] = LonghornNamespace,
                ["uid"] = SeedIds.Uid("longhorn-node/" + node),
            },
            ["spec"] = new JsonObject
            {
                ["allowScheduling"] = true,
                ["disks"] = new JsonObject
                {
                    [internalDisk] = DiskSpec("/var/lib/longhorn/", InternalDiskReserved, new JsonArray()),
                    // Registered out-of-band by scripts/prepare-usb-ssd-storage.sh (cluster brief §4.2).
                    [usb] = DiskSpec("/var/lib/longhorn-ssd", UsbSsdReserved, new JsonArray("ssd", "usb", "samsung-t5")),
                },
                ["evictionRequested"] = false,
                ["instanceManagerCPURequest"] = 0,
                ["name"] = node,
                ["tags"] = new JsonArray(),
            },
            ["status"] = new JsonObject
            {
                ["autoEvicting"] = false,
                ["conditions"] = new JsonArray(
                    Longhorn("Ready", "True", created, $"Node {node} is ready"),
                    Longhorn("Schedulable", "True", created),
                    Longhorn("MountPropagation", "True", created),
                    Longhorn("RequiredPackages", "True", created, $"All required packages [nfs-common open-iscsi cryptsetup dmsetup] are installed on node {node}"),
                    Longhorn("Multipathd", "True", created),
                    Longhorn("KernelModulesLoaded", "True", created, $"Kernel modules [dm_crypt] are loaded on node {node}"),
                    Longhorn("NFSClientInstalled", "True", created)),
                ["diskStatus"] = new JsonObject
                {
                    [internalDisk] = DiskStatus(node, internalDisk, "/var/lib/longhorn/", "xfs", created, instanceManager,
                        JsonValue.Create(InternalDiskBytes),
                        InternalDiskBytes - 41_263_120_384 - internalScheduled / 3, internalReplicas, internalScheduled),
                    // Longhorn's API can hand large numbers back in float form; keep one that way (FIELDS.md §3).
                    [usb] = DiskStatus(node, usb, "/var/lib/longhorn-ssd", "ext2/ext3", created, instanceManager,
                        JsonNode.Parse("1.000204886016e+12")!,
                        UsbSsdBytes - 9_663_676_416 - usbScheduled / 2, usbReplicas, usbScheduled),
                },
                ["region"] = "",
                ["snapshotCheckStatus"] = new JsonObject(),
                ["zone"] = "",
            },
        };
    }

    private static JsonObject DiskSpec(string path, long reserved, JsonArray tags) => new()
    {
        ["allowScheduling"] = true,
        ["diskDriver"] = "",
        ["diskType"] = "filesystem",
        ["evictionRequested"] = false,
        ["path"] = path,
        ["storageReserved"] = reserved,
        ["tags"] = tags,
    };

    private static JsonObject DiskStatus(string node, string disk, string path, string filesystem, string since, string instanceManager,
        JsonNode storageMaximum, long storageAvailable, JsonObject replicas, long scheduled) => new()
    {
        ["conditions"] = new JsonArray(
            Longhorn("Ready", "True", since, $"Disk {disk}({path}) on node {node} is ready"),
            Longhorn("Schedulable", "True", since, $"Disk {disk}({path}) on node {node} is schedulable")),
        ["diskDriver"] = "",
        ["diskName"] = disk,
        ["diskPath"] = path,
        ["diskType"] = "filesystem",
        ["diskUUID"] = SeedIds.Uid($"disk/{node}/{disk}"),
        ["filesystemType"] = filesystem,
        ["instanceManagerName"] = instanceManager,
        ["scheduledReplica"] = replicas,
        ["storageAvailable"] = storageAvailable,
        ["storageMaximum"] = storageMaximum,
        ["storageScheduled"] = scheduled,
    };

    private static JsonObject Backup(SeedClock clock, VolumeSpec volume)
    {
        var name = volume.BackupName!;
        var createdAt = clock.Ago(volume.LastBackupAgo!.Value);
        var snapshot = SeedIds.Uid("snapshot/" + name);
        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "Backup",
            ["metadata"] = new JsonObject
            {
                ["creationTimestamp"] = createdAt,
                ["finalizers"] = new JsonArray("longhorn.io"),
                ["generation"] = 1,
                ["labels"] = new JsonObject { ["backup-target"] = "default", ["backup-volume"] = volume.VolumeName },
                ["name"] = name,
                ["namespace"] = LonghornNamespace,
                ["uid"] = SeedIds.Uid("backup/" + name),
            },
            ["spec"] = new JsonObject
            {
                ["backupMode"] = "incremental",
                ["labels"] = new JsonObject { ["longhorn.io/volume-access-mode"] = "rwo" },
                ["snapshotName"] = snapshot,
                ["syncRequestedAt"] = null,
            },
            ["status"] = new JsonObject
            {
                ["backupCreatedAt"] = createdAt,
                ["backupTargetName"] = "default",
                ["compressionMethod"] = "lz4",
                ["labels"] = new JsonObject { ["longhorn.io/volume-access-mode"] = "rwo" },
                ["lastSyncedAt"] = clock.Ago(TimeSpan.FromMinutes(4)),
                ["messages"] = new JsonObject(),
                ["newlyUploadDataSize"] = (volume.SizeBytes / 97).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ownerID"] = volume.AttachedTo ?? "mini01",
                ["progress"] = 100,
                ["reUploadedDataSize"] = "0",
                ["size"] = (volume.SizeBytes / 3).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["snapshotCreatedAt"] = createdAt,
                ["snapshotName"] = snapshot,
                ["state"] = "Completed",
                ["url"] = $"{BackupTarget}?backup={name}&volume={volume.VolumeName}",
                ["volumeBackingImageName"] = "",
                ["volumeCreated"] = clock.Created(TimeSpan.FromHours(1)),
                ["volumeName"] = volume.VolumeName,
                ["volumeSize"] = volume.SizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
    }
}
