using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Metrics;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Cluster.Tests.Sources.Prometheus;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>
/// BGPv1 session state from the Cilium agents' <c>cilium_bgp_control_plane_session_state</c>, as Prometheus's HTTP API
/// answers it (fixtures: Sources/Prometheus/SOURCES.md): parsed into one session per node and neighbour, believed only
/// while the poll is live, and otherwise "unknown" with what is missing named.
/// </summary>
public sealed class BgpSessionMetricsTests
{
    private static IReadOnlyList<ResourceSnapshot> Parse(string json) => BgpSessionMetrics.Parse(JsonDocument.Parse(json).RootElement);

    private static bool IsV2(JsonObject o) =>
        o["kind"]?.GetValue<string>() is "CiliumBGPClusterConfig" or "CiliumBGPNodeConfig" or "CiliumBGPPeerConfig" or "CiliumBGPAdvertisement";

    /// <summary>The seeded cluster with only the v1 policy (home-ops today), plus the session slice in the given feed state.</summary>
    private static ClusterState V1With(string? json, FeedState feed = FeedState.Live, string? error = null)
    {
        var state = SeededState.Build(o => IsV2(o) ? null : o);
        if (json is not null) state = ClusterReducers.Reduce(state, new ResourcesReplaced(Kinds.BgpSession, Parse(json), SeededState.Now));
        return ClusterReducers.Reduce(state, new FreshnessChanged(Kinds.BgpSession,
            state.Slice(Kinds.BgpSession).Freshness with { State = feed, LastError = error, Polled = true, LastSyncAt = SeededState.Now }));
    }

    [Fact]
    public void Every_series_becomes_one_session_with_node_neighbour_and_asn_from_the_documented_labels()
    {
        var sessions = Parse(PrometheusFixtures.AllEstablished);

        Assert.Equal(["mini01", "mini02", "mini03"], sessions.Select(s => ((BgpSessionDetails)s.Details).Node));
        var first = (BgpSessionDetails)sessions[0].Details;
        Assert.Equal(("64513", "172.29.51.1", "64512", true), (first.VRouter, first.Neighbor, first.NeighborAsn, first.Up));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1796640000123), first.SampledAt);
        Assert.All(sessions, s => Assert.Equal((HealthStatus.Healthy, "Established"), (s.Verdict.Health, s.Verdict.Reason)));
        Assert.All(sessions, s => Assert.Same(Kinds.BgpSession, s.Kind));
    }

    [Fact]
    public void A_zero_is_a_session_down_and_Failed_and_the_label_set_without_neighbor_asn_still_reads()
    {
        var sessions = Parse(PrometheusFixtures.OneDown);

        var down = Assert.Single(sessions, s => !((BgpSessionDetails)s.Details).Up);
        Assert.Equal("mini03", ((BgpSessionDetails)down.Details).Node);
        Assert.Equal("172.29.51.1:179", ((BgpSessionDetails)down.Details).Neighbor);
        Assert.Equal((HealthStatus.Failed, "Down"), (down.Verdict.Health, down.Verdict.Reason));
    }

    [Fact]
    public void Two_Prometheus_replicas_give_one_session_up_if_either_saw_it_up()
    {
        var session = Assert.Single(Parse(PrometheusFixtures.TwoReplicas));
        Assert.True(((BgpSessionDetails)session.Details).Up);
    }

    [Fact]
    public void Without_the_node_label_the_agent_is_named_by_its_instance_host()
    {
        var session = Assert.Single(Parse(PrometheusFixtures.NoNodeLabel));
        Assert.Equal("172.29.51.12", ((BgpSessionDetails)session.Details).Node);
    }

    [Theory]
    [InlineData(PrometheusFixtures.BadData, "bad_data")]
    [InlineData(PrometheusFixtures.Matrix, "not an instant vector")]
    [InlineData("[1,2]", "not a JSON object")]
    public void An_error_envelope_or_a_wrong_result_type_is_an_error_with_Prometheus_own_message(string json, string expected)
    {
        var e = Assert.Throws<PrometheusQueryException>(() => Parse(json));
        Assert.Contains(expected, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Under_BGPv1_live_metrics_make_session_state_known_and_one_session_down_turns_the_area_Failed()
    {
        var state = V1With(PrometheusFixtures.OneDown);
        var report = BgpStatus.Evaluate(state);

        Assert.True(report.SessionStateKnown);
        Assert.True(report.FromMetrics);
        Assert.Equal((2, 3), (report.Established, report.Sessions));
        Assert.Contains("cilium_bgp_control_plane_session_state", report.Explanation);
        var rollup = AreaRollups.Bgp(state);
        Assert.Equal(HealthStatus.Failed, rollup.Health);
        Assert.Equal("2/3", rollup.Count);
        Assert.Contains("Prometheus", rollup.SessionSource);

        var metrics = HealthMetrics.Format(state, [], SeededState.Now);
        Assert.Contains("homeops_bgp_session_state_known{api=\"V1\"} 1", metrics);
        Assert.Contains("homeops_bgp_peer_established{node=\"mini03\",peer=\"172.29.51.1:179\"} 0", metrics);
        Assert.Contains("homeops_bgp_peer_established{node=\"mini01\",peer=\"172.29.51.1:179\"} 1", metrics);
    }

    [Fact]
    public void All_established_makes_the_BGPv1_area_Healthy_with_a_real_count()
    {
        var rollup = AreaRollups.Bgp(V1With(PrometheusFixtures.AllEstablished));
        Assert.Equal((HealthStatus.Healthy, "3/3"), (rollup.Health, rollup.Count));
    }

    [Fact]
    public void Not_configured_stays_unknown_and_names_the_missing_setting()
    {
        var state = V1With(null, FeedState.NotInstalled, "Cluster:Bgp:PrometheusUrl is not set");
        var report = BgpStatus.Evaluate(state);

        Assert.False(report.SessionStateKnown);
        Assert.Contains("Cluster:Bgp:PrometheusUrl is not set", report.Explanation);
        Assert.Contains("cilium-dbg bgp peers", report.Explanation);
        Assert.Equal(HealthStatus.Unknown, AreaRollups.Bgp(state).Health);
        Assert.Equal("?/3", AreaRollups.Bgp(state).Count);
    }

    [Fact]
    public void No_series_in_Prometheus_stays_unknown_and_names_the_Cilium_Helm_values()
    {
        var report = BgpStatus.Evaluate(V1With(PrometheusFixtures.Empty));

        Assert.False(report.SessionStateKnown);
        Assert.Contains("prometheus.serviceMonitor.enabled", report.Explanation);
        Assert.Contains("bgpControlPlane.enabled", report.Explanation);
    }

    [Fact]
    public void Stale_sessions_from_a_failing_poll_are_not_shown_as_live()
    {
        var state = V1With(PrometheusFixtures.AllEstablished, FeedState.Reconnecting, "Prometheus unreachable");
        var report = BgpStatus.Evaluate(state);

        Assert.False(report.SessionStateKnown);
        Assert.Contains("Prometheus unreachable", report.Explanation);
        Assert.Equal(HealthStatus.Unknown, AreaRollups.Bgp(state).Health);
    }

    [Fact]
    public void Under_BGPv2_the_node_config_status_stays_the_source_even_with_metrics_present()
    {
        var state = SeededState.Build(o => o["kind"]?.GetValue<string>() == "CiliumBGPPeeringPolicy" ? null : o);
        state = ClusterReducers.Reduce(state, new ResourcesReplaced(Kinds.BgpSession, Parse(PrometheusFixtures.OneDown), SeededState.Now));
        state = ClusterReducers.Reduce(state, new FreshnessChanged(Kinds.BgpSession, state.Slice(Kinds.BgpSession).Freshness with { State = FeedState.Live }));
        var report = BgpStatus.Evaluate(state);

        Assert.Equal(ActiveBgpApi.V2, report.Active);
        Assert.False(report.FromMetrics);
        Assert.Equal((3, 3), (report.Established, report.Sessions));
    }
}
