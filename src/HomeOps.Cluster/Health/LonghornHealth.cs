using System.Collections.Immutable;
using System.Text.Json;
using HomeOps.Cluster.Model;
using static HomeOps.Cluster.Health.Text;

namespace HomeOps.Cluster.Health;

/// <summary>
/// Longhorn <c>longhorn.io/v1beta2</c> Volume, Node and Backup (FIELDS.md §3, cluster brief §10.7).
/// Numbers may arrive in float/exponent form (<c>1.1344543744e+12</c>) or as strings; <see cref="JsonRead.Long(JsonElement?)"/> reads all of them.
/// </summary>
public static class LonghornHealth
{
    private const string RecurringJobGroupPrefix = BackupPolicy.GroupLabelPrefix;
    private const string RecurringJobPrefix = BackupPolicy.JobLabelPrefix;

    // ---------------------------------------------------------------- Volume

    public static ResourceSnapshot DecodeVolume(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        var conditions = ObjectParts.Conditions(status);
        var k8s = status.Prop("kubernetesStatus"); // display only: tolerant
        // An update (a new actual size, every few seconds per volume) keeps the held snapshot's strings where they did not change.
        var held = ObjectParts.HeldDetails<LonghornVolumeDetails>();
        var details = new LonghornVolumeDetails(
            State: ObjectParts.Kept(status.Prop("state"), held?.State).ToLowerInvariant(),
            Robustness: ObjectParts.Kept(status.Prop("robustness"), held?.Robustness).ToLowerInvariant(),
            NumberOfReplicas: (int)Math.Clamp(spec.Prop("numberOfReplicas").Long() ?? 0, 0, int.MaxValue),
            SizeBytes: spec.Prop("size").Long() ?? 0,
            ActualSizeBytes: status.Prop("actualSize").Long() ?? 0,
            // A Longhorn Volume does not name its StorageClass; seed dumps and the simulator may carry it here.
            StorageClass: ObjectParts.Kept(spec.Prop("storageClassName"), held?.StorageClass),
            PvcNamespace: ObjectParts.Kept(k8s.Prop("namespace"), held?.PvcNamespace),
            PvcName: ObjectParts.Kept(k8s.Prop("pvcName"), held?.PvcName),
            NodeId: ObjectParts.KeptOrNull(status.Prop("currentNodeID"), held?.NodeId) is { Length: > 0 } n ? n : ObjectParts.Kept(spec.Prop("nodeID"), held?.NodeId),
            LastBackup: ObjectParts.Kept(status.Prop("lastBackup"), held?.LastBackup),
            LastBackupAt: status.Prop("lastBackupAt").Time(),
            LastDegradedAt: status.Prop("lastDegradedAt").Time(),
            Workloads: [.. k8s.Prop("workloadsStatus").Items()
                .Where(w => w.ValueKind == JsonValueKind.Object)
                .Select(w => new VolumeWorkload(w.Str("podName"), w.Str("podStatus"), w.Str("workloadName"), w.Str("workloadType")))],
            RecurringJobGroups: held is not null && ReferenceEquals(ObjectParts.HeldMeta?.Labels, meta.Labels) ? held.RecurringJobGroups : [.. meta.Labels
                .Where(l => l.Key.StartsWith(RecurringJobGroupPrefix, StringComparison.Ordinal) && l.Value == "enabled")
                .Select(l => l.Key[RecurringJobGroupPrefix.Length..])
                .Order(StringComparer.Ordinal)],
            RecurringJobs: [.. meta.Labels
                // recurring-job.longhorn.io/source is a switch (copy the PVC's labels to the volume), not a job.
                .Where(l => l.Key.StartsWith(RecurringJobPrefix, StringComparison.Ordinal) && l.Value == "enabled" && l.Key != RecurringJobPrefix + "source")
                .Select(l => l.Key[RecurringJobPrefix.Length..])
                .Order(StringComparer.Ordinal)]);
        return new ResourceSnapshot(kind, meta, details, VolumeRule(details, conditions), conditions, ObjectParts.RawStatus(obj));
    }

    /// <summary>
    /// faulted → Failed; creating/attaching/detaching/deleting → Progressing; attached+healthy → Healthy;
    /// degraded or Scheduled=False → Degraded (the scheduling failure is the cause, so it names the reason);
    /// detached+unknown → Healthy "Detached": Longhorn reports <c>unknown</c> for every detached volume, it is idle, not an error.
    /// </summary>
    public static Verdict VolumeRule(LonghornVolumeDetails v, ImmutableArray<Condition> conditions)
    {
        var scheduled = conditions.Find("Scheduled");
        var restore = conditions.Find("Restore");
        var state = v.State;
        var robustness = v.Robustness;

        if (state.Length == 0 && robustness.Length == 0)
            return Verdict.Unknown("NoStatus", "the volume has no state yet");
        if (robustness == "faulted")
            return new Verdict(HealthStatus.Failed, "Faulted",
                $"volume is faulted ({Or(state, "no state")}): no healthy replica is available" +
                (v.LastBackup.Length > 0 ? $"; last backup {v.LastBackup}" : "; no backup"));
        if (restore is { Reason: "RestoreFailure" })
            return new Verdict(HealthStatus.Failed, "RestoreFailure", Or(restore.Message, "restore from backup failed"), restore.LastTransitionTime);

        switch (state)
        {
            case "creating": return new Verdict(HealthStatus.Progressing, "Creating", "the volume is being created");
            case "attaching": return new Verdict(HealthStatus.Progressing, "Attaching", "the volume is attaching" + OnNode(v));
            case "detaching": return new Verdict(HealthStatus.Progressing, "Detaching", "the volume is detaching" + OnNode(v));
            case "deleting": return new Verdict(HealthStatus.Progressing, "Deleting", "the volume is being deleted");
        }

        if (scheduled is { IsFalse: true })
            return new Verdict(HealthStatus.Degraded, Or(scheduled.Reason, "ReplicaSchedulingFailure"),
                $"robustness {Or(robustness, "unknown")}: replicas cannot be scheduled: {Or(scheduled.Message, "Scheduled=False")}",
                scheduled.LastTransitionTime);
        if (robustness == "degraded")
            return new Verdict(HealthStatus.Degraded, "Degraded",
                $"fewer healthy replicas than {v.NumberOfReplicas} (rebuilding or replica lost)", v.LastDegradedAt);
        if (restore is { IsTrue: true })
            return new Verdict(HealthStatus.Progressing, Or(restore.Reason, "RestoreInProgress"), Or(restore.Message, "restoring from backup"), restore.LastTransitionTime);
        if (conditions.Find("TooManySnapshots") is { IsTrue: true } snaps)
            return new Verdict(HealthStatus.Degraded, "TooManySnapshots", Or(snaps.Message, "too many snapshots"), snaps.LastTransitionTime);

        return (state, robustness) switch
        {
            ("attached", "healthy") => new Verdict(HealthStatus.Healthy, "Attached", $"attached and healthy{OnNode(v)}, {v.NumberOfReplicas} replicas"),
            ("detached", "unknown" or "" or "healthy") => new Verdict(HealthStatus.Healthy, "Detached", "detached (idle): not in use, no replica is running"),
            ("attached", _) => Verdict.Unknown("RobustnessUnknown", $"attached with robustness {Or(robustness, "empty")}"),
            _ => Verdict.Unknown("UnrecognizedState", $"state {Or(state, "empty")}, robustness {Or(robustness, "empty")}"),
        };
    }

    private static string OnNode(LonghornVolumeDetails v) => v.NodeId.Length > 0 ? $" on {v.NodeId}" : "";

    // ---------------------------------------------------------------- Node

    public static ResourceSnapshot DecodeNode(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        var conditions = ObjectParts.Conditions(status);
        var specDisks = spec.Prop("disks"); // display only (path, tags): tolerant
        var diskStatus = status.ObjectAt("diskStatus", "status.diskStatus");

        var names = specDisks.Props().Select(p => p.Name).Concat(diskStatus.Props().Select(p => p.Name)).Distinct(StringComparer.Ordinal);
        var disks = ImmutableArray.CreateBuilder<LonghornDisk>();
        foreach (var name in names)
            disks.Add(Disk(name, specDisks.Prop(name), diskStatus.Prop(name)));

        var ready = conditions.Find("Ready");
        var schedulable = conditions.Find("Schedulable");
        var details = new LonghornNodeDetails(ready?.IsTrue ?? false, schedulable?.IsTrue ?? false, disks.ToImmutable());
        return new ResourceSnapshot(kind, meta, details, NodeRule(details, conditions), conditions, ObjectParts.RawStatus(obj));
    }

    private static LonghornDisk Disk(string name, JsonElement? spec, JsonElement? status)
    {
        var conditions = ObjectParts.Conditions(status is { ValueKind: JsonValueKind.Object } ? status : null, $"status.diskStatus.{name}.conditions");
        var ready = conditions.Find("Ready");
        var schedulable = conditions.Find("Schedulable");
        var problem = new[] { ready, conditions.Find("Error"), schedulable }
            .Where(c => c is not null && (c.Type == "Error" ? c.IsTrue : !c.IsTrue))
            .Select(c => $"{c!.Type}={c.Status}{(c.Reason.Length > 0 ? $" {c.Reason}" : "")}{(c.Message.Length > 0 ? $": {c.Message}" : "")}")
            .FirstOrDefault() ?? "";
        return new LonghornDisk(
            Name: name,
            Path: spec.Prop("path").Str() ?? status.Prop("diskPath").Str(""),
            Tags: [.. spec.Prop("tags").Strings()],
            AllowScheduling: spec.Prop("allowScheduling").Bool() ?? true,
            StorageReservedBytes: spec.Prop("storageReserved").Long() ?? 0,
            StorageMaximumBytes: status.Prop("storageMaximum").Long() ?? 0,
            StorageAvailableBytes: status.Prop("storageAvailable").Long() ?? 0,
            StorageScheduledBytes: status.Prop("storageScheduled").Long() ?? 0,
            Ready: ready?.IsTrue ?? false,
            Schedulable: schedulable?.IsTrue ?? false,
            Problem: problem);
    }

    /// <summary>
    /// Node Ready=False → Failed. A disk that is not Ready, or not schedulable (DiskPressure: the disk is full) →
    /// Degraded. Node Schedulable=False (e.g. cordoned) → Degraded. Healthy iff Ready, Schedulable and every disk Ready.
    /// </summary>
    public static Verdict NodeRule(LonghornNodeDetails node, ImmutableArray<Condition> conditions)
    {
        var ready = conditions.Find("Ready");
        if (ready is { IsTrue: false })
            return new Verdict(HealthStatus.Failed, Or(ready.Reason, "NotReady"), Or(ready.Message, $"Ready={Or(ready.Status, "empty")}"), ready.LastTransitionTime);

        foreach (var d in node.Disks)
        {
            // Problem names the first failing condition: Ready (or Error) first, then Schedulable.
            if (d.Problem.StartsWith("Ready=", StringComparison.Ordinal) || d.Problem.StartsWith("Error=", StringComparison.Ordinal))
                return new Verdict(HealthStatus.Degraded, "DiskNotReady", $"disk {d.Name}: {d.Problem}");
        }
        foreach (var d in node.Disks)
        {
            if (d.Schedulable || d.Problem.Length == 0) continue;
            var pressure = d.Problem.Contains("DiskPressure", StringComparison.Ordinal);
            var usage = d.StorageMaximumBytes > 0
                ? $" ({Quantity.FormatBytes(d.StorageAvailableBytes)} free of {Quantity.FormatBytes(d.StorageMaximumBytes)})"
                : "";
            return new Verdict(HealthStatus.Degraded, pressure ? "DiskPressure" : "DiskUnschedulable",
                $"disk {d.Name} is not schedulable{usage}: {d.Problem}");
        }

        var schedulable = conditions.Find("Schedulable");
        if (schedulable is { IsTrue: false })
            return new Verdict(HealthStatus.Degraded, Or(schedulable.Reason, "Unschedulable"),
                Or(schedulable.Message, "the node does not accept new replicas"), schedulable.LastTransitionTime);

        if (ready is null)
            return Verdict.Unknown("NoReadyCondition", "the Longhorn node reports no Ready condition");
        var disks = node.Disks.Length == 1 ? "1 disk" : $"{node.Disks.Length} disks";
        return new Verdict(HealthStatus.Healthy, "Ready", $"ready and schedulable; {disks} ready", ready.LastTransitionTime);
    }

    // ---------------------------------------------------------------- Backup

    public static ResourceSnapshot DecodeBackup(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var status = ObjectParts.Status(obj);
        var conditions = ObjectParts.Conditions(status);
        var error = status.Prop("error").Str() is { Length: > 0 } e ? e : status.At("messages", "error").Str("");
        var details = new LonghornBackupDetails(
            State: status.Prop("state").Str(""),
            VolumeName: status.Prop("volumeName").Str() ?? meta.Labels.GetValueOrDefault("backup-volume", ""),
            Progress: (int)Math.Clamp(status.Prop("progress").Long() ?? 0, 0, 100),
            SizeBytes: status.Prop("size").Long() ?? 0,
            CreatedAt: status.Prop("backupCreatedAt").Time(),
            Error: error);
        return new ResourceSnapshot(kind, meta, details, BackupRule(details), conditions, ObjectParts.RawStatus(obj));
    }

    /// <summary>Completed → Healthy; Error → Failed; ""/Pending/InProgress → Progressing; Deleting → Progressing; Unknown → Unknown.</summary>
    public static Verdict BackupRule(LonghornBackupDetails b) => b.State switch
    {
        "Completed" => new Verdict(HealthStatus.Healthy, "Completed", $"backup of {Or(b.VolumeName, "the volume")} completed", b.CreatedAt),
        "Error" => new Verdict(HealthStatus.Failed, "Error", Or(b.Error, "the backup failed")),
        "" => new Verdict(HealthStatus.Progressing, "Pending", "new backup, not started yet"),
        "Pending" => new Verdict(HealthStatus.Progressing, "Pending", "the backup is pending"),
        "InProgress" => new Verdict(HealthStatus.Progressing, "InProgress", $"backing up: {b.Progress}%"),
        "Deleting" => new Verdict(HealthStatus.Progressing, "Deleting", "the backup is being deleted"),
        "Unknown" => Verdict.Unknown("Unknown", Or(b.Error, "Longhorn reports the backup state as Unknown")),
        _ => Verdict.Unknown("UnrecognizedState", $"backup state \"{b.State}\""),
    };
}
