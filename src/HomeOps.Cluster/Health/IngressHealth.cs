using System.Text.Json;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Health;

/// <summary>
/// <c>networking.k8s.io/v1</c> Ingresses, read only to learn the hosts users reach (each one a network-probe target).
/// Whether a host answers is the probe's verdict (<see cref="ProbeHealth.Rule"/>), not this one: an Ingress is never
/// a problem of its own.
/// </summary>
public static class IngressHealth
{
    public const string NoAddress = "NoAddress";

    public static ResourceSnapshot Decode(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        var hosts = spec.Prop("rules").Items().Select(r => r.Str("host").Trim()).Where(h => h.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        var tls = spec.Prop("tls").Items().SelectMany(t => t.Prop("hosts").Items()).Select(h => ((JsonElement?)h).Str("").Trim()).Where(h => h.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        var addresses = ObjectParts.LoadBalancerAddresses(status);
        var details = new IngressDetails(spec.Prop("ingressClassName").Str(""), [.. hosts], [.. tls], [.. addresses]);
        return new ResourceSnapshot(kind, meta, details, Rule(details), ObjectParts.Conditions(status), ObjectParts.RawStatus(obj));
    }

    /// <summary>
    /// Always Healthy: an Ingress is read for its hosts, and whether they reach a user is the probe's verdict (one truth,
    /// the Network path area). The reason still says whether the controller published an address ("Admitted") or not
    /// ("NoAddress"), for the object's own row.
    /// </summary>
    public static Verdict Rule(IngressDetails d)
    {
        var hosts = d.Hosts.IsDefaultOrEmpty ? "no host" : string.Join(", ", d.Hosts);
        return d.Addresses.IsDefaultOrEmpty
            ? new Verdict(HealthStatus.Healthy, NoAddress, $"{hosts}: no address published by the ingress controller (reachability: Network path)")
            : new Verdict(HealthStatus.Healthy, "Admitted", $"{hosts} → {string.Join(", ", d.Addresses)}");
    }
}
