using System.Collections.Immutable;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Areas;

/// <summary>
/// The BGP area, derived from <see cref="BgpStatus.Evaluate"/> (kept here as <see cref="Status"/>) so that the tile, the
/// status panel, the page, the API, the CLI and /metrics tell the same story. Session counts and session health count only
/// while that report says session state is known: with a v1 PeeringPolicy present it wins over BGPv2 (Cilium's
/// precedence), so NodeConfig status — established or idle — does not describe the sessions that run and must not make
/// the area green (or red). While only the configuration is known the area is Unknown, never a made-up Healthy.
/// </summary>
public sealed record BgpRollup(
    HealthStatus Health,
    int Established,
    int Sessions,
    bool SessionStateKnown,
    int ConfiguredSessions,
    ActiveBgpApi Active,
    string ActiveApi,
    string SessionSource,
    ImmutableArray<string> Warnings,
    BgpStatusReport Status,
    Freshness Freshness) : IAreaRollup
{
    public const string AllSelectedNodes = "all selected nodes";

    public string Area => nameof(Model.Area.Bgp);

    public int Ok => Established;

    public int Total => SessionStateKnown ? Sessions : ConfiguredSessions;

    /// <summary>
    /// Established out of live sessions (CiliumBGPNodeConfig status, BGPv2 active). While only the configuration is known
    /// (a v1 policy is active, or v2 nodes report nothing): "?/N" with N the configured sessions, rather than a made-up number.
    /// </summary>
    public string Count => SessionStateKnown ? $"{Established}/{Sessions}" : $"?/{ConfiguredSessions}";

    public string CountLabel => "sessions established";

    /// <summary>The kinds whose objects are BGP configuration (the pools and Services are LB-IPAM).</summary>
    public static readonly IReadOnlyList<KindInfo> ObjectKinds =
        [Kinds.BgpPeeringPolicy, Kinds.BgpClusterConfig, Kinds.BgpPeerConfig, Kinds.BgpAdvertisement, Kinds.BgpNodeConfig];

    internal static BgpRollup Compute(ClusterState state)
    {
        var report = BgpStatus.Evaluate(state);
        var known = report.SessionStateKnown;
        var nodeCount = Math.Max(1, state.Slice(Kinds.Node).Items.Count);
        var configured = report.Active switch
        {
            // A v1 neighbour without a node applies to every node the policy selects: one session per node.
            ActiveBgpApi.V1 => state.Items(Kinds.BgpPeeringPolicy)
                .SelectMany(p => p.Details is BgpDetails d ? d.Peers : [])
                .Sum(p => p.Node.Length > 0 ? 1 : nodeCount),
            // v2 without status: the configured peers of the cluster configs, per node config that exists (at least one).
            ActiveBgpApi.V2 => state.Items(Kinds.BgpClusterConfig).Sum(c => c.Details is BgpDetails d ? d.Peers.Length : 0)
                               * Math.Max(1, state.Slice(Kinds.BgpNodeConfig).Items.Count),
            _ => 0,
        };
        var source = (report.Active, known) switch
        {
            (ActiveBgpApi.V2, true) => "sessions: CiliumBGPNodeConfig status (live)",
            (ActiveBgpApi.V1, true) => $"sessions: the Cilium agents' {BgpSessionMetrics.Metric}, read from Prometheus (live)",
            (ActiveBgpApi.V2, false) => "sessions: no CiliumBGPNodeConfig reports status",
            (ActiveBgpApi.V1, _) when report.Sessions > 0 =>
                "sessions: not in the API (CiliumBGPPeeringPolicy has no status; it overrides the CiliumBGPNodeConfig status)",
            (ActiveBgpApi.V1, _) => "sessions: not in the API (CiliumBGPPeeringPolicy has no status)",
            _ => "no session state",
        };

        var sessionHealth = !known ? [] : report.FromMetrics
            ? state.Items(Kinds.BgpSession).Select(s => s.Verdict.Health)
            : LiveSessionHealths(state);
        var objectHealth = ObjectKinds
            .Where(k => known || k.Key != Kinds.BgpNodeConfig.Key)
            .SelectMany(state.Items)
            .Concat(state.Items(Kinds.LoadBalancerIPPool))
            .Concat(AreaWorkloads.Of(state, Model.Area.Bgp))
            .Select(o => o.Verdict.Health);
        var health = !AreaFreshness.HasData(state, Model.Area.Bgp)
            ? HealthStatus.Unknown
            : HealthOrder.Worst(HealthOrder.Worst(sessionHealth.Concat(objectHealth)),
                known || report.Active == ActiveBgpApi.None ? HealthStatus.Healthy : HealthStatus.Unknown);
        return new BgpRollup(health, known ? report.Established : 0, known ? report.Sessions : 0, known, configured,
            report.Active, report.ActiveApi, source, report.Warnings, report, AreaFreshness.Of(state, Model.Area.Bgp));
    }

    /// <summary>One health per live BGPv2 session: established is Healthy, anything else Failed.</summary>
    private static IEnumerable<HealthStatus> LiveSessionHealths(ClusterState state) =>
        state.Items(Kinds.BgpNodeConfig)
            .SelectMany(c => c.Details is BgpDetails { Api: BgpApi.V2 } d ? d.Peers : [])
            .Select(p => p.Established ? HealthStatus.Healthy : HealthStatus.Failed);
}
