using HomeOps.Cluster.Sources;
using HomeOps.Cluster.Metrics;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using static HomeOps.Cluster.Tests.Metrics.MetricsState;

namespace HomeOps.Cluster.Tests.Metrics;

/// <summary>The formatter's output, read back with an independent strict parser and checked against the hand-built model.</summary>
public sealed class HealthMetricsTests
{
    private static readonly string Text = HealthMetrics.Format(Build(), ClusterOptions.DefaultExpectedNodes, Now);
    private static readonly IReadOnlyList<ExpositionFamily> Families = ExpositionParser.Parse(Text);

    [Fact]
    public void Every_line_is_a_sample_or_a_help_or_type_comment_and_every_family_is_typed()
    {
        foreach (var line in Text.Split('\n').Where(l => l.Length > 0))
            Assert.True(line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal) || line.StartsWith("homeops_", StringComparison.Ordinal),
                $"unexpected line: {line}");
        string[] expected =
        [
            "homeops_node_ready", "homeops_flux_ready", "homeops_flux_suspended", "homeops_object_health",
            "homeops_longhorn_volume_robustness", "homeops_longhorn_volume_info", "homeops_longhorn_volume_last_backup_age_seconds",
            "homeops_longhorn_disk_used_bytes", "homeops_longhorn_disk_maximum_bytes",
            "homeops_longhorn_backup_overdue", "homeops_longhorn_backup_max_age_seconds", "homeops_longhorn_backup_due_seconds",
            "homeops_longhorn_backup_policy_missing", "homeops_longhorn_backup_target_available", "homeops_bgp_session_state_known", "homeops_bgp_peer_established",
            "homeops_probe_success", "homeops_probe_duration_seconds", "homeops_probe_age_seconds", "homeops_probe_certificate_expiry_seconds",
            "homeops_authentik_outpost_healthy", "homeops_authentik_outpost_last_seen_age_seconds", "homeops_authentik_token_expiry_seconds",
            "homeops_source_live", "homeops_source_state", "homeops_source_last_event_age_seconds", "homeops_source_reconnects_total",
            "homeops_area_health", "homeops_area_ok", "homeops_area_total",
        ];
        Assert.Equal(expected, Families.Select(f => f.Name));
        Assert.All(Families, f => Assert.False(string.IsNullOrWhiteSpace(f.Help), $"{f.Name} has no HELP"));
        Assert.Equal("counter", Families.Family("homeops_source_reconnects_total").Type);
        Assert.All(Families.Where(f => f.Name != "homeops_source_reconnects_total"), f => Assert.Equal("gauge", f.Type));
    }

    [Fact]
    public void An_expected_node_that_is_not_registered_is_not_ready_and_counts_in_the_nodes_area()
    {
        Assert.Null(Families.Family("homeops_node_ready").Samples.FirstOrDefault(s => s.Labels.GetValueOrDefault("node") == "mini04"));
        var families = ExpositionParser.Parse(HealthMetrics.Format(Build(), ["mini01", "mini02", "mini03", "mini04"], Now));
        Assert.Equal(0, families.Value("homeops_node_ready", ("node", "mini04")));
        Assert.Equal(5, families.Value("homeops_area_total", ("area", "Nodes")));
        Assert.Equal(2, families.Value("homeops_area_ok", ("area", "Nodes")));   // mini01 and the hostile-named node are Ready
        Assert.Equal(1, families.Value("homeops_area_health", ("area", "Nodes"), ("health", "Failed")));
        Assert.Equal(0, families.Value("homeops_area_health", ("area", "Nodes"), ("health", "Healthy")));
    }

    [Fact]
    public void Node_ready_is_1_only_for_Ready_True()
    {
        Assert.Equal(1, Families.Value("homeops_node_ready", ("node", "mini01")));
        Assert.Equal(0, Families.Value("homeops_node_ready", ("node", "mini02")));
        Assert.Equal(0, Families.Value("homeops_node_ready", ("node", "mini03"))); // Unknown is not ready
    }

    [Fact]
    public void A_hostile_name_is_escaped_and_read_back_verbatim_without_forging_a_sample()
    {
        Assert.Equal(1, Families.Value("homeops_node_ready", ("node", HostileName)));
        Assert.Equal(4, Families.Family("homeops_node_ready").Samples.Count);
        Assert.DoesNotContain(Families.Family("homeops_node_ready").Samples, s => s.Label("node") == "forged");
        Assert.Contains("node=\"evil\\\"} 1\\nhomeops_node_ready{node=\\\"forged\\\\\"", Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Flux_ready_and_suspended_per_kustomization_and_helmrelease()
    {
        (string, string)[] sources = [("kind", "Kustomization"), ("namespace", "flux-system"), ("name", "infrastructure-sources")];
        (string, string)[] longhorn = [("kind", "Kustomization"), ("name", "infrastructure-longhorn")];
        (string, string)[] headlamp = [("kind", "Kustomization"), ("name", "apps-headlamp")];
        (string, string)[] release = [("kind", "HelmRelease"), ("namespace", "longhorn-system"), ("name", "longhorn")];
        Assert.Equal(1, Families.Value("homeops_flux_ready", sources));
        Assert.Equal(0, Families.Value("homeops_flux_ready", longhorn));
        Assert.Equal(0, Families.Value("homeops_flux_ready", release));
        Assert.Equal(0, Families.Value("homeops_flux_suspended", sources));
        Assert.Equal(1, Families.Value("homeops_flux_suspended", headlamp));
        Assert.Equal(1, Families.Value("homeops_flux_ready", headlamp));
        Assert.Equal(4, Families.Family("homeops_flux_ready").Samples.Count);
    }

    [Fact]
    public void Object_health_is_one_hot_with_the_verdict_for_every_object()
    {
        var state = Build();
        var samples = Families.Family("homeops_object_health").Samples;
        var objects = state.AllItems.ToList();
        Assert.Equal(objects.Count * Enum.GetValues<HealthStatus>().Length, samples.Count);
        foreach (var item in objects)
        {
            var mine = samples.Where(s => s.Label("group") == item.Kind.Group && s.Label("kind") == item.Kind.Kind &&
                                          s.Label("namespace") == (item.Meta.Namespace ?? "") && s.Label("name") == item.Meta.Name).ToList();
            Assert.Equal(Enum.GetNames<HealthStatus>().Order(), mine.Select(s => s.Label("health")).Order());
            Assert.Equal(item.Verdict.Health.ToString(), Assert.Single(mine, s => s.Value == 1).Label("health"));
        }
        // Node (core) and Node (longhorn.io) stay apart.
        Assert.Equal(1, Families.Value("homeops_object_health", ("group", "longhorn.io"), ("kind", "Node"), ("name", "mini01"), ("health", "Healthy")));
        Assert.Equal(1, Families.Value("homeops_object_health", ("group", ""), ("kind", "Node"), ("name", "mini02"), ("health", "Failed")));
    }

    [Fact]
    public void Longhorn_robustness_is_one_hot_and_unknown_covers_empty_values()
    {
        Assert.Equal(1, Families.Value("homeops_longhorn_volume_robustness", ("volume", "pvc-aaa"), ("robustness", "healthy")));
        Assert.Equal(1, Families.Value("homeops_longhorn_volume_robustness", ("volume", "pvc-bbb"), ("robustness", "degraded")));
        Assert.Equal(0, Families.Value("homeops_longhorn_volume_robustness", ("volume", "pvc-bbb"), ("robustness", "healthy")));
        Assert.Equal(1, Families.Value("homeops_longhorn_volume_robustness", ("volume", "pvc-ccc"), ("robustness", "faulted")));
        Assert.Equal(1, Families.Value("homeops_longhorn_volume_robustness", ("volume", "pvc-ddd"), ("robustness", "unknown")));
        Assert.Equal(16, Families.Family("homeops_longhorn_volume_robustness").Samples.Count);
        Assert.Equal(1, Families.Value("homeops_longhorn_volume_info", ("volume", "pvc-aaa"), ("pvc", "data-pvc-aaa"), ("storage_class", "longhorn-ssd")));
    }

    [Fact]
    public void Backup_age_is_seconds_since_the_last_backup_and_infinite_when_never()
    {
        Assert.Equal(TimeSpan.FromDays(1).TotalSeconds, Families.Value("homeops_longhorn_volume_last_backup_age_seconds", ("volume", "pvc-aaa")));
        Assert.Equal(TimeSpan.FromDays(9).TotalSeconds, Families.Value("homeops_longhorn_volume_last_backup_age_seconds", ("volume", "pvc-bbb")));
        Assert.Equal(double.PositiveInfinity, Families.Value("homeops_longhorn_volume_last_backup_age_seconds", ("volume", "pvc-ccc")));
        Assert.Contains("homeops_longhorn_volume_last_backup_age_seconds{volume=\"pvc-ccc\"} +Inf\n", Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Disk_usage_and_capacity_in_bytes_per_node_and_disk()
    {
        Assert.Equal(600_000_000_000, Families.Value("homeops_longhorn_disk_used_bytes", ("node", "mini01"), ("disk", "usb-ssd-1")));
        Assert.Equal(1_000_000_000_000, Families.Value("homeops_longhorn_disk_maximum_bytes", ("node", "mini01"), ("disk", "usb-ssd-1")));
        Assert.Equal(0, Families.Value("homeops_longhorn_disk_used_bytes", ("node", "mini01"), ("disk", "default-disk")));
        Assert.Contains("homeops_longhorn_disk_maximum_bytes{node=\"mini01\",disk=\"usb-ssd-1\"} 1000000000000\n", Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Bgp_sessions_are_not_exported_while_a_v1_policy_overrides_the_node_configs()
    {
        // The model holds the BGPv1 policy and BGPv2 node configs: Cilium applies the policy, so the node configs'
        // status does not describe the sessions that run — no series rather than a misleading one.
        Assert.Empty(Families.Family("homeops_bgp_peer_established").Samples);
        Assert.Equal(0, Families.Value("homeops_bgp_session_state_known", ("api", "V1")));
    }

    [Fact]
    public void Bgp_sessions_only_where_the_api_reports_them()
    {
        var v2Only = ClusterReducers.Reduce(Build(), new ResourcesReplaced(Kinds.BgpPeeringPolicy, [], Now));
        var families = ExpositionParser.Parse(HealthMetrics.Format(v2Only, ClusterOptions.DefaultExpectedNodes, Now));
        Assert.Equal(1, families.Value("homeops_bgp_session_state_known", ("api", "V2")));
        Assert.Equal(1, families.Value("homeops_bgp_peer_established", ("node", "mini01"), ("peer", "172.29.51.1")));
        Assert.Equal(0, families.Value("homeops_bgp_peer_established", ("node", "mini02"), ("peer", "172.29.51.1")));
        Assert.Equal(2, families.Family("homeops_bgp_peer_established").Samples.Count);
    }

    [Fact]
    public void Outposts_healthy_and_last_seen_age()
    {
        Assert.Equal(1, Families.Value("homeops_authentik_outpost_healthy", ("outpost", "k8s-external-proxy-outpost")));
        Assert.Equal(0, Families.Value("homeops_authentik_outpost_healthy", ("outpost", "radius-outpost")));
        Assert.Equal(12, Families.Value("homeops_authentik_outpost_last_seen_age_seconds", ("outpost", "k8s-external-proxy-outpost")));
        Assert.Equal(double.PositiveInfinity, Families.Value("homeops_authentik_outpost_last_seen_age_seconds", ("outpost", "radius-outpost")));
    }

    [Fact]
    public void Token_expiry_in_seconds_negative_when_expired_infinite_when_not_expiring()
    {
        Assert.Equal(TimeSpan.FromDays(3).TotalSeconds, Families.Value("homeops_authentik_token_expiry_seconds", ("identifier", "homeops-dashboard-api")));
        Assert.Equal(-3600, Families.Value("homeops_authentik_token_expiry_seconds", ("identifier", "expired-token")));
        Assert.Equal(double.PositiveInfinity, Families.Value("homeops_authentik_token_expiry_seconds", ("identifier", "forever")));
        Assert.DoesNotContain(Families.Family("homeops_authentik_token_expiry_seconds").Samples, s => s.Label("identifier") == "no-expiry-reported");
    }

    [Fact]
    public void Source_freshness_per_kind()
    {
        Assert.Equal(1, Families.Value("homeops_source_live", ("group", ""), ("kind", "Node")));
        Assert.Equal(0, Families.Value("homeops_source_live", ("group", "kustomize.toolkit.fluxcd.io"), ("kind", "Kustomization")));
        Assert.Equal(1, Families.Value("homeops_source_state", ("kind", "Kustomization"), ("state", "Reconnecting")));
        Assert.Equal(0, Families.Value("homeops_source_state", ("kind", "Kustomization"), ("state", "Live")));
        Assert.Equal(1, Families.Value("homeops_source_state", ("kind", "CiliumBGPClusterConfig"), ("state", "NotInstalled")));
        Assert.Equal(7, Families.Value("homeops_source_reconnects_total", ("kind", "Kustomization")));
        Assert.Equal(2, Families.Value("homeops_source_reconnects_total", ("group", ""), ("kind", "Node")));
        Assert.Equal(5, Families.Value("homeops_source_last_event_age_seconds", ("group", ""), ("kind", "Node")));
        Assert.Equal(60, Families.Value("homeops_source_last_event_age_seconds", ("kind", "Kustomization")));
        // Never synced: no age (an age since "never" would be a made-up number).
        Assert.DoesNotContain(Families.Family("homeops_source_last_event_age_seconds").Samples, s => s.Label("kind") == "CiliumBGPClusterConfig");
        // Every kind in the catalogue has a source series, Node and Longhorn Node apart.
        Assert.Equal(Kinds.All.Count, Families.Family("homeops_source_live").Samples.Count);
    }

    [Fact]
    public void The_same_state_gives_the_same_bytes_whatever_the_insertion_order()
    {
        Assert.Equal(Text, HealthMetrics.Format(Build(reverse: true), ClusterOptions.DefaultExpectedNodes, Now));
        var nodes = Families.Family("homeops_node_ready").Samples.Select(s => s.Label("node")).ToList();
        Assert.Equal(nodes.Order(StringComparer.Ordinal), nodes);
    }

    [Fact]
    public void An_empty_model_still_renders_every_family_with_help_and_type()
    {
        var empty = HealthMetrics.Format(HomeOps.Cluster.State.ClusterState.Initial(Now), ClusterOptions.DefaultExpectedNodes, Now);
        var families = ExpositionParser.Parse(empty);
        Assert.Equal(Families.Select(f => f.Name), families.Select(f => f.Name));
        Assert.Empty(families.Family("homeops_node_ready").Samples);
        Assert.Equal(Kinds.All.Count, families.Family("homeops_source_live").Samples.Count);
    }
}
