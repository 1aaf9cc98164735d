using System.Collections.Immutable;
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

public sealed record BgpSummary(
    HealthStatus Health,
    int Established,
    int Sessions,
    bool SessionStateKnown,
    int ConfiguredSessions,
    ActiveBgpApi Active,
    string ActiveApi,
    string SessionSource,
    ImmutableArray<string> Warnings,
    Freshness Freshness) : IAreaSummary
{
    /// <summary>
    /// Established out of live sessions (CiliumBGPNodeConfig status, BGPv2 active). While only the configuration is known
    /// (a v1 policy is active, or v2 nodes report nothing): "?/N" with N the configured sessions, rather than a made-up number.
    /// </summary>
    public string Count => SessionStateKnown ? $"{Established}/{Sessions}" : $"?/{ConfiguredSessions}";
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
                rows.Add(new BgpPeerRow($"{policy.Key}/{p.Node}/{p.PeerAddress}", p.Node.Length > 0 ? p.Node : "all selected nodes",
                    p.PeerAddress, p.LocalAsn, p.PeerAsn, "not reported", null, 0, 0, HealthStatus.Unknown, policy));
        }
        return rows.OrderBy(r => r.PeerAddress, StringComparer.Ordinal).ToList();
    }

    public static IReadOnlyList<BgpObjectRow> Objects(ClusterState state)
    {
        var kinds = new[] { Kinds.BgpPeeringPolicy, Kinds.BgpClusterConfig, Kinds.BgpPeerConfig, Kinds.BgpAdvertisement, Kinds.BgpNodeConfig };
        var rows = kinds.SelectMany(k => state.Items(k)).Select(o => new BgpObjectRow(
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

    /// <summary>
    /// The area summary, derived from <see cref="BgpStatus.Evaluate"/> so that the tile, the status panel, the page, the CLI
    /// and /metrics tell the same story. Session counts and session health count only while that report says session
    /// state is known: with a v1 PeeringPolicy present it wins over BGPv2 (Cilium's precedence), so NodeConfig status —
    /// established or idle — does not describe the sessions that run and must not make the tile green (or red).
    /// </summary>
    public static BgpSummary Summarize(ClusterState state)
    {
        var report = BgpStatus.Evaluate(state);
        var known = report.SessionStateKnown;
        var live = known ? Sessions(state) : [];
        var nodeCount = Math.Max(1, state.Slice(Kinds.Node).Items.Count);
        var configured = report.Active switch
        {
            // A v1 neighbour without a node applies to every node the policy selects: one session per node.
            ActiveBgpApi.V1 => ConfiguredPeers(state).Sum(p => p.Node == "all selected nodes" ? nodeCount : 1),
            // v2 without status: the configured peers of the cluster configs, per node config that exists (at least one).
            ActiveBgpApi.V2 => ConfiguredV2Peers(state) * Math.Max(1, state.Slice(Kinds.BgpNodeConfig).Items.Count),
            _ => 0,
        };
        var source = (report.Active, known) switch
        {
            (ActiveBgpApi.V2, true) => "sessions: CiliumBGPNodeConfig status (live)",
            (ActiveBgpApi.V2, false) => "sessions: no CiliumBGPNodeConfig reports status",
            (ActiveBgpApi.V1, _) when report.Sessions > 0 =>
                "sessions: not in the API (CiliumBGPPeeringPolicy has no status; it overrides the CiliumBGPNodeConfig status)",
            (ActiveBgpApi.V1, _) => "sessions: not in the API (CiliumBGPPeeringPolicy has no status)",
            _ => "no session state",
        };

        var objectHealth = Objects(state)
            .Where(o => known || o.Kind.Key != Kinds.BgpNodeConfig.Key)
            .Select(o => o.Health)
            .Concat(Pools(state).Select(p => p.Health));
        var health = !AreaFreshness.HasData(state, Area.Bgp)
            ? HealthStatus.Unknown
            : HealthOrder.Worst(HealthOrder.Worst(live.Select(s => s.Health).Concat(objectHealth)),
                known || report.Active == ActiveBgpApi.None ? HealthStatus.Healthy : HealthStatus.Unknown);
        return new BgpSummary(health, known ? report.Established : 0, known ? report.Sessions : 0, known, configured,
            report.Active, report.ActiveApi, source, report.Warnings, AreaFreshness.Of(state, Area.Bgp));
    }

    /// <summary>Live sessions that are not established (empty while session state is not known).</summary>
    public static IReadOnlyList<BgpPeerRow> DownSessions(ClusterState state) =>
        BgpStatus.Evaluate(state).SessionStateKnown ? Sessions(state).Where(s => s.Health != HealthStatus.Healthy).ToList() : [];

    private static int ConfiguredV2Peers(ClusterState state) =>
        state.Items(Kinds.BgpClusterConfig).Sum(c => c.Details is BgpDetails d ? d.Peers.Length : 0);
}
