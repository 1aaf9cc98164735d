using HomeOps.Cluster.Metrics;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Talos;
using static HomeOps.Cluster.Tests.Talos.TalosFacts;

namespace HomeOps.Cluster.Tests.Metrics;

/// <summary>
/// The Talos feed's gauges (<see cref="TalosMetrics"/>, docs/metrics.md "Talos and etcd"), read back with the strict
/// exposition parser: etcd members, healthy members, quorum, leader and alarms; per node apid reachability, stage,
/// verdict and watched services. A report that is not live exports only <c>homeops_talos_feed_up 0</c>: stale values are
/// never scraped as current.
/// </summary>
public sealed class TalosMetricsTests
{
    private static IReadOnlyList<ExpositionFamily> Parse(TalosReport report) => ExpositionParser.Parse(TalosMetrics.Format(report));

    private static double Value(IReadOnlyList<ExpositionFamily> families, string name, params (string Label, string Value)[] labels) =>
        Assert.Single(families.Family(name).Samples, s => labels.All(l => s.Label(l.Label) == l.Value)).Value;

    [Fact]
    public void A_healthy_cluster_exports_three_healthy_voters_the_leader_and_every_node_and_service_up()
    {
        var f = Parse(AllHealthy());
        Assert.Equal(1, Value(f, "homeops_talos_feed_up"));
        Assert.Equal(3, Value(f, "homeops_etcd_members"));
        Assert.Equal(3, Value(f, "homeops_etcd_members_healthy"));
        Assert.Equal(2, Value(f, "homeops_etcd_quorum_needed"));
        Assert.Equal(1, Value(f, "homeops_etcd_has_leader"));
        Assert.Equal(1, Value(f, "homeops_etcd_leader", ("member", MemberId(0)), ("hostname", "mini01")));
        Assert.Empty(f.Family("homeops_etcd_alarm").Samples);
        foreach (var (name, i) in Names.Select((n, i) => (n, i)))
        {
            Assert.Equal(1, Value(f, "homeops_talos_node_reachable", ("node", name), ("ip", Ip(i))));
            Assert.Equal(1, Value(f, "homeops_talos_node_stage", ("node", name), ("stage", "running")));
            Assert.Equal(1, Value(f, "homeops_talos_node_ok", ("node", name)));
        }
        Assert.Equal(Names.Length * TalosPoll.WatchedServices.Length, f.Family("homeops_talos_service_healthy").Samples.Count);
        Assert.All(f.Family("homeops_talos_service_healthy").Samples, s => Assert.Equal(1, s.Value));
    }

    [Fact]
    public void An_unreachable_node_an_unhealthy_member_and_an_alarm_are_exported_as_such()
    {
        var report = Live([Node(0), Node(1, reachable: false), Node(2, etcdRunning: false)],
            Etcd([1, 2], new EtcdAlarm(Ip(0), MemberId(0), "NOSPACE")));
        var f = Parse(report);
        Assert.Equal(3, Value(f, "homeops_etcd_members"));
        Assert.Equal(0, Value(f, "homeops_etcd_members_healthy"));
        Assert.Equal(1, Value(f, "homeops_etcd_alarm", ("member", MemberId(0)), ("alarm", "NOSPACE")));
        Assert.Equal(0, Value(f, "homeops_talos_node_reachable", ("node", "mini02")));
        Assert.Equal(0, Value(f, "homeops_talos_node_ok", ("node", "mini02")));
        // Nothing was read from an unreachable node: no stage, no services for it (not zeros that look like facts).
        Assert.DoesNotContain(f.Family("homeops_talos_node_stage").Samples, s => s.Label("node") == "mini02");
        Assert.DoesNotContain(f.Family("homeops_talos_service_healthy").Samples, s => s.Label("node") == "mini02");
        Assert.Equal(0, Value(f, "homeops_talos_service_healthy", ("node", "mini03"), ("service", "etcd")));
        Assert.Equal(1, Value(f, "homeops_talos_service_healthy", ("node", "mini03"), ("service", "kubelet")));
    }

    [Fact]
    public void A_node_in_maintenance_mode_exports_its_stage_and_no_services()
    {
        var f = Parse(Live([Node(0), Node(1), Node(2, stage: "maintenance", kubernetesReady: "Unknown")], Etcd([2])));
        Assert.Equal(1, Value(f, "homeops_talos_node_stage", ("node", "mini03"), ("stage", "maintenance")));
        Assert.Equal(0, Value(f, "homeops_talos_node_ok", ("node", "mini03")));
        Assert.DoesNotContain(f.Family("homeops_talos_service_healthy").Samples, s => s.Label("node") == "mini03");
    }

    [Fact]
    public void A_report_that_is_not_live_exports_feed_down_and_no_stale_values()
    {
        var live = AllHealthy();
        var stale = live with { Freshness = live.Freshness with { State = FeedState.Reconnecting, LastError = "timeout" } };
        foreach (var report in new[] { stale, TalosReport.NotConfigured("Talos:Enabled is false", Now), TalosReport.Connecting(Now) })
        {
            var f = Parse(report);
            Assert.Equal(0, Value(f, "homeops_talos_feed_up"));
            Assert.All(f.Where(x => x.Name != "homeops_talos_feed_up"), x => Assert.Empty(x.Samples));
            // Every family is still described (HELP and TYPE), so a dashboard's queries find them.
            Assert.Equal(11, f.Count);
        }
    }

    [Fact]
    public void A_hostile_hostname_cannot_forge_a_sample()
    {
        var report = AllHealthy();
        var etcd = report.Etcd! with { Members = [.. report.Etcd!.Members.Select(m => m.Id == MemberId(0) ? m with { Hostname = "x\"} 1\nhomeops_etcd_members 99" } : m)] };
        var f = Parse(report with { Etcd = etcd });
        Assert.Equal(3, Value(f, "homeops_etcd_members"));
        Assert.Equal("x\"} 1\nhomeops_etcd_members 99", Assert.Single(f.Family("homeops_etcd_leader").Samples).Label("hostname"));
    }
}
