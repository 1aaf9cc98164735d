using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Dashboard.ViewModels;

public sealed record BgpPeerRow(
    string Key,
    string Node,
    string PeerAddress,
    long LocalAsn,
    long PeerAsn,
    string SessionState,
    DateTimeOffset? EstablishedAt,
    long RoutesReceived,
    long RoutesAdvertised,
    HealthStatus Health,
    ResourceSnapshot Resource)
{
    public string TestId => RowIds.For("bgppeer", $"{Node}-{PeerAddress}");
}

public sealed record BgpObjectRow(
    string Key,
    KindInfo Kind,
    string Name,
    HealthStatus Health,
    string Reason,
    string Message,
    string Summary,
    ResourceSnapshot Resource)
{
    public string TestId => RowIds.For(Kind, Name);
}

public sealed record IpPoolRow(
    string Key,
    string Name,
    HealthStatus Health,
    string Reason,
    string Message,
    IReadOnlyList<string> Blocks,
    string ServiceSelector,
    bool Disabled,
    long? IpsTotal,
    long? IpsAvailable,
    ResourceSnapshot Resource)
{
    public string TestId => RowIds.For(Kinds.LoadBalancerIPPool, Name);

    public string Usage => IpsTotal is { } t && IpsAvailable is { } a ? $"{t - a} of {t} used" : "—";
}

/// <summary>
/// BGP area. CiliumBGPPeeringPolicy (v1) is configuration only; session state lives in CiliumBGPNodeConfig.status (v2).
/// Both are supported and the page says which one is active.
/// </summary>
public static class BgpView
{
    public static IReadOnlyList<BgpPeerRow> Sessions(ClusterState state)
    {
        var rows = new List<BgpPeerRow>();
        foreach (var cfg in state.Items(Kinds.BgpNodeConfig))
        {
            if (cfg.Details is not BgpDetails { Api: BgpApi.V2 } d) continue;
            foreach (var p in d.Peers)
            {
                var node = p.Node.Length > 0 ? p.Node : cfg.Meta.Name;
                rows.Add(new BgpPeerRow($"{cfg.Key}/{p.PeerAddress}", node, p.PeerAddress, p.LocalAsn, p.PeerAsn,
                    p.SessionState, p.EstablishedAt, p.RoutesReceived, p.RoutesAdvertised,
                    p.Established ? HealthStatus.Healthy : HealthStatus.Failed, cfg));
            }
        }
        return HealthOrder.WorstFirst(rows, r => r.Health, r => $"{r.Node}/{r.PeerAddress}");
    }

    /// <summary>Neighbours configured by v1 policies; their session state is not in the API.</summary>
    public static IReadOnlyList<BgpPeerRow> ConfiguredPeers(ClusterState state)
    {
        var rows = new List<BgpPeerRow>();
        foreach (var policy in state.Items(Kinds.BgpPeeringPolicy))
        {
            if (policy.Details is not BgpDetails d) continue;
            foreach (var p in d.Peers)
                rows.Add(new BgpPeerRow($"{policy.Key}/{p.Node}/{p.PeerAddress}", p.Node.Length > 0 ? p.Node : BgpRollup.AllSelectedNodes,
                    p.PeerAddress, p.LocalAsn, p.PeerAsn, "not reported", null, 0, 0, HealthStatus.Unknown, policy));
        }
        return rows.OrderBy(r => r.PeerAddress, StringComparer.Ordinal).ToList();
    }

    public static IReadOnlyList<BgpObjectRow> Objects(ClusterState state)
    {
        var rows = BgpRollup.ObjectKinds.SelectMany(k => state.Items(k)).Select(o => new BgpObjectRow(
            o.Key, o.Kind, o.Meta.Name, o.Verdict.Health, o.Verdict.Reason, o.Verdict.Message,
            (o.Details as BgpDetails)?.Summary ?? "", o));
        return HealthOrder.WorstFirst(rows, r => r.Health, r => $"{r.Kind.Kind}/{r.Name}");
    }

    public static IReadOnlyList<IpPoolRow> Pools(ClusterState state) =>
        HealthOrder.WorstFirst(state.Items(Kinds.LoadBalancerIPPool).Select(p =>
        {
            var d = p.Details as IpPoolDetails;
            return new IpPoolRow(p.Key, p.Meta.Name, p.Verdict.Health, p.Verdict.Reason, p.Verdict.Message,
                d is null ? [] : d.Blocks, d?.ServiceSelector ?? "", d?.Disabled ?? false, d?.IpsTotal, d?.IpsAvailable, p);
        }), r => r.Health, r => r.Name);

    /// <summary>The area summary: <see cref="BgpRollup"/>, the one the API, the hub, /metrics and the CLI read.</summary>
    public static BgpRollup Summarize(ClusterState state) => AreaRollups.Bgp(state);

    /// <summary>Live sessions that are not established (empty while session state is not known).</summary>
    public static IReadOnlyList<BgpPeerRow> DownSessions(ClusterState state) =>
        AreaRollups.Bgp(state).SessionStateKnown ? Sessions(state).Where(s => s.Health != HealthStatus.Healthy).ToList() : [];

}
