using System.Collections.Immutable;
using System.Text.Json;
using HomeOps.Cluster.Model;
using static HomeOps.Cluster.Health.Text;

namespace HomeOps.Cluster.Health;

/// <summary>
/// <c>CiliumLoadBalancerIPPool</c> (cluster brief §5.3, §10.9). Cilium reports usage as conditions whose message is a
/// number (<c>cilium.io/IPsTotal</c>, <c>cilium.io/IPsAvailable</c>) and problems as negative-polarity conditions.
/// </summary>
public static class IpPoolHealth
{
    public static ResourceSnapshot Decode(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        var conditions = ObjectParts.Conditions(status);
        var blocks = spec.ArrayAt("blocks", "spec.blocks").Items()
            .Concat(spec.ArrayAt("cidrs", "spec.cidrs").Items()) // pre-1.15 field name
            .Select(Block)
            .Where(b => b.Length > 0);
        var details = new IpPoolDetails(
            Blocks: [.. blocks],
            ServiceSelector: Selector(spec.Prop("serviceSelector")),
            Disabled: spec.Prop("disabled").Bool() ?? false,
            IpsTotal: Count(conditions, "cilium.io/IPsTotal"),
            IpsAvailable: Count(conditions, "cilium.io/IPsAvailable"));
        return new ResourceSnapshot(kind, meta, details, Rule(details, conditions), conditions, ObjectParts.RawStatus(obj));
    }

    /// <summary>
    /// Disabled → Suspended (deliberately off); PoolConflict=True → Failed (no IP is handed out);
    /// IPsExhausted=True or 0 available → Degraded (new LoadBalancers stay pending); otherwise Healthy.
    /// </summary>
    public static Verdict Rule(IpPoolDetails pool, ImmutableArray<Condition> conditions)
    {
        if (pool.Disabled)
            return new Verdict(HealthStatus.Suspended, "Disabled", "spec.disabled is true: the pool hands out no IPs");
        if (conditions.Find("cilium.io/PoolConflict") is { IsTrue: true } conflict)
            return new Verdict(HealthStatus.Failed, "PoolConflict", Or(conflict.Message, "the pool overlaps another pool"), conflict.LastTransitionTime);
        if (conditions.Find("cilium.io/IPsExhausted") is { IsTrue: true } exhausted)
            return new Verdict(HealthStatus.Degraded, "IPsExhausted", Or(exhausted.Message, "no IP is left in the pool"), exhausted.LastTransitionTime);
        if (pool is { IpsAvailable: 0, IpsTotal: > 0 })
            return new Verdict(HealthStatus.Degraded, "IPsExhausted", $"0 of {pool.IpsTotal} IPs available");
        if (pool.Blocks.IsDefaultOrEmpty)
            return new Verdict(HealthStatus.Degraded, "NoBlocks", "the pool defines no IP blocks");
        var blocks = string.Join(", ", pool.Blocks);
        return pool.IpsAvailable is { } available && pool.IpsTotal is { } total
            ? new Verdict(HealthStatus.Healthy, "Available", $"{available} of {total} IPs available ({blocks})")
            : new Verdict(HealthStatus.Healthy, "ConfigOnly", $"{blocks}; no usage reported");
    }

    private static string Block(JsonElement b)
    {
        if (b.ValueKind == JsonValueKind.String) return b.GetString() ?? "";
        var cidr = b.Str("cidr");
        if (cidr.Length > 0) return cidr;
        var start = b.Str("start");
        var stop = b.Str("stop");
        return start.Length > 0 ? $"{start}-{Or(stop, start)}" : "";
    }

    private static string Selector(JsonElement? selector)
    {
        var parts = selector.Prop("matchLabels").Props().Select(p => $"{p.Name}={((JsonElement?)p.Value).Str("")}").ToList();
        foreach (var e in selector.Prop("matchExpressions").Items())
            parts.Add($"{e.Str("key")} {e.Str("operator")} ({string.Join(",", e.Prop("values").Strings())})");
        return string.Join(",", parts);
    }

    private static long? Count(ImmutableArray<Condition> conditions, string type) =>
        conditions.Find(type) is { } c ? JsonRead.ParseLong(c.Message) : null;
}
