using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Metrics;

/// <summary>
/// BGP session state, only where the API reports it: <c>CiliumBGPNodeConfig.status</c> (BGPv2). A BGPv1
/// <c>CiliumBGPPeeringPolicy</c> (what home-ops runs today) has no status, so its peers get no series here rather than
/// a made-up 0 or 1 (docs/metrics.md says how to alert on that gap).
/// </summary>
internal static class BgpMetrics
{
    public static IEnumerable<MetricFamily> Build(ClusterState state)
    {
        var established = new MetricFamily("homeops_bgp_peer_established", MetricType.Gauge,
            "1 when the BGP session from the node to the peer is established, else 0. Only BGPv2 (CiliumBGPNodeConfig status) reports sessions.",
            "node", "peer");
        // A node may report the same peer in several BGP instances: established if any of them is.
        var sessions = new Dictionary<(string Node, string Peer), bool>();
        foreach (var config in state.Items(Kinds.BgpNodeConfig))
        {
            if (config.Details is not BgpDetails { Api: BgpApi.V2 } details) continue;
            foreach (var peer in details.Peers)
            {
                var key = (peer.Node.Length > 0 ? peer.Node : config.Meta.Name, peer.PeerAddress);
                sessions[key] = sessions.GetValueOrDefault(key) || peer.Established;
            }
        }
        foreach (var ((node, peer), up) in sessions)
            established.Add(up ? 1 : 0, node, peer);
        yield return established;
    }
}
