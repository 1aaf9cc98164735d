using System.Collections.Immutable;
using System.Text.Json;
using HomeOps.Cluster.Model;
using static HomeOps.Cluster.Health.Text;

namespace HomeOps.Cluster.Health;

/// <summary>
/// Cilium BGP control plane (FIELDS.md §4, cluster brief §10.8). BGPv1 (<c>CiliumBGPPeeringPolicy</c>) and the BGPv2
/// configuration kinds carry no session state; only <c>CiliumBGPNodeConfig.status</c> does.
/// </summary>
public static class BgpHealth
{
    public const string ConfigOnly = "ConfigOnly";
    public const string SessionNotEstablished = "SessionNotEstablished";
    public const string NoSessionData = "NoSessionData";

    /// <summary>
    /// Decision: a PeeringPolicy is configuration without a status subresource (cilium/cilium#26280 was closed), so
    /// its verdict can only judge the configuration. A policy that configures neighbours is Healthy with reason
    /// <c>ConfigOnly</c> and a message that says where session state really comes from. Reporting Unknown instead
    /// would make every status run on the live cluster (which uses this API) fail without telling anything new;
    /// reporting "established" would be a lie. The BGP area shows which API is active and that v1 sessions are not visible.
    /// </summary>
    public static ResourceSnapshot DecodePeeringPolicy(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var peers = ImmutableArray.CreateBuilder<BgpPeer>();
        foreach (var router in spec.ArrayAt("virtualRouters", "spec.virtualRouters").Items())
        {
            var localAsn = router.Prop("localASN").Long() ?? 0;
            foreach (var n in ((JsonElement?)router).ArrayAt("neighbors", "spec.virtualRouters[].neighbors").Items())
                peers.Add(new BgpPeer("", localAsn, n.Prop("peerASN").Long() ?? 0, n.Str("peerAddress"), "", null, 0, 0));
        }
        var conditions = ObjectParts.Conditions(ObjectParts.Status(obj)); // none upstream; read so a broken shape is reported
        var details = new BgpDetails(BgpApi.V1PeeringPolicy, peers.ToImmutable(), Summary(peers));
        var verdict = peers.Count == 0
            ? new Verdict(HealthStatus.Degraded, "NoPeers", "the policy configures no BGP neighbours")
            : new Verdict(HealthStatus.Healthy, ConfigOnly,
                $"BGPv1 policy for {Summary(peers)}. CiliumBGPPeeringPolicy has no status; session state comes from " +
                "CiliumBGPNodeConfig (BGPv2) or the Cilium agents (cilium bgp peers)");
        return new ResourceSnapshot(kind, meta, details, verdict, conditions, ObjectParts.RawStatus(obj));
    }

    /// <summary>
    /// Every reported peer <c>established</c> → Healthy; any other state (idle, connect, active, open_*) → Failed
    /// naming the peer and its state. An empty status means "no data" (status reporting can be disabled), not "down".
    /// </summary>
    public static ResourceSnapshot DecodeNodeConfig(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var status = ObjectParts.Status(obj);
        var conditions = ObjectParts.Conditions(status);
        var peers = ImmutableArray.CreateBuilder<BgpPeer>();
        foreach (var instance in status.ArrayAt("bgpInstances", "status.bgpInstances").Items())
        {
            var localAsn = instance.Prop("localASN").Long() ?? 0;
            foreach (var p in ((JsonElement?)instance).ArrayAt("peers", "status.bgpInstances[].peers").Items())
            {
                if (p.ValueKind != JsonValueKind.Object) continue;
                long received = 0, advertised = 0;
                foreach (var rc in p.Prop("routeCount").Items())
                {
                    received += rc.Prop("received").Long() ?? 0;
                    advertised += rc.Prop("advertised").Long() ?? 0;
                }
                var address = p.Str("peerAddress");
                var name = p.Str("name");
                peers.Add(new BgpPeer(meta.Name, localAsn, p.Prop("peerASN").Long() ?? 0,
                    address.Length > 0 ? address : name, p.Str("peeringState"), p.Prop("establishedTime").Time(), received, advertised));
            }
        }
        var list = peers.ToImmutable();
        var details = new BgpDetails(BgpApi.V2, list, Summary(list));
        return new ResourceSnapshot(kind, meta, details, NodeConfigRule(list), conditions, ObjectParts.RawStatus(obj));
    }

    public static Verdict NodeConfigRule(ImmutableArray<BgpPeer> peers)
    {
        if (peers.IsDefaultOrEmpty)
            return Verdict.Unknown(NoSessionData, "no session data (status reporting may be disabled)");
        var down = peers.Where(p => !p.Established).ToList();
        if (down.Count > 0)
            return new Verdict(HealthStatus.Failed, SessionNotEstablished,
                string.Join("; ", down.Select(p => $"peer {p.PeerAddress} (AS {p.PeerAsn}) is {Or(p.SessionState, "in no state")}")) +
                $" ({peers.Length - down.Count}/{peers.Length} established)");
        var since = peers.Select(p => p.EstablishedAt).Where(t => t is not null).Max();
        return new Verdict(HealthStatus.Healthy, "Established", $"{peers.Length}/{peers.Length} peers established", since);
    }

    /// <summary>ClusterConfig: configured peers plus negative-polarity conditions (True = problem).</summary>
    public static ResourceSnapshot DecodeClusterConfig(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        var conditions = ObjectParts.Conditions(status);
        var peers = ImmutableArray.CreateBuilder<BgpPeer>();
        foreach (var instance in spec.ArrayAt("bgpInstances", "spec.bgpInstances").Items())
        {
            var localAsn = instance.Prop("localASN").Long() ?? 0;
            foreach (var p in ((JsonElement?)instance).ArrayAt("peers", "spec.bgpInstances[].peers").Items())
                peers.Add(new BgpPeer("", localAsn, p.Prop("peerASN").Long() ?? 0, Or(p.Str("peerAddress"), p.Str("name")), "", null, 0, 0));
        }
        var list = peers.ToImmutable();
        var details = new BgpDetails(BgpApi.V2, list, Summary(list));
        var verdict = NegativeConditions(conditions, failing: ["cilium.io/MissingPeerConfigs", "cilium.io/ConflictingClusterConfig"])
            ?? (list.IsEmpty
                ? new Verdict(HealthStatus.Degraded, "NoPeers", "the cluster config configures no BGP peers")
                : Valid(conditions, $"BGPv2 cluster config for {Summary(list)}"));
        return new ResourceSnapshot(kind, meta, details, verdict, conditions, ObjectParts.RawStatus(obj));
    }

    /// <summary>PeerConfig: <c>cilium.io/MissingAuthSecret</c> False (reason AuthSecretValidated) is the healthy value.</summary>
    public static ResourceSnapshot DecodePeerConfig(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        var conditions = ObjectParts.Conditions(status);
        var details = new BgpDetails(BgpApi.V2, [], "peer settings (timers, auth, families)");
        var verdict = NegativeConditions(conditions, failing: ["cilium.io/MissingAuthSecret"])
            ?? Valid(conditions, "BGPv2 peer config");
        return new ResourceSnapshot(kind, meta, details, verdict, conditions, ObjectParts.RawStatus(obj));
    }

    /// <summary>CiliumBGPAdvertisement has no status subresource: configuration only.</summary>
    public static ResourceSnapshot DecodeAdvertisement(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var types = new List<string>();
        foreach (var a in spec.ArrayAt("advertisements", "spec.advertisements").Items())
        {
            var type = a.Str("advertisementType", "?");
            var addresses = a.At("service", "addresses").Strings().ToList();
            types.Add(addresses.Count > 0 ? $"{type}({string.Join(",", addresses)})" : type);
        }
        var conditions = ObjectParts.Conditions(ObjectParts.Status(obj)); // none upstream; read so a broken shape is reported
        var summary = types.Count == 0 ? "nothing" : string.Join(", ", types);
        var details = new BgpDetails(BgpApi.V2, [], $"advertises {summary}");
        var verdict = types.Count == 0
            ? new Verdict(HealthStatus.Degraded, "NoAdvertisements", "the advertisement lists nothing to advertise")
            : new Verdict(HealthStatus.Healthy, ConfigOnly, $"advertises {summary}; CiliumBGPAdvertisement has no status");
        return new ResourceSnapshot(kind, meta, details, verdict, conditions, ObjectParts.RawStatus(obj));
    }

    /// <summary>
    /// Negative-polarity conditions: True means a problem. Types in <paramref name="failing"/> → Failed, others → Degraded.
    /// Null when no condition is True.
    /// </summary>
    internal static Verdict? NegativeConditions(ImmutableArray<Condition> conditions, IReadOnlyCollection<string> failing)
    {
        // Only Cilium's own condition types have negative polarity; a standard positive type is not a problem when True.
        var problems = conditions.Where(c => c.IsTrue && (c.Type.StartsWith("cilium.io/", StringComparison.Ordinal) || failing.Contains(c.Type))).ToList();
        if (problems.Count == 0) return null;
        var worst = problems.FirstOrDefault(c => failing.Contains(c.Type)) ?? problems[0];
        var health = failing.Contains(worst.Type) ? HealthStatus.Failed : HealthStatus.Degraded;
        var reason = worst.Type.StartsWith("cilium.io/", StringComparison.Ordinal) ? worst.Type["cilium.io/".Length..] : worst.Type;
        return new Verdict(health, Or(reason, "Problem"),
            string.Join("; ", problems.Select(c => $"{c.Type}=True{(c.Reason.Length > 0 ? $" {c.Reason}" : "")}{(c.Message.Length > 0 ? $": {c.Message}" : "")}")),
            worst.LastTransitionTime);
    }

    private static Verdict Valid(ImmutableArray<Condition> conditions, string what) =>
        conditions.IsDefaultOrEmpty
            ? new Verdict(HealthStatus.Healthy, ConfigOnly, $"{what}; no status conditions reported")
            : new Verdict(HealthStatus.Healthy, "Valid",
                $"{what}; no problem conditions ({string.Join(", ", conditions.Select(c => $"{c.Type}={c.Status}{(c.Reason.Length > 0 ? $" {c.Reason}" : "")}"))})");

    private static string Summary(IReadOnlyCollection<BgpPeer> peers) =>
        peers.Count == 0
            ? "no peers"
            : string.Join(", ", peers.Select(p => $"AS{p.LocalAsn} → {p.PeerAddress} AS{p.PeerAsn}").Distinct());
}
