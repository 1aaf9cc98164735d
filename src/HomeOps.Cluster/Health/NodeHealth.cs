using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using HomeOps.Cluster.Model;
using static HomeOps.Cluster.Health.Text;

namespace HomeOps.Cluster.Health;

/// <summary>
/// Kubernetes <c>v1/Node</c> on Talos (FIELDS.md §1, cluster brief §10.1).
/// Health comes from the <c>Ready</c> condition found by type — never by substring ("Ready" matches "NotReady").
/// </summary>
public static partial class NodeHealth
{
    public const string CiliumAgentNotReadyTaint = "node.cilium.io/agent-not-ready";
    private static readonly string[] Pressures = ["MemoryPressure", "DiskPressure", "PIDPressure"];

    [GeneratedRegex(@"^Talos \((?<v>[^)]+)\)$")]
    private static partial Regex TalosOsImage();

    public static ResourceSnapshot Decode(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        var conditions = ObjectParts.Conditions(status);
        var details = Details(meta, spec, status) with { ReadyCondition = conditions.Find("Ready") };
        return new ResourceSnapshot(kind, meta, details, Rule(conditions, details), conditions, ObjectParts.RawStatus(obj));
    }

    private static NodeDetails Details(ObjectMeta meta, JsonElement? spec, JsonElement? status)
    {
        // Display-only fields are read tolerantly: a broken nodeInfo must not hide the Ready verdict.
        var info = status.Prop("nodeInfo");
        var osImage = info.Prop("osImage").Str("");
        var m = TalosOsImage().Match(osImage);
        var memory = Quantity.Parse(status.At("capacity", "memory").Str());
        return new NodeDetails(
            Addresses: [.. status.Prop("addresses").Items()
                .Where(a => a.ValueKind == JsonValueKind.Object)
                .Select(a => new NodeAddress(a.Str("type"), a.Str("address")))],
            Taints: [.. spec.Prop("taints").Items()
                .Where(t => t.ValueKind == JsonValueKind.Object)
                .Select(t => new Taint(t.Str("key"), t.Prop("value").Str(), t.Str("effect")))],
            Roles: [.. meta.Labels.Keys
                .Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
                .Select(k => k["node-role.kubernetes.io/".Length..])
                .Where(r => r.Length > 0)
                .Order(StringComparer.Ordinal)],
            Unschedulable: spec?.Bool("unschedulable") ?? false,
            OsImage: osImage,
            TalosVersion: m.Success ? m.Groups["v"].Value : "",
            KernelVersion: info.Prop("kernelVersion").Str(""),
            KubeletVersion: info.Prop("kubeletVersion").Str(""),
            ContainerRuntimeVersion: info.Prop("containerRuntimeVersion").Str(""),
            CpuCapacity: status.At("capacity", "cpu").Str(""),
            MemoryCapacity: memory is { } b ? Quantity.FormatBytes(b) : status.At("capacity", "memory").Str(""))
        {
            BootId = info.Prop("bootID").Str(""),
        };
    }

    /// <summary>
    /// Ready=True → Healthy unless a pressure, an unavailable network, the Cilium agent taint or a cordon says otherwise.
    /// Ready=False → Failed (kubelet reports a problem). Ready=Unknown → Failed/NodeStatusUnknown (the control plane
    /// lost the kubelet: unreachable, which is not the same as NotReady). No Ready condition → Unknown.
    /// Decision: a cordoned node is shown as Degraded "Cordoned" (maintenance), not Suspended — it is deliberate, but
    /// the cluster runs with one node less of capacity, and a forgotten cordon after a reset is a real problem.
    /// </summary>
    public static Verdict Rule(ImmutableArray<Condition> conditions, NodeDetails details)
    {
        var ready = conditions.Find("Ready");
        if (ready is null)
            return Verdict.Unknown("NoReadyCondition", "the node reports no Ready condition yet");
        if (ready.Status == "Unknown")
            return new Verdict(HealthStatus.Failed, "NodeStatusUnknown",
                $"unreachable: {Or(ready.Message, "the kubelet stopped posting node status")}", ready.LastTransitionTime);
        if (!ready.IsTrue)
            return new Verdict(HealthStatus.Failed, Or(ready.Reason, "NotReady"),
                Or(ready.Message, $"Ready is {Or(ready.Status, "empty")}"), ready.LastTransitionTime);

        foreach (var type in Pressures)
            if (conditions.Find(type) is { IsTrue: true } p)
                return new Verdict(HealthStatus.Degraded, type, Or(p.Message, $"{type} is True"), p.LastTransitionTime);
        if (conditions.Find("NetworkUnavailable") is { IsTrue: true } net)
            return new Verdict(HealthStatus.Degraded, "NetworkUnavailable", Or(net.Message, "the node network is not configured"), net.LastTransitionTime);
        if (details.Taints.Any(t => t.Key == CiliumAgentNotReadyTaint))
            return new Verdict(HealthStatus.Degraded, "CiliumAgentNotReady", $"taint {CiliumAgentNotReadyTaint}: the Cilium agent is not ready on this node");
        if (details.Unschedulable)
            return new Verdict(HealthStatus.Degraded, "Cordoned", "cordoned for maintenance: no new pods are scheduled here");
        return new Verdict(HealthStatus.Healthy, Or(ready.Reason, "Ready"), Or(ready.Message, "the node is Ready"), ready.LastTransitionTime);
    }
}
