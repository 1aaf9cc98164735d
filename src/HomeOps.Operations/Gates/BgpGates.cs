using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Operations.Gates;

/// <summary>
/// <c>bgp-peers-established</c>: every peer reported by every CiliumBGPNodeConfig is established. Session state only
/// exists in BGPv2 status; where only the BGPv1 CiliumBGPPeeringPolicy (the live cluster's) exists the API reports none,
/// and the gate says so (Skipped, never Passed); with neither, it fails.
/// </summary>
public sealed class BgpPeersEstablishedGate : IGate
{
    public string Name => "bgp-peers-established";
    public string Description => "Every BGP peer in every CiliumBGPNodeConfig is established.";
    public IReadOnlyList<GateArgument> Arguments { get; } = [];

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now)
    {
        if (GateData.Staleness(state, now, Kinds.BgpNodeConfig) is { } stale) return GateResult.OnStaleData(stale);
        var peers = state.Items(Kinds.BgpNodeConfig)
            .SelectMany(o => o.Details is BgpDetails d ? d.Peers.Select(p => (Obj: o, Peer: p)) : [])
            .ToList();
        if (peers.Count == 0)
        {
            var v1 = state.Items(Kinds.BgpPeeringPolicy).Any();
            // BGPv1 (CiliumBGPPeeringPolicy) has no session status: the API cannot say. Not observable, so not judged —
            // cilium-agents-ready and loadbalancer-address gate what can be seen.
            if (v1) return GateResult.NotObservable("BGPv1 CiliumBGPPeeringPolicy in use: the API reports no BGP session state (only BGPv2 CiliumBGPNodeConfig status does); sessions not checked");
            return GateResult.Fail("no BGP peers known: no CiliumBGPNodeConfig reports a peer"
                                   + (v1 ? " (a BGPv1 CiliumBGPPeeringPolicy is configured, but it has no session status; BGPv2 status or `cilium bgp peers` is needed to see sessions)" : "")
                                   + ". Phase 3 installs Cilium with bgpControlPlane disabled; run apps:deploy-cilium to enable BGP.");
        }
        var down = peers.Where(p => !p.Peer.Established)
            .Select(p => $"{(p.Peer.Node.Length > 0 ? p.Peer.Node : p.Obj.Meta.Name)}→{p.Peer.PeerAddress} ({(p.Peer.SessionState.Length > 0 ? p.Peer.SessionState : "no state")})")
            .ToList();
        var text = $"{peers.Count - down.Count} of {peers.Count} BGP sessions established" + (down.Count > 0 ? $"; down: {GateData.List(down)}" : "");
        return down.Count == 0 ? GateResult.Pass(text) : GateResult.Fail(text);
    }
}
