using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Metrics;

/// <summary>
/// BGP session state, only where the API reports the sessions that actually run: <c>CiliumBGPNodeConfig.status</c>
/// (BGPv2) while no BGPv1 <c>CiliumBGPPeeringPolicy</c> overrides it. The rules are <see cref="BgpStatus.Evaluate"/>'s,
/// so /metrics agrees with the tile, the page and the CLI. A PeeringPolicy (what home-ops runs today) has no status, so
/// its peers get no series rather than a made-up 0 or 1; <c>homeops_bgp_session_state_known</c> says so, which is what an
/// alert needs to tell "no series because unknown" from "no series because absent" (docs/metrics.md).
/// </summary>
internal static class BgpMetrics
{
    public static IEnumerable<MetricFamily> Build(ClusterState state)
    {
        var report = AreaRollups.Bgp(state).Status;
        var known = new MetricFamily("homeops_bgp_session_state_known", MetricType.Gauge,
            "1 when live BGP session state is known (BGPv2 CiliumBGPNodeConfig status, or under BGPv1 the Cilium agents' cilium_bgp_control_plane_session_state read from Prometheus), else 0; api is the active BGP API.",
            "api");
        known.Add(report.SessionStateKnown ? 1 : 0, report.Active.ToString());
        yield return known;

        var established = new MetricFamily("homeops_bgp_peer_established", MetricType.Gauge,
            "1 when the BGP session from the node to the peer is established, else 0. Only present while homeops_bgp_session_state_known is 1.",
            "node", "peer");
        if (report.FromMetrics)
        {
            // BGPv1: the agents' own metric, read from Prometheus (one series per node and neighbour).
            foreach (var d in state.Items(Kinds.BgpSession).Select(s => s.Details).OfType<BgpSessionDetails>())
                established.Add(d.Up ? 1 : 0, d.Node, d.Neighbor);
        }
        else if (report.SessionStateKnown)
        {
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
        }
        yield return established;
    }
}
