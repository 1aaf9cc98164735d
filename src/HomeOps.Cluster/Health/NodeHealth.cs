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
        // An update (a heartbeat, every 10 s per node) keeps the held snapshot's strings and arrays where they did not change.
        var held = ObjectParts.HeldDetails<NodeDetails>();
        var info = status.Prop("nodeInfo");
        var osImage = ObjectParts.Kept(info.Prop("osImage"), held?.OsImage);
        string talos;
        if (held is not null && ReferenceEquals(osImage, held.OsImage)) talos = held.TalosVersion;
        else
        {
            var m = TalosOsImage().Match(osImage);
            talos = m.Success ? m.Groups["v"].Value : "";
        }
        var capacity = status.Prop("capacity");
        var memoryText = capacity.Prop("memory").Str();
        var memory = Quantity.Parse(memoryText);
        var memoryCapacity = memory is { } b ? Quantity.FormatBytes(b) : memoryText ?? "";
        return new NodeDetails(
            Addresses: Addresses(status.Prop("addresses"), held?.Addresses),
            Taints: [.. spec.Prop("taints").Items()
                .Where(t => t.ValueKind == JsonValueKind.Object)
                .Select(t => new Taint(t.Str("key"), t.Prop("value").Str(), t.Str("effect")))],
            Roles: held is not null && ReferenceEquals(ObjectParts.HeldMeta?.Labels, meta.Labels) ? held.Roles : [.. meta.Labels.Keys
                .Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
                .Select(k => k["node-role.kubernetes.io/".Length..])
                .Where(r => r.Length > 0)
                .Order(StringComparer.Ordinal)],
            Unschedulable: spec?.Bool("unschedulable") ?? false,
            OsImage: osImage,
            TalosVersion: talos,
            KernelVersion: ObjectParts.Kept(info.Prop("kernelVersion"), held?.KernelVersion),
            KubeletVersion: ObjectParts.Kept(info.Prop("kubeletVersion"), held?.KubeletVersion),
            ContainerRuntimeVersion: ObjectParts.Kept(info.Prop("containerRuntimeVersion"), held?.ContainerRuntimeVersion),
            CpuCapacity: ObjectParts.Kept(capacity.Prop("cpu"), held?.CpuCapacity),
            MemoryCapacity: held is not null && memoryCapacity == held.MemoryCapacity ? held.MemoryCapacity : memoryCapacity)
        {
            BootId = ObjectParts.Kept(info.Prop("bootID"), held?.BootId),
        };
    }

    /// <summary><c>status.addresses</c>; the held array when every entry is the same (the usual update).</summary>
    private static ImmutableArray<NodeAddress> Addresses(JsonElement? addresses, ImmutableArray<NodeAddress>? held)
    {
        if (held is { IsDefault: false } h && addresses is { ValueKind: JsonValueKind.Array } array)
        {
            var i = 0;
            var same = true;
            foreach (var a in array.EnumerateArray())
            {
                if (a.ValueKind != JsonValueKind.Object) continue;
                if (i >= h.Length || a.Prop("type") is not { ValueKind: JsonValueKind.String } t || !t.ValueEquals(h[i].Type)
                    || a.Prop("address") is not { ValueKind: JsonValueKind.String } v || !v.ValueEquals(h[i].Address))
                {
                    same = false;
                    break;
                }
                i++;
            }
            if (same && i == h.Length) return h;
        }
        return [.. addresses.Items()
            .Where(a => a.ValueKind == JsonValueKind.Object)
            .Select(a => new NodeAddress(a.Str("type"), a.Str("address")))];
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
