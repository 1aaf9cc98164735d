using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Seed;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Scenarios;

/// <summary>
/// A replica of the first CNPG instance's volume fails: the volume turns <c>degraded</c> and Longhorn schedules a
/// rebuilding replica on the node that had none (visible in that disk's <c>scheduledReplica</c>); on recovery the
/// rebuild has finished, the volume is <c>healthy</c> again and the failed replica is gone from its old disk.
/// </summary>
internal sealed class VolumeDegradesScenario : IScenario
{
    private const string Namespace = HomeOpsTopology.LonghornNamespace;

    private readonly Lock _gate = new();
    private (string FailedNode, string FailedReplica)? _pending;

    public string Name => "volume-degrades";

    private static VolumeSpec Volume => LonghornCatalogue.DegradingVolume;

    public bool IsApplicable(ScenarioContext context) => context.Exists(Kinds.LonghornVolume, Namespace, Volume.VolumeName);

    public IReadOnlyList<ObjectRef> Trigger(ScenarioContext context)
    {
        var now = context.Timestamp;
        var touched = new List<ObjectRef>();
        context.Cluster.Update(Kinds.LonghornVolume, Namespace, Volume.VolumeName, volume =>
        {
            volume["status"]!["robustness"] = "degraded";
            volume["status"]!["lastDegradedAt"] = now;
        });
        touched.Add(new ObjectRef(Kinds.LonghornVolume, Namespace, Volume.VolumeName));

        lock (_gate)
        {
            if (_pending is not null) return touched;
            var holders = HomeOpsTopology.NodeNames.Where(n => ReplicaOn(context, n) is not null).ToList();
            var failed = holders.LastOrDefault(n => n != Volume.AttachedTo);
            var target = HomeOpsTopology.NodeNames.FirstOrDefault(n => !holders.Contains(n));
            if (failed is null || target is null) return touched;
            var rebuilding = $"{Volume.VolumeName}-r-{SeedIds.Hex($"rebuild/{now}", 8)}";
            if (ChangeReplicas(context, target, replicas => replicas[rebuilding] = Volume.SizeBytes))
            {
                touched.Add(new ObjectRef(Kinds.LonghornNode, Namespace, target));
            }
            _pending = (failed, ReplicaOn(context, failed)!);
        }
        return touched;
    }

    public IReadOnlyList<ObjectRef> Recover(ScenarioContext context)
    {
        var touched = new List<ObjectRef>();
        context.Cluster.Update(Kinds.LonghornVolume, Namespace, Volume.VolumeName, volume => volume["status"]!["robustness"] = "healthy");
        touched.Add(new ObjectRef(Kinds.LonghornVolume, Namespace, Volume.VolumeName));
        lock (_gate)
        {
            if (_pending is { } pending && ChangeReplicas(context, pending.FailedNode, replicas => replicas.Remove(pending.FailedReplica)))
            {
                touched.Add(new ObjectRef(Kinds.LonghornNode, Namespace, pending.FailedNode));
            }
            _pending = null;
        }
        return touched;
    }

    private static string? ReplicaOn(ScenarioContext context, string node) =>
        UsbDisk(context.Cluster.Get(Kinds.LonghornNode, Namespace, node), node)?["scheduledReplica"] is JsonObject replicas
            ? replicas.Select(r => r.Key).FirstOrDefault(k => k.StartsWith(Volume.VolumeName + "-r-", StringComparison.Ordinal))
            : null;

    /// <summary>Edits the replicas scheduled on a node's USB SSD and keeps <c>storageScheduled</c> in step.</summary>
    private static bool ChangeReplicas(ScenarioContext context, string node, Action<JsonObject> change)
    {
        if (UsbDisk(context.Cluster.Get(Kinds.LonghornNode, Namespace, node), node) is null) return false;
        context.Cluster.Update(Kinds.LonghornNode, Namespace, node, longhornNode =>
        {
            var disk = UsbDisk(longhornNode, node)!;
            var replicas = disk["scheduledReplica"] as JsonObject ?? new JsonObject();
            disk["scheduledReplica"] = replicas;
            change(replicas);
            disk["storageScheduled"] = replicas.Sum(r => (long)ObjectJson.Number(r.Value));
        });
        return true;
    }

    private static JsonObject? UsbDisk(JsonObject? longhornNode, string node) =>
        longhornNode?["status"]?["diskStatus"]?[LonghornCatalogue.UsbDiskName(node)] as JsonObject;
}
