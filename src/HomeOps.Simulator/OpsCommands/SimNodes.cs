using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Scenarios;
using HomeOps.Simulator.Seed;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// What happens to a node when someone resets or reboots it, and how it comes back, as the objects the dashboard
/// watches would show it: the Node (Ready condition, taints from the node lifecycle controller, cordon, boot id),
/// the Longhorn node, and the node's BGP session in its CiliumBGPNodeConfig.
/// </summary>
public sealed class SimNodes(SimClusterClient cluster, TimeProvider? time = null)
{
    /// <summary>Annotation a Talos node in maintenance mode carries in the simulation (no machine config: not a cluster member).</summary>
    public const string MaintenanceAnnotation = "simulator.homeops.dev/maintenance";

    /// <summary>
    /// "none": the node is not in the etcd member list (etcd on Talos is a service, not a pod; the list lives in the
    /// surviving members). Absent: a member, as seeded. A reset with <c>--graceful=false</c> does not leave etcd, so a
    /// partially reset node stays listed (stale) until <c>talosctl etcd remove-member</c>.
    /// </summary>
    public const string EtcdAnnotation = "simulator.homeops.dev/etcd-member";

    /// <summary>"failed": the node came back with a stale member of its own still listed, so its etcd cannot join.</summary>
    public const string EtcdJoinAnnotation = "simulator.homeops.dev/etcd-join";

    private const string Unreachable = "node.kubernetes.io/unreachable";
    private const string NotReady = "node.kubernetes.io/not-ready";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private string Now => ObjectJson.Timestamp(_time.GetUtcNow());

    public async Task<IReadOnlyList<JsonObject>> ListAsync(CancellationToken ct = default) =>
        (await cluster.ListAsync(Kinds.Node, ct: ct).ConfigureAwait(false)).OrderBy(n => n.Name(), StringComparer.Ordinal).ToList();

    /// <summary>The node whose InternalIP is <paramref name="ip"/> (talosctl and the Taskfile address nodes by IP).</summary>
    public async Task<string?> NameForIpAsync(string ip, CancellationToken ct = default)
    {
        foreach (var node in await ListAsync(ct).ConfigureAwait(false))
            if (InternalIps(node).Contains(ip, StringComparer.Ordinal)) return node.Name();
        return null;
    }

    public static IEnumerable<string> InternalIps(JsonObject node) =>
        (node["status"]?["addresses"] as JsonArray ?? []).OfType<JsonObject>()
        .Where(a => a.String("type") == "InternalIP").Select(a => a.String("address") ?? "");

    public static string InternalIPv4(JsonObject node) => InternalIps(node).FirstOrDefault(a => a.Contains('.')) ?? "";

    public static bool IsReady(JsonObject node) => node.Condition("Ready").String("status") == "True";

    /// <summary>
    /// The node's etcd member id as <c>talosctl etcd members</c> prints it, or null when it is not a member: the seeded id,
    /// or the id it got when it last joined (a member that leaves and joins again is a new member with a new id, as in etcd).
    /// </summary>
    public static string? EtcdMemberId(JsonObject node) =>
        node["metadata"]?["annotations"]?[EtcdAnnotation]?.GetValue<string>() switch
        {
            "none" => null,
            null or "" => SeedIds.Hex("etcd/" + node.Name(), 16),
            var joined => joined,
        };

    /// <summary>The node's etcd joins the cluster as a new member (a fresh member id), its old membership gone.</summary>
    public async Task JoinEtcdAsync(string node, CancellationToken ct = default)
    {
        await AnnotateAsync(node, EtcdAnnotation, SeedIds.Hex($"etcd/{node}/{Guid.NewGuid()}", 16), ct).ConfigureAwait(false);
        await SetEtcdJoinFailedAsync(node, false, ct).ConfigureAwait(false);
    }

    public static bool EtcdJoinFailed(JsonObject node) =>
        node["metadata"]?["annotations"]?[EtcdJoinAnnotation]?.GetValue<string>() == "failed";

    public Task SetEtcdMemberAsync(string node, bool member, CancellationToken ct = default) =>
        AnnotateAsync(node, EtcdAnnotation, member ? null : "none", ct);

    public Task SetEtcdJoinFailedAsync(string node, bool failed, CancellationToken ct = default) =>
        AnnotateAsync(node, EtcdJoinAnnotation, failed ? "failed" : null, ct);

    /// <summary>The Talos API answers: in maintenance mode, or configured with the kubelet posting status (Ready True or False).</summary>
    public static bool TalosUp(JsonObject node) =>
        InMaintenance(node) || node.Condition("Ready").String("status") is "True" or "False";

    /// <summary>
    /// After resets: when no configured node is left in the etcd member list, etcd itself is gone (every member's data
    /// was wiped) and the list with it; otherwise the reset nodes stay listed as stale members.
    /// </summary>
    public async Task ForgetEtcdIfNoMemberSurvivedAsync(CancellationToken ct = default)
    {
        var all = await ListAsync(ct).ConfigureAwait(false);
        if (all.Any(n => !InMaintenance(n) && EtcdMemberId(n) is not null)) return;
        foreach (var n in all) await SetEtcdMemberAsync(n.Name(), member: false, ct).ConfigureAwait(false);
    }

    public static bool InMaintenance(JsonObject node) =>
        node["metadata"]?["annotations"]?[MaintenanceAnnotation] is not null;

    /// <summary>
    /// The kubelet stops posting status (the node went down): Ready=Unknown, the lifecycle controller's unreachable
    /// taints, Longhorn's node not ready, the BGP session gone. A reset also leaves the node in Talos maintenance mode.
    /// </summary>
    public async Task GoDownAsync(string node, bool reset, CancellationToken ct = default)
    {
        var now = Now;
        await cluster.UpdateStatusAsync(Kinds.Node, null, node, s =>
        {
            var wrapper = new JsonObject { ["status"] = s.DeepClone() };
            Conditions.Set(wrapper, "Ready", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.", now);
            foreach (var type in new[] { "MemoryPressure", "DiskPressure", "PIDPressure" })
                if (wrapper.Condition(type) is not null) Conditions.Set(wrapper, type, "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.", now);
            Replace(s, (JsonObject)wrapper["status"]!);
        }, ct).ConfigureAwait(false);
        await SetTaintsAsync(node, [Taint(Unreachable, "NoSchedule", null), Taint(Unreachable, "NoExecute", now)], unschedulable: reset ? true : null, ct).ConfigureAwait(false);
        if (reset) await AnnotateAsync(node, MaintenanceAnnotation, "true", ct).ConfigureAwait(false);
        await LonghornNodeAsync(node, ready: false, ct).ConfigureAwait(false);
        await BgpSessionAsync(node, established: false, ct).ConfigureAwait(false);
    }

    /// <summary>Bootstrap phase 2 for this node: the machine config is applied, the kubelet registers, CNI is not there yet.</summary>
    public async Task RegisterAsync(string node, CancellationToken ct = default)
    {
        var now = Now;
        await AnnotateAsync(node, MaintenanceAnnotation, null, ct).ConfigureAwait(false);
        await cluster.UpdateStatusAsync(Kinds.Node, null, node, s =>
        {
            var wrapper = new JsonObject { ["status"] = s.DeepClone() };
            Conditions.Set(wrapper, "Ready", "False", "KubeletNotReady",
                "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized", now);
            // A node coming back from a wipe has no Cilium agent yet: nothing has cleared NetworkUnavailable.
            if (wrapper.Condition("NetworkUnavailable") is not null)
                Conditions.Set(wrapper, "NetworkUnavailable", "True", "NoRouteCreated", "the Cilium agent is not running on this node", now);
            foreach (var (type, reason, message) in Pressures)
                if (wrapper.Condition(type) is not null) Conditions.Set(wrapper, type, "False", reason, message, now);
            if (wrapper["status"]?["nodeInfo"] is JsonObject info) info["bootID"] = Guid.NewGuid().ToString();
            Replace(s, (JsonObject)wrapper["status"]!);
        }, ct).ConfigureAwait(false);
        await SetTaintsAsync(node, [Taint(NotReady, "NoSchedule", null)], unschedulable: null, ct).ConfigureAwait(false);
    }

    /// <summary>CNI up (bootstrap phase 3, or the end of a reboot): Ready, no lifecycle taints, schedulable again.</summary>
    public async Task ReadyAsync(string node, bool newBoot, CancellationToken ct = default)
    {
        var now = Now;
        await AnnotateAsync(node, MaintenanceAnnotation, null, ct).ConfigureAwait(false);
        await cluster.UpdateStatusAsync(Kinds.Node, null, node, s =>
        {
            var wrapper = new JsonObject { ["status"] = s.DeepClone() };
            Conditions.Set(wrapper, "Ready", "True", "KubeletReady", "kubelet is posting ready status", now);
            foreach (var (type, reason, message) in Pressures)
                if (wrapper.Condition(type) is not null) Conditions.Set(wrapper, type, "False", reason, message, now);
            if (wrapper.Condition("NetworkUnavailable") is not null)
                Conditions.Set(wrapper, "NetworkUnavailable", "False", "CiliumIsUp", "Cilium is running on this node", now);
            if (newBoot && wrapper["status"]?["nodeInfo"] is JsonObject info) info["bootID"] = Guid.NewGuid().ToString();
            Replace(s, (JsonObject)wrapper["status"]!);
        }, ct).ConfigureAwait(false);
        await SetTaintsAsync(node, [], unschedulable: false, ct).ConfigureAwait(false);
    }

    public async Task LonghornNodeAsync(string node, bool ready, CancellationToken ct = default)
    {
        var now = Now;
        await cluster.UpdateStatusAsync(Kinds.LonghornNode, HomeOpsTopology.LonghornNamespace, node, s =>
        {
            var wrapper = new JsonObject { ["status"] = s.DeepClone() };
            if (ready) Conditions.Set(wrapper, "Ready", "True", "", $"Node {node} is ready", now);
            else Conditions.Set(wrapper, "Ready", "False", "KubernetesNodeNotReady", $"Kubernetes node {node} not ready: NodeStatusUnknown", now);
            Replace(s, (JsonObject)wrapper["status"]!);
        }, ct).ConfigureAwait(false);
    }

    /// <summary>The node's session to the UDM Pro as the Cilium agent reports it (BGPv2 CiliumBGPNodeConfig.status).</summary>
    public async Task BgpSessionAsync(string node, bool established, CancellationToken ct = default)
    {
        var now = Now;
        await cluster.UpdateStatusAsync(Kinds.BgpNodeConfig, null, node, s =>
        {
            var up = BgpSeed.EstablishedPeer(node, now);
            foreach (var instance in (s["bgpInstances"] as JsonArray ?? []).OfType<JsonObject>())
            {
                foreach (var peer in (instance["peers"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (established)
                    {
                        peer["peeringState"] = "established";
                        peer["establishedTime"] = now;
                        peer["timers"] = up["timers"]!.DeepClone();
                        peer["routeCount"] = up["routeCount"]!.DeepClone();
                    }
                    else
                    {
                        peer["peeringState"] = "active";
                        peer.Remove("establishedTime");
                        peer.Remove("timers");
                        peer["routeCount"] = new JsonArray(BgpSeed.RouteCount("ipv4", 0, 0), BgpSeed.RouteCount("ipv6", 0, 0));
                    }
                }
            }
        }, ct).ConfigureAwait(false);
    }

    public async Task<bool> BgpEstablishedAsync(string node, CancellationToken ct = default)
    {
        var config = await cluster.GetAsync(Kinds.BgpNodeConfig, null, node, ct).ConfigureAwait(false);
        var peers = (config?["status"]?["bgpInstances"] as JsonArray ?? []).OfType<JsonObject>()
            .SelectMany(i => (i["peers"] as JsonArray ?? []).OfType<JsonObject>()).ToList();
        return peers.Count > 0 && peers.All(p => p.String("peeringState") == "established");
    }

    private static readonly (string Type, string Reason, string Message)[] Pressures =
    [
        ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    ];

    private async Task SetTaintsAsync(string node, JsonObject[] lifecycleTaints, bool? unschedulable, CancellationToken ct)
    {
        var current = await cluster.GetAsync(Kinds.Node, null, node, ct).ConfigureAwait(false);
        if (current is null) return;
        // Keep taints someone else set; replace only the node lifecycle controller's own.
        var kept = (current["spec"]?["taints"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(t => t.String("key") is not (Unreachable or NotReady))
            .Select(t => t.DeepClone()).ToList();
        var taints = new JsonArray([.. kept, .. lifecycleTaints]);
        var spec = new JsonObject { ["taints"] = taints.Count == 0 ? null : taints };
        if (unschedulable is { } u) spec["unschedulable"] = u ? true : null;
        await cluster.PatchAsync(Kinds.Node, null, node, new JsonObject { ["spec"] = spec }, status: false, ct).ConfigureAwait(false);
    }

    private Task AnnotateAsync(string node, string key, string? value, CancellationToken ct) =>
        cluster.PatchAsync(Kinds.Node, null, node,
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [key] = value } } }, status: false, ct);

    private static JsonObject Taint(string key, string effect, string? added)
    {
        var t = new JsonObject { ["effect"] = effect, ["key"] = key };
        if (added is not null) t["timeAdded"] = added;
        return t;
    }

    private static void Replace(JsonObject target, JsonObject source)
    {
        foreach (var key in target.Select(kv => kv.Key).ToList()) target.Remove(key);
        foreach (var (key, value) in source.ToList())
        {
            source.Remove(key);
            target[key] = value;
        }
    }
}
