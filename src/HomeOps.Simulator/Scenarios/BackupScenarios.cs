using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Seed;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Scenarios;

/// <summary>
/// The S3 backup target stops answering (expired credentials): Longhorn sets <c>status.available</c> false and the
/// <c>Unavailable</c> condition True with the backup store's error; on recovery the next poll finds it again.
/// </summary>
internal sealed class BackupTargetUnavailableScenario : IScenario
{
    private const string Namespace = HomeOpsTopology.LonghornNamespace;

    /// <summary>The message Longhorn carries in the condition (the shape of a backup-store error from the S3 driver).</summary>
    public const string Message = "failed to init backup target client: failed to list objects with prefix backupstore/ in bucket longhorn-backups-home-ops: " +
                                  "InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records. status code: 403";

    public string Name => "backup-target-unavailable";

    public bool IsApplicable(ScenarioContext context) => context.Exists(Kinds.LonghornBackupTarget, Namespace, LonghornSeed.BackupTargetName);

    public IReadOnlyList<ObjectRef> Trigger(ScenarioContext context) => Set(context, available: false);

    public IReadOnlyList<ObjectRef> Recover(ScenarioContext context) => Set(context, available: true);

    private static IReadOnlyList<ObjectRef> Set(ScenarioContext context, bool available)
    {
        var now = context.Timestamp;
        context.Cluster.Update(Kinds.LonghornBackupTarget, Namespace, LonghornSeed.BackupTargetName, target =>
        {
            var status = (JsonObject)target["status"]!;
            status["available"] = available;
            status["conditions"] = new JsonArray(available
                ? SeedConditions.Longhorn("Unavailable", "False", now)
                : SeedConditions.Longhorn("Unavailable", "True", now, Message, "Unavailable"));
            if (available) status["lastSyncedAt"] = now;
        });
        return [new ObjectRef(Kinds.LonghornBackupTarget, Namespace, LonghornSeed.BackupTargetName)];
    }
}

/// <summary>
/// The weekly backup of the second CNPG instance stopped running 16 days ago (its group's max age is 14 d 6 h): the
/// volume's <c>lastBackupAt</c> and its Backup's <c>backupCreatedAt</c> are that old, so its backup verdict is overdue.
/// On recovery a backup has just completed.
/// </summary>
internal sealed class BackupGoesStaleScenario : IScenario
{
    private const string Namespace = HomeOpsTopology.LonghornNamespace;

    public static VolumeSpec Volume => LonghornCatalogue.Volumes.First(v => v.PvcName == "postgresql-cluster-2");

    public string Name => "backup-goes-stale";

    public bool IsApplicable(ScenarioContext context) =>
        context.Exists(Kinds.LonghornVolume, Namespace, Volume.VolumeName) && context.Exists(Kinds.LonghornBackup, Namespace, Volume.BackupName!);

    public IReadOnlyList<ObjectRef> Trigger(ScenarioContext context) => Set(context, context.Now - TimeSpan.FromDays(16));

    public IReadOnlyList<ObjectRef> Recover(ScenarioContext context) => Set(context, context.Now - TimeSpan.FromMinutes(1));

    private static IReadOnlyList<ObjectRef> Set(ScenarioContext context, DateTimeOffset at)
    {
        var when = ObjectJson.Timestamp(at);
        context.Cluster.Update(Kinds.LonghornVolume, Namespace, Volume.VolumeName, v => v["status"]!["lastBackupAt"] = when);
        context.Cluster.Update(Kinds.LonghornBackup, Namespace, Volume.BackupName!, b =>
        {
            b["status"]!["backupCreatedAt"] = when;
            b["status"]!["snapshotCreatedAt"] = when;
        });
        return [new ObjectRef(Kinds.LonghornVolume, Namespace, Volume.VolumeName), new ObjectRef(Kinds.LonghornBackup, Namespace, Volume.BackupName!)];
    }
}
