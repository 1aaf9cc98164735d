using System.Collections.Immutable;
using System.Text.Json;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Health;

/// <summary>
/// <c>type: LoadBalancer</c> Services and Cilium LB-IPAM (cluster brief §5.3, §9 row 4, §10.9). Cilium's pools select
/// Services by the <b>label</b> <c>io.cilium/lb-ipam-pool</c>; several charts set only an <b>annotation</b> of that name,
/// which LB-IPAM ignores, and the Service then stays <c>&lt;pending&gt;</c>. Other Service types are not tracked.
/// </summary>
public static class ServiceHealth
{
    public const string LoadBalancerType = "LoadBalancer";
    public const string PoolKey = "io.cilium/lb-ipam-pool";

    /// <summary>Cilium's annotation for asking for specific addresses (and the older spec.loadBalancerIP).</summary>
    public const string RequestedIpsAnnotation = "lbipam.cilium.io/ips";

    public const string Pending = "Pending";
    public const string PoolAnnotationWithoutLabel = "PoolAnnotationWithoutLabel";

    /// <summary>Only LoadBalancer Services are kept: the others would fill the store without telling anything.</summary>
    public static bool IsLoadBalancer(JsonElement obj) =>
        obj.ValueKind == JsonValueKind.Object && obj.At("spec", "type").Str() == LoadBalancerType;

    public static ResourceSnapshot Decode(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        var conditions = ObjectParts.Conditions(status);
        var ingress = ObjectParts.LoadBalancerAddresses(status);
        var requested = meta.Annotations.GetValueOrDefault(RequestedIpsAnnotation)
            ?? meta.Annotations.GetValueOrDefault("io.cilium/lb-ipam-ips")
            ?? spec.Prop("loadBalancerIP").Str("");
        var details = new ServiceDetails(
            Type: spec.Prop("type").Str("ClusterIP"),
            IngressAddresses: [.. ingress],
            PoolLabel: meta.Labels.GetValueOrDefault(PoolKey) ?? "",
            PoolAnnotation: meta.Annotations.GetValueOrDefault(PoolKey) ?? "",
            RequestedAddresses: requested,
            LoadBalancerClass: spec.Prop("loadBalancerClass").Str(""),
            Ports: [.. spec.Prop("ports").Items().Select(Port).Where(p => p.Length > 0)]);
        return new ResourceSnapshot(kind, meta, details, Rule(details), conditions, ObjectParts.RawStatus(obj));
    }

    /// <summary>
    /// Not a LoadBalancer → Healthy "NotLoadBalancer" (not tracked; only seen when decoded directly).
    /// No address → Failed "Pending" ("no address assigned"), naming the label-vs-annotation mistake when it is the cause.
    /// An address but the pool only in the annotation → Degraded "PoolAnnotationWithoutLabel": the address did not come
    /// from the pool the annotation names, and the next re-allocation may fail. Otherwise Healthy "Assigned".
    /// </summary>
    public static Verdict Rule(ServiceDetails s)
    {
        if (s.Type != LoadBalancerType)
            return new Verdict(HealthStatus.Healthy, "NotLoadBalancer", $"type {s.Type}: no external address expected");
        var annotationOnly = s.PoolAnnotation.Length > 0 && s.PoolLabel.Length == 0;
        if (!s.HasAddress)
        {
            var why = annotationOnly
                ? $"; the pool '{s.PoolAnnotation}' is only in the annotation {PoolKey}, but pools select Services by label: add the label"
                : s.PoolLabel.Length > 0 ? $" from pool '{s.PoolLabel}' (is the pool full, or the Cilium operator's IPAM stalled?)" : " (no pool label set)";
            return new Verdict(HealthStatus.Failed, annotationOnly ? PoolAnnotationWithoutLabel : Pending, $"no address assigned{why}");
        }
        var addresses = string.Join(", ", s.IngressAddresses);
        if (annotationOnly)
            return new Verdict(HealthStatus.Degraded, PoolAnnotationWithoutLabel,
                $"has {addresses}, but the pool '{s.PoolAnnotation}' is only in the annotation {PoolKey}; pools select by label, so add the label");
        return new Verdict(HealthStatus.Healthy, "Assigned",
            s.PoolLabel.Length > 0 ? $"{addresses} from pool '{s.PoolLabel}'" : addresses);
    }

    private static string Port(JsonElement p)
    {
        var port = p.Prop("port").Long();
        if (port is null) return "";
        var protocol = p.Str("protocol", "TCP");
        var name = p.Str("name");
        return name.Length > 0 ? $"{name} {port}/{protocol}" : $"{port}/{protocol}";
    }
}
