using System.Collections.Immutable;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Health;

/// <summary>Which Cilium BGP control-plane API drives the cluster.</summary>
public enum ActiveBgpApi
{
    /// <summary>No BGP object at all (or none listed yet).</summary>
    None,
    /// <summary>CiliumBGPPeeringPolicy: configuration only; the API holds no session state.</summary>
    V1,
    /// <summary>CiliumBGPClusterConfig/NodeConfig: session state in CiliumBGPNodeConfig.status.</summary>
    V2,
}

/// <summary>
/// What the dashboard can honestly say about BGP (cluster brief §5.1, §10.8).
/// <see cref="SessionStateKnown"/> is true only when live session state is in the API (BGPv2 node configs with status
/// and no v1 policy overriding them); otherwise only the configuration is known and <see cref="Explanation"/> says so.
/// </summary>
public sealed record BgpStatusReport(
    ActiveBgpApi Active,
    string ActiveApi,
    bool SessionStateKnown,
    int Established,
    int Sessions,
    int ConfiguredNeighbours,
    string Explanation,
    ImmutableArray<string> Warnings)
{
    /// <summary>True when the live session state comes from the Cilium agents' metrics in Prometheus (BGPv1), not from CiliumBGPNodeConfig.status.</summary>
    public bool FromMetrics { get; init; }
}

/// <summary>
/// Derives <see cref="BgpStatusReport"/> from the store. Pure: the same state gives the same report.
/// Rules: a PeeringPolicy present → BGPv1 is active (only configuration is known); BGPv2 objects present with
/// NodeConfig status → live session state; both present → the PeeringPolicy wins (Cilium's documented precedence),
/// so the NodeConfig status does not describe the sessions that run. While BGPv1 is in use, warn that Cilium ≥ 1.19
/// removes it (a homelab report: the CRD disappears and advertising silently stops).
/// </summary>
public static class BgpStatus
{
    public const string V1RemovalWarning =
        "Cilium ≥ 1.19 removes the BGPv1 API (CiliumBGPPeeringPolicy): migrate to BGPv2 (CiliumBGPClusterConfig) before upgrading, or advertising stops.";

    public const string BothApisWarning =
        "Both BGPv1 (CiliumBGPPeeringPolicy) and BGPv2 (CiliumBGPClusterConfig) objects exist: Cilium applies the PeeringPolicy and ignores BGPv2 on the nodes it selects; do not use both.";

    public static BgpStatusReport Evaluate(ClusterState state)
    {
        var policies = state.Items(Kinds.BgpPeeringPolicy).ToList();
        var clusterConfigs = state.Items(Kinds.BgpClusterConfig).ToList();
        var nodeConfigs = state.Items(Kinds.BgpNodeConfig).ToList();
        var peers = nodeConfigs.SelectMany(n => n.Details is BgpDetails { Api: BgpApi.V2 } d ? d.Peers : []).ToList();
        var established = peers.Count(p => p.Established);
        var neighbours = policies.Sum(p => p.Details is BgpDetails d ? d.Peers.Length : 0);
        var hasV1 = policies.Count > 0;
        var hasV2 = clusterConfigs.Count > 0 || nodeConfigs.Count > 0;
        var warnings = ImmutableArray.CreateBuilder<string>();
        if (hasV1) warnings.Add(V1RemovalWarning);

        if (hasV1)
        {
            var names = string.Join(", ", policies.Select(p => p.Meta.Name).Order(StringComparer.Ordinal));
            var sessions = state.Slice(Kinds.BgpSession);
            var metrics = sessions.Items.Values.Select(i => i.Details).OfType<BgpSessionDetails>().ToList();
            if (sessions.Freshness.State == FeedState.Live && metrics.Count > 0)
            {
                var up = metrics.Count(m => m.Up);
                if (hasV2) warnings.Add(BothApisWarning);
                return new BgpStatusReport(ActiveBgpApi.V1, "BGPv1 · CiliumBGPPeeringPolicy", true, up, metrics.Count, neighbours,
                    $"BGPv1 is active: CiliumBGPPeeringPolicy {names} configures {neighbours} neighbour(s); {up}/{metrics.Count} sessions " +
                    $"established, as the Cilium agents report them ({BgpSessionMetrics.Metric}, read from Prometheus).",
                    warnings.ToImmutable()) { FromMetrics = true };
            }
            var text = $"BGPv1 is active: CiliumBGPPeeringPolicy {names} configures {neighbours} neighbour(s). Only the configuration is known: " +
                       "a PeeringPolicy has no status, so session state is not in the API, and " + MetricsMissing(sessions) +
                       " (read it with `cilium-dbg bgp peers` in the Cilium agent pods, or migrate to BGPv2, whose CiliumBGPNodeConfig.status reports live sessions).";
            if (hasV2)
            {
                warnings.Add(BothApisWarning);
                if (peers.Count > 0)
                    text += $" CiliumBGPNodeConfig objects report {established}/{peers.Count} sessions established, but while the " +
                            "PeeringPolicy wins they do not describe the sessions that run.";
            }
            return new BgpStatusReport(ActiveBgpApi.V1, "BGPv1 · CiliumBGPPeeringPolicy", false, established, peers.Count, neighbours,
                text, warnings.ToImmutable());
        }

        if (hasV2)
        {
            var withStatus = nodeConfigs.Count(n => n.Details is BgpDetails { Peers.Length: > 0 });
            var known = peers.Count > 0;
            var text = known
                ? $"BGPv2 is active: {established}/{peers.Count} sessions established, as the Cilium agents report them in " +
                  $"CiliumBGPNodeConfig.status ({withStatus} of {nodeConfigs.Count} nodes reporting)."
                : nodeConfigs.Count == 0
                    ? "BGPv2 is configured (CiliumBGPClusterConfig) but no CiliumBGPNodeConfig exists yet: no node runs it, so no session state is known."
                    : "BGPv2 is configured, but no CiliumBGPNodeConfig reports sessions in its status: only the configuration is known " +
                      "(status reporting may be disabled: bgpControlPlane.statusReport).";
            return new BgpStatusReport(ActiveBgpApi.V2, "BGPv2 · CiliumBGPClusterConfig", known, established, peers.Count, 0,
                text, warnings.ToImmutable());
        }

        return new BgpStatusReport(ActiveBgpApi.None, "no BGP configuration found", false, 0, 0, 0,
            "No CiliumBGPPeeringPolicy and no BGPv2 object: BGP is not configured (or its CRDs are not installed), so LoadBalancer addresses are not advertised.",
            warnings.ToImmutable());
    }

    /// <summary>Why the agents' session metrics are not known, naming what is missing.</summary>
    public static string MetricsMissing(KindSlice sessions) => sessions.Freshness.State switch
    {
        FeedState.NotInstalled => $"the agents' metrics are not read ({sessions.Freshness.LastError ?? "Cluster:Bgp:PrometheusUrl is not set"}; " +
                                  "see README, \"BGP session state\")",
        FeedState.Live => $"Prometheus has no {BgpSessionMetrics.Metric} series (needs the Cilium Helm values bgpControlPlane.enabled, " +
                          "prometheus.enabled and prometheus.serviceMonitor.enabled, and kube-prometheus-stack selecting that ServiceMonitor)",
        FeedState.Connecting => "the agents' metrics have not been read from Prometheus yet",
        _ => $"the agents' metrics cannot be read from Prometheus ({sessions.Freshness.LastError ?? sessions.Freshness.State.ToString()})",
    };
}
