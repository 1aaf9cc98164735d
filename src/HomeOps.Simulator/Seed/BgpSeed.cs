using System.Text.Json.Nodes;
using static HomeOps.Simulator.Seed.HomeOpsTopology;
using static HomeOps.Simulator.Seed.SeedConditions;

namespace HomeOps.Simulator.Seed;

/// <summary>
/// Cilium BGP and LB-IPAM (cluster brief §5): the legacy <c>CiliumBGPPeeringPolicy</c> that is applied, the BGPv2
/// objects (cluster config, peer config, advertisement, and one node config per node whose status carries the
/// live session to the UDM Pro), and the LoadBalancer IP pools.
/// </summary>
internal static class BgpSeed
{
    public const string ApiVersion = "cilium.io/v2alpha1";
    public const string InstanceName = "main-bgp-instance";
    public const string PeerName = "unifi-udm-pro";
    private const string ClusterConfigName = "cilium-bgp-cluster";
    private const string PeerConfigName = "cilium-bgp-peer-config";
    private const string AdvertisementName = "bgp-loadbalancer-advertisements";

    private static readonly string[] AdvertisedPools = ["bgp-default", "bgp-ingress", "bgp-reserved"];

    public static IEnumerable<JsonObject> Build(SeedClock clock)
    {
        yield return PeeringPolicy(clock);
        yield return ClusterConfig(clock);
        yield return PeerConfig(clock);
        yield return Advertisement(clock);
        foreach (var node in NodeNames) yield return NodeConfig(clock, node);
        yield return Pool(clock, "bgp-default", Block("172.29.52.100", "172.29.52.199"), total: 100, used: 2);
        yield return Pool(clock, "bgp-ingress", Block("172.29.52.200", "172.29.52.220"), total: 21, used: 2);
        yield return Pool(clock, "bgp-reserved", Block("172.29.52.50", "172.29.52.99"), total: 50, used: 0);
        yield return Pool(clock, "bgp-default-ipv6", new JsonObject { ["cidr"] = "fd47:25e1:2f96:52:100::/120" }, total: 256, used: 0);
    }

    /// <summary>The established session of one node, as the Cilium agent reports it in CiliumBGPNodeConfig.status.</summary>
    public static JsonObject EstablishedPeer(string node, string establishedTime) => new()
    {
        ["establishedTime"] = establishedTime,
        ["name"] = PeerName,
        ["peerASN"] = PeerAsn,
        ["peerAddress"] = BgpPeerAddress,
        ["peeringState"] = "established",
        ["routeCount"] = new JsonArray(
            RouteCount("ipv4", advertised: 4 + NodeIndex(node) % 2, received: 2),
            RouteCount("ipv6", advertised: 1, received: 1)),
        ["timers"] = new JsonObject { ["appliedHoldTimeSeconds"] = 90, ["appliedKeepaliveSeconds"] = 30 },
    };

    public static JsonObject RouteCount(string afi, int advertised, int received) => new()
    {
        ["advertised"] = advertised, ["afi"] = afi, ["received"] = received, ["safi"] = "unicast",
    };

    private static JsonObject PeeringPolicy(SeedClock clock) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "CiliumBGPPeeringPolicy",
        ["metadata"] = Metadata(clock, "bgp-peering-policy", 2),
        ["spec"] = new JsonObject
        {
            ["nodeSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["kubernetes.io/os"] = "linux" } },
            ["virtualRouters"] = new JsonArray(new JsonObject
            {
                ["exportPodCIDR"] = true,
                ["localASN"] = LocalAsn,
                ["neighbors"] = new JsonArray(new JsonObject
                {
                    ["connectRetryTimeSeconds"] = 120,
                    ["eBGPMultihopTTL"] = 1,
                    ["gracefulRestart"] = new JsonObject { ["enabled"] = true, ["restartTimeSeconds"] = 120 },
                    ["holdTimeSeconds"] = 90,
                    ["keepAliveTimeSeconds"] = 30,
                    ["peerASN"] = PeerAsn,
                    ["peerAddress"] = $"{BgpPeerAddress}/32",
                    ["peerPort"] = 179,
                }),
                ["serviceAdvertisements"] = new JsonArray("LoadBalancerIP"),
                ["serviceSelector"] = new JsonObject
                {
                    ["matchExpressions"] = new JsonArray(new JsonObject
                    {
                        ["key"] = "io.cilium/lb-ipam-pool",
                        ["operator"] = "In",
                        ["values"] = new JsonArray([.. AdvertisedPools.Select(p => (JsonNode)p)]),
                    }),
                },
            }),
        },
    };

    private static JsonObject ClusterConfig(SeedClock clock)
    {
        var transition = clock.Created(TimeSpan.FromMinutes(20));
        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "CiliumBGPClusterConfig",
            ["metadata"] = Metadata(clock, ClusterConfigName, 1),
            ["spec"] = new JsonObject
            {
                ["bgpInstances"] = new JsonArray(new JsonObject
                {
                    ["localASN"] = LocalAsn,
                    ["name"] = InstanceName,
                    ["peers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = PeerName,
                        ["peerASN"] = PeerAsn,
                        ["peerAddress"] = BgpPeerAddress,
                        ["peerConfigRef"] = new JsonObject { ["group"] = "cilium.io", ["kind"] = "CiliumBGPPeerConfig", ["name"] = PeerConfigName },
                    }),
                }),
                ["nodeSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["kubernetes.io/os"] = "linux" } },
            },
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(
                    Condition("cilium.io/NoMatchingNode", "False", "NoMatchingNode", "", transition, 1),
                    Condition("cilium.io/MissingPeerConfigs", "False", "MissingPeerConfigs", "", transition, 1),
                    Condition("cilium.io/ConflictingClusterConfig", "False", "ConflictingClusterConfigs", "", transition, 1)),
            },
        };
    }

    private static JsonObject PeerConfig(SeedClock clock) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "CiliumBGPPeerConfig",
        ["metadata"] = Metadata(clock, PeerConfigName, 1),
        ["spec"] = new JsonObject
        {
            ["ebgpMultihop"] = 1,
            ["families"] = new JsonArray(
                Family("ipv4"),
                Family("ipv6")),
            ["gracefulRestart"] = new JsonObject { ["enabled"] = true, ["restartTimeSeconds"] = 120 },
            ["timers"] = new JsonObject { ["connectRetryTimeSeconds"] = 120, ["holdTimeSeconds"] = 90, ["keepAliveTimeSeconds"] = 30 },
        },
        ["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("cilium.io/MissingAuthSecret", "False", "AuthSecretValidated", "", clock.Created(TimeSpan.FromMinutes(20)), 1)),
        },
    };

    private static JsonObject Family(string afi) => new()
    {
        ["advertisements"] = new JsonObject { ["matchLabels"] = new JsonObject { ["advertise"] = "bgp" } },
        ["afi"] = afi,
        ["safi"] = "unicast",
    };

    private static JsonObject Advertisement(SeedClock clock)
    {
        var metadata = Metadata(clock, AdvertisementName, 1);
        metadata["labels"] = new JsonObject { ["advertise"] = "bgp" };
        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "CiliumBGPAdvertisement",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["advertisements"] = new JsonArray(
                    new JsonObject
                    {
                        ["advertisementType"] = "Service",
                        ["attributes"] = new JsonObject { ["communities"] = new JsonObject { ["standard"] = new JsonArray("64512:100") } },
                        ["selector"] = new JsonObject
                        {
                            ["matchExpressions"] = new JsonArray(new JsonObject
                            {
                                ["key"] = "io.cilium/lb-ipam-pool",
                                ["operator"] = "In",
                                ["values"] = new JsonArray([.. AdvertisedPools.Select(p => (JsonNode)p)]),
                            }),
                        },
                        ["service"] = new JsonObject { ["addresses"] = new JsonArray("LoadBalancerIP") },
                    },
                    new JsonObject
                    {
                        ["advertisementType"] = "PodCIDR",
                        ["attributes"] = new JsonObject { ["communities"] = new JsonObject { ["standard"] = new JsonArray("64512:200") } },
                    }),
            },
        };
    }

    private static JsonObject NodeConfig(SeedClock clock, string node)
    {
        var metadata = Metadata(clock, node, 1);
        metadata["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "CiliumBGPClusterConfig",
            ["name"] = ClusterConfigName,
            ["uid"] = SeedIds.Uid("cilium/" + ClusterConfigName),
        });
        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "CiliumBGPNodeConfig",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["bgpInstances"] = new JsonArray(new JsonObject
                {
                    ["localASN"] = LocalAsn,
                    ["name"] = InstanceName,
                    ["peers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = PeerName,
                        ["peerASN"] = PeerAsn,
                        ["peerAddress"] = BgpPeerAddress,
                        ["peerConfigRef"] = new JsonObject { ["group"] = "cilium.io", ["kind"] = "CiliumBGPPeerConfig", ["name"] = PeerConfigName },
                    }),
                }),
            },
            ["status"] = new JsonObject
            {
                ["bgpInstances"] = new JsonArray(new JsonObject
                {
                    ["localASN"] = LocalAsn,
                    ["name"] = InstanceName,
                    ["peers"] = new JsonArray(EstablishedPeer(node, clock.Ago(TimeSpan.FromDays(9) + TimeSpan.FromHours(NodeIndex(node))))),
                }),
            },
        };
    }

    private static JsonObject Pool(SeedClock clock, string name, JsonObject block, int total, int used)
    {
        var transition = clock.Created(TimeSpan.FromMinutes(15));
        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "CiliumLoadBalancerIPPool",
            ["metadata"] = Metadata(clock, name, 1),
            ["spec"] = new JsonObject
            {
                ["allowFirstLastIPs"] = "Yes",
                ["blocks"] = new JsonArray(block),
                ["disabled"] = false,
                ["serviceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["io.cilium/lb-ipam-pool"] = name } },
            },
            // LB-IPAM reports counts as the message of Unknown conditions, the conflict as a False condition.
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(
                    Condition("cilium.io/IPsTotal", "Unknown", "noreason", total.ToString(System.Globalization.CultureInfo.InvariantCulture), transition, 1),
                    Condition("cilium.io/IPsAvailable", "Unknown", "noreason", (total - used).ToString(System.Globalization.CultureInfo.InvariantCulture), transition, 1),
                    Condition("cilium.io/IPsUsed", "Unknown", "noreason", used.ToString(System.Globalization.CultureInfo.InvariantCulture), transition, 1),
                    Condition("cilium.io/PoolConflict", "False", "resolved", "", transition, 1)),
            },
        };
    }

    private static JsonObject Block(string start, string stop) => new() { ["start"] = start, ["stop"] = stop };

    private static JsonObject Metadata(SeedClock clock, string name, long generation) => new()
    {
        ["creationTimestamp"] = clock.Created(TimeSpan.FromMinutes(12)),
        ["generation"] = generation,
        ["name"] = name,
        ["uid"] = SeedIds.Uid("cilium/" + name),
    };
}
