using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;

namespace HomeOps.Reliability.Tests.BadInput;

/// <summary>
/// A seeded generator of random JSON trees that look like the objects the health rules read: the field names the rules
/// and FIELDS.md use (conditions, robustness, diskStatus, peeringState, last_seen…) at random places and with values of
/// random types — right types with wrong values, wrong types, hostile strings, numbers at the edges, nulls, nesting.
/// </summary>
internal sealed class RandomObjects(Random random)
{
    /// <summary>Every field name the rules read (from HomeOps.Cluster/Health) plus the common Kubernetes ones.</summary>
    private static readonly string[] Fields =
    [
        "ClusterIP", "actualSize", "address", "addresses", "advertised", "advertisementType", "advertisements", "allowScheduling",
        "annotations", "apiVersion", "artifact", "backupCreatedAt", "bgpInstances", "blocks", "branch", "capabilities", "capacity",
        "chart", "chartName", "chartRef", "chartVersion", "cidr", "cidrs", "commit", "conditions", "connectHost",
        "containerRuntimeVersion", "cpu", "creationTimestamp", "currentNodeID", "data", "dataFrom", "dependsOn", "description",
        "disabled", "diskName", "diskPath", "diskStatus", "diskUUID", "disks", "effect", "error", "establishedTime", "expires",
        "expiring", "generation", "history", "host", "hostname", "identifier", "ingress", "installFailures", "intent", "interval",
        "ip", "kernelVersion", "key", "kind", "kubeletVersion", "kubernetesStatus", "labels", "lastAppliedRevision",
        "lastAttemptedRevision", "lastBackup", "lastBackupAt", "lastDegradedAt", "lastTransitionTime", "lastUpdateTime",
        "last_seen", "loadBalancer", "loadBalancerClass", "loadBalancerIP", "localASN", "managed", "matchExpressions",
        "matchLabels", "memory", "message", "messages", "metadata", "name", "namespace", "neighbors", "nodeID", "nodeInfo",
        "numberOfReplicas", "observedGeneration", "operator", "osImage", "path", "peerASN", "peerAddress", "peeringState", "peers",
        "pk", "podName", "podStatus", "port", "ports", "progress", "protocol", "provider", "providers", "pvcName", "reason",
        "received", "ref", "refreshInterval", "refreshTime", "resourceVersion", "revision", "robustness", "routeCount",
        "secretStoreRef", "semver", "server", "service", "serviceSelector", "size", "sourceRef", "spec", "start", "state", "status",
        "stop", "storageAvailable", "storageClassName", "storageMaximum", "storageReserved", "storageScheduled", "suspend",
        "syncedResourceVersion", "tag", "tags", "taints", "target", "timestamp", "type", "uid", "unschedulable", "upgradeFailures",
        "url", "usage", "user", "user_obj", "username", "value", "values", "vaults", "version", "version_outdated", "version_should",
        "virtualRouters", "volumeName", "window", "workloadName", "workloadType", "workloadsStatus", "instances", "hostname",
    ];

    /// <summary>Values the rules compare against, plus hostile and malformed strings.</summary>
    public static readonly string[] Strings =
    [
        "True", "False", "Unknown", "true", "false", "", " ", "Ready", "Reconciling", "Stalled", "Healthy", "healthy", "degraded",
        "faulted", "unknown", "attached", "detached", "Established", "established", "idle", "active", "ReconciliationSucceeded",
        "DependencyNotReady", "InstallFailed", "UpgradeFailed", "Completed", "Error", "InProgress", "Schedulable", "proxy",
        "goauthentik.io/outposts/embedded", "2026-06-21T12:00:00Z", "2026-06-21T12:00:00.123456789Z", "2099-01-01T00:00:00Z",
        "1970-01-01T00:00:00Z", "2026-13-45T99:99:99Z", "1.1344543744e+12", "1134454374400", "-1", "NaN", "Infinity",
        "9999999999999999999999999999", "64512", "172.29.51.1", "fd00::1", "mini01", "longhorn-ssd", "flux-system/flux-system",
        "<script>alert(document.cookie)</script>", "\"><img src=x onerror=alert(1)>", "\u202Eevil\u202C", "名前-ノード-🚀",
        "\u200B\u200D\uFEFF", "line1\nline2\r\n\tline3", "\u001b[31mred\u001b[0m", "../../etc/passwd", "dependency 'a/b' is not ready",
        "'", "\\", "%s%n%x", "{{.Values}}", "${jndi:ldap://x}", "\u0000", "\ud800",
    ];

    public JsonNode? Object(KindInfo kind)
    {
        if (random.Next(40) == 0) return Value(3); // sometimes not an object at all
        var root = new JsonObject();
        if (random.Next(10) > 0) root["apiVersion"] = random.Next(5) > 0 ? kind.ApiVersion : Value(1);
        if (random.Next(10) > 0) root["kind"] = random.Next(5) > 0 ? kind.Kind : Value(1);
        if (random.Next(10) > 0) root["metadata"] = random.Next(8) > 0 ? Metadata() : Value(1);
        if (random.Next(3) > 0) root["spec"] = random.Next(8) > 0 ? Section(4) : Value(1);
        if (random.Next(6) > 0) root["status"] = random.Next(8) > 0 ? Section(5) : Value(1);
        // Authentik shapes live at the root.
        foreach (var _ in Enumerable.Range(0, random.Next(4))) root[Field()] = Value(3);
        return root;
    }

    /// <summary>An outpost health answer: usually an array of instances, sometimes anything.</summary>
    public JsonNode? HealthArray()
    {
        if (random.Next(8) == 0) return Value(2);
        var array = new JsonArray();
        for (var i = random.Next(4); i > 0; i--) array.Add(random.Next(6) == 0 ? Value(1) : Section(2));
        return array;
    }

    private JsonObject Metadata()
    {
        var meta = new JsonObject();
        if (random.Next(6) > 0) meta["name"] = random.Next(4) > 0 ? Str() : Value(1);
        if (random.Next(2) > 0) meta["namespace"] = random.Next(4) > 0 ? Str() : Value(1);
        if (random.Next(3) > 0) meta["uid"] = random.Next(4) > 0 ? Uid() : Value(1);
        if (random.Next(3) > 0) meta["resourceVersion"] = random.Next(4) > 0 ? random.Next(1_000_000).ToString() : Value(1);
        if (random.Next(3) > 0) meta["generation"] = Value(1);
        if (random.Next(3) > 0) meta["creationTimestamp"] = Value(1);
        if (random.Next(3) > 0) meta["labels"] = random.Next(4) > 0 ? StringMap() : Value(1);
        if (random.Next(3) > 0) meta["annotations"] = random.Next(4) > 0 ? StringMap() : Value(1);
        return meta;
    }

    private JsonObject StringMap()
    {
        var map = new JsonObject();
        for (var i = random.Next(4); i > 0; i--) map[Str() + i] = random.Next(5) > 0 ? Str() : Value(1);
        return map;
    }

    private JsonObject Section(int depth)
    {
        var section = new JsonObject();
        if (random.Next(2) == 0) section["conditions"] = random.Next(6) > 0 ? Conditions() : Value(1);
        for (var i = random.Next(1, 6); i > 0; i--) section[Field()] = Value(depth);
        return section;
    }

    private JsonArray Conditions()
    {
        var array = new JsonArray();
        for (var i = random.Next(4); i > 0; i--)
        {
            if (random.Next(8) == 0)
            {
                array.Add(Value(1));
                continue;
            }
            var c = new JsonObject();
            if (random.Next(8) > 0) c["type"] = random.Next(4) > 0 ? Pick("Ready", "Reconciling", "Stalled", "Schedulable", "Healthy", "Released") : Value(1);
            if (random.Next(8) > 0) c["status"] = random.Next(4) > 0 ? Pick("True", "False", "Unknown") : Value(1);
            if (random.Next(2) > 0) c["reason"] = random.Next(4) > 0 ? Str() : Value(1);
            if (random.Next(2) > 0) c["message"] = random.Next(4) > 0 ? Str() : Value(1);
            if (random.Next(2) > 0) c["lastTransitionTime"] = Value(1);
            if (random.Next(3) == 0) c["observedGeneration"] = Value(1);
            array.Add(c);
        }
        return array;
    }

    /// <summary>A value of a random type; objects and arrays only while <paramref name="depth"/> allows.</summary>
    public JsonNode? Value(int depth)
    {
        switch (random.Next(depth > 0 ? 13 : 9))
        {
            case 0: return null;
            case 1: return JsonValue.Create(random.Next(2) == 0);
            case 2: return JsonValue.Create(random.NextInt64(long.MinValue, long.MaxValue));
            case 3: return JsonValue.Create(Pick(0, 1, 3, -1, int.MaxValue));
            case 4: return JsonValue.Create(Pick(1.1344543744e+12, -0.5, double.MaxValue, double.Epsilon, 1e-300));
            case 5 or 6 or 7 or 8: return JsonValue.Create(Str());
            case 9: return Section(depth - 1);
            case 10: return Conditions();
            case 11:
            {
                var array = new JsonArray();
                for (var i = random.Next(4); i > 0; i--) array.Add(Value(depth - 1));
                return array;
            }
            default:
            {
                var obj = new JsonObject();
                for (var i = random.Next(4); i > 0; i--) obj[Field()] = Value(depth - 1);
                return obj;
            }
        }
    }

    private string Field() => Fields[random.Next(Fields.Length)];

    private string Uid()
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    private string Str() => Strings[random.Next(Strings.Length)];

    private T Pick<T>(params T[] values) => values[random.Next(values.Length)];
}
