using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Api;

/// <summary>One column of <c>kubectl get</c> output: its definition and how to fill a cell from an object.</summary>
internal sealed record PrinterColumn(string Name, string Type, string Description, Func<JsonObject, DateTimeOffset, JsonNode?> Cell, int Priority = 0);

/// <summary>
/// The columns the API server prints per kind: the kubelet-era Node columns, and for custom resources the
/// <c>additionalPrinterColumns</c> of their CRDs (Flux, Longhorn, Cilium), each followed by Age.
/// </summary>
internal static class PrinterColumns
{
    public static IReadOnlyList<PrinterColumn> For(KindInfo kind)
    {
        if (kind.Key == Kinds.Event.Key) return WorkloadColumns.Event;
        var columns = new List<PrinterColumn> { new("Name", "string", "Name must be unique within a namespace.", (o, _) => o.Name()) };
        columns.AddRange(kind.Key switch
        {
            var k when k == Kinds.Node.Key =>
            [
                new("Status", "string", "The status of the node", (o, _) => NodeStatus(o)),
                new("Roles", "string", "The roles of the node", (o, _) => NodeRoles(o)),
                Age(),
                new("Version", "string", "Kubelet Version reported by the node.", (o, _) => o["status"]?["nodeInfo"].String("kubeletVersion")),
                new("Internal-IP", "string", "List of internal IPs for the node.", (o, _) => Address(o, "InternalIP"), 1),
                new("OS-Image", "string", "OS image reported by the node.", (o, _) => o["status"]?["nodeInfo"].String("osImage"), 1),
                new("Kernel-Version", "string", "Kernel version reported by the node.", (o, _) => o["status"]?["nodeInfo"].String("kernelVersion"), 1),
                new("Container-Runtime", "string", "Container runtime reported by the node.", (o, _) => o["status"]?["nodeInfo"].String("containerRuntimeVersion"), 1),
            ],
            var k when k == Kinds.Kustomization.Key || k == Kinds.HelmRelease.Key => [Age(), Ready(), StatusMessage()],
            var k when k == Kinds.GitRepository.Key =>
                [new("URL", "string", "", (o, _) => o["spec"].String("url")), Age(), Ready(), StatusMessage()],
            var k when k == Kinds.LonghornVolume.Key =>
            [
                new("Data Engine", "string", "The data engine of the volume", (o, _) => o["spec"].String("dataEngine")),
                new("State", "string", "The state of the volume", (o, _) => o["status"].String("state")),
                new("Robustness", "string", "The robustness of the volume", (o, _) => o["status"].String("robustness")),
                new("Scheduled", "string", "The scheduled condition of the volume", (o, _) => o.Condition("Scheduled")?.String("status")),
                new("Size", "string", "The size of the volume", (o, _) => o["spec"].String("size")),
                new("Node", "string", "The node that the volume is currently attaching to", (o, _) => o["status"].String("currentNodeID")),
                Age(),
            ],
            var k when k == Kinds.LonghornNode.Key =>
            [
                new("Ready", "string", "Indicate whether the node is ready", (o, _) => o.Condition("Ready")?.String("status")),
                new("AllowScheduling", "boolean", "Indicate whether the user disabled/enabled replica scheduling for the node", (o, _) => o["spec"]?["allowScheduling"]?.DeepClone()),
                new("Schedulable", "string", "Indicate whether Longhorn can schedule replicas on the node", (o, _) => o.Condition("Schedulable")?.String("status")),
                Age(),
            ],
            var k when k == Kinds.LonghornBackup.Key =>
            [
                new("SnapshotName", "string", "The snapshot name", (o, _) => o["status"].String("snapshotName")),
                new("SnapshotSize", "string", "The snapshot size", (o, _) => o["status"].String("size")),
                new("SnapshotCreatedAt", "string", "The snapshot creation time", (o, _) => o["status"].String("snapshotCreatedAt")),
                new("BackupTarget", "string", "The backup target name", (o, _) => o["status"].String("backupTargetName")),
                new("State", "string", "The backup state", (o, _) => o["status"].String("state")),
                new("LastSyncedAt", "string", "The backup last synced time", (o, _) => o["status"].String("lastSyncedAt")),
            ],
            var k when k == Kinds.LoadBalancerIPPool.Key =>
            [
                new("Disabled", "boolean", "", (o, _) => o["spec"]?["disabled"]?.DeepClone() ?? false),
                new("Conflicting", "string", "", (o, _) => o.Condition("cilium.io/PoolConflict")?.String("status")),
                new("IPs Available", "string", "", (o, _) => o.Condition("cilium.io/IPsAvailable")?.String("message")),
                Age(),
            ],
            // cert-manager's CRD columns: Ready, Secret, (wide) Issuer, Status, then Age.
            var k when k == Kinds.Certificate.Key =>
            [
                Ready(),
                new("Secret", "string", "", (o, _) => o["spec"].String("secretName")),
                new("Issuer", "string", "", (o, _) => o["spec"]?["issuerRef"].String("name"), 1),
                new("Status", "string", "", (o, _) => o.Condition("Ready")?.String("message"), 1),
                Age(),
            ],
            var k when k == Kinds.Pod.Key => WorkloadColumns.Pod(Age()),
            var k when k == Kinds.Deployment.Key => WorkloadColumns.Deployment(Age()),
            var k when k == Kinds.DaemonSet.Key => WorkloadColumns.DaemonSet(Age()),
            var k when k == Kinds.StatefulSet.Key => WorkloadColumns.StatefulSet(Age()),
            var k when k == Kinds.Job.Key => WorkloadColumns.Job(Age()),
            _ => [Age()],
        });
        return columns;
    }

    private static PrinterColumn Age() =>
        new("Age", "string", "CreationTimestamp is a timestamp representing the server time when this object was created.",
            (o, now) => DateTimeOffset.TryParse(o["metadata"].String("creationTimestamp"), out var created) ? HumanDuration(now - created) : "<unknown>");

    private static PrinterColumn Ready() =>
        new("Ready", "string", "", (o, _) => o.Condition("Ready")?.String("status"));

    private static PrinterColumn StatusMessage() =>
        new("Status", "string", "", (o, _) => o.Condition("Ready")?.String("message"));

    private static string NodeStatus(JsonObject node)
    {
        var ready = node.Condition("Ready")?.String("status") switch
        {
            "True" => "Ready",
            "False" => "NotReady",
            _ => "Unknown",
        };
        return node["spec"]?["unschedulable"] is JsonValue v && v.TryGetValue<bool>(out var cordoned) && cordoned
            ? ready + ",SchedulingDisabled"
            : ready;
    }

    private static string NodeRoles(JsonObject node)
    {
        const string prefix = "node-role.kubernetes.io/";
        var roles = node.Labels().Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]).Order().ToList();
        return roles.Count == 0 ? "<none>" : string.Join(",", roles);
    }

    private static string? Address(JsonObject node, string type) =>
        (node["status"]?["addresses"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(a => a.String("type") == type)?.String("address");

    /// <summary>The API server's age format (<c>k8s.io/apimachinery/pkg/util/duration.HumanDuration</c>).</summary>
    public static string HumanDuration(TimeSpan d)
    {
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        var seconds = (long)d.TotalSeconds;
        var minutes = (long)d.TotalMinutes;
        var hours = (long)d.TotalHours;
        if (seconds < 120) return $"{seconds}s";
        if (minutes < 10) return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        if (minutes < 180) return $"{minutes}m";
        if (hours < 8) return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        if (hours < 48) return $"{hours}h";
        if (hours < 24 * 8) return hours % 24 == 0 ? $"{hours / 24}d" : $"{hours / 24}d{hours % 24}h";
        if (hours < 24 * 365 * 2) return $"{hours / 24}d";
        var years = hours / 24 / 365;
        if (years < 8) return (hours / 24) % 365 == 0 ? $"{years}y" : $"{years}y{(hours / 24) % 365}d";
        return $"{years}y";
    }
}
