using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Reports;
using HomeOps.Cluster.Talos;
using static HomeOps.Cluster.Tests.Talos.TalosFacts;

namespace HomeOps.Cluster.Tests.Talos;

/// <summary>
/// Issue 15: the Talos and etcd facts are part of the one Nodes verdict. The Talos feed's report, published into the store
/// (<see cref="TalosSnapshots.Actions"/>), makes the Nodes rollup — and so the tile, <c>/api/v1/health</c>, the hub, the
/// problem list and /metrics, which all read it — say what Talos said: a node Talos cannot reach, one running for Talos
/// but NotReady for Kubernetes, one in maintenance mode, an etcd member not healthy, an etcd alarm, no quorum. A feed that
/// fails is Unknown (not healthy, not failed); one not configured adds nothing and says why.
/// </summary>
public sealed class TalosInNodesAreaTests
{
    private static readonly string[] NoExpected = [];

    private static NodesRollup Nodes(TalosReport? talos, params string[] ready) => AreaRollups.Nodes(StoreWith(talos, ready), NoExpected);

    [Fact]
    public void All_running_and_etcd_healthy_keeps_the_area_healthy_and_says_what_talos_said()
    {
        var rollup = Nodes(AllHealthy());
        Assert.Equal(HealthStatus.Healthy, rollup.Health);
        Assert.Equal(HealthStatus.Healthy, rollup.Talos.Health);
        Assert.Contains("3 node(s) running", rollup.Talos.Summary);
        Assert.Contains("3 of 3 voting etcd members healthy", rollup.Talos.Summary);
        Assert.Empty(rollup.Talos.Problems);
    }

    [Fact]
    public void A_node_talos_cannot_reach_fails_the_area_although_kubernetes_still_says_ready()
    {
        var state = StoreWith(Live([Node(0), Node(1, reachable: false), Node(2)], Etcd(unhealthy: [1])));
        var rollup = AreaRollups.Nodes(state, NoExpected);
        Assert.Equal(HealthStatus.Failed, rollup.Health);
        Assert.Equal("3/3", rollup.Count);

        // The same verdict reaches the problem list and the API's area and entries.
        var problems = ProblemReport.From(state, NoExpected, Now);
        var p = Assert.Single(problems.Problems, p => p.KindKey == Kinds.TalosNode.Key);
        Assert.Equal(("Nodes", "mini02", HealthStatus.Failed, "TalosUnreachable"), (p.Area, p.Name, p.Health, p.Reason));
        Assert.Contains("Kubernetes still reports it Ready", p.Message);
        Assert.Contains(problems.Problems, q => q.KindKey == Kinds.Etcd.Key && q.Reason == "EtcdMemberUnhealthy");
        var health = HealthReport.From(state, NoExpected, Now);
        Assert.Equal("Failed", health.Areas.Single(a => a.Area == "Nodes").Worst);
        Assert.Contains(health.Entries, e => e.Kind == "TalosNode" && e.Name == "mini02" && e.Health == "Failed");
    }

    [Fact]
    public void A_node_talos_says_is_running_while_kubernetes_says_notready_is_named_as_such()
    {
        var state = StoreWith(Live([Node(0), Node(1, kubernetesReady: "False"), Node(2)], Etcd()), "True", "False", "True");
        var problems = ProblemReport.From(state, NoExpected, Now);
        var talos = Assert.Single(problems.Problems, p => p.KindKey == Kinds.TalosNode.Key);
        Assert.Equal(("mini02", "KubernetesNotReady"), (talos.Name, talos.Reason));
        Assert.Contains("Talos running, services healthy, but Kubernetes NotReady", talos.Message);
        // The Kubernetes Node's own verdict is there too; the area is the worst of both.
        Assert.Contains(problems.Problems, p => p.KindKey == Kinds.Node.Key && p.Name == "mini02");
        Assert.Equal(HealthOrder.Worst(HealthStatus.Degraded, StoreWith(null, "True", "False", "True").Items(Kinds.Node).Single(n => n.Meta.Name == "mini02").Verdict.Health),
            AreaRollups.Nodes(state, NoExpected).Health);
    }

    [Fact]
    public void An_etcd_member_not_healthy_degrades_the_area_while_every_node_is_ready()
    {
        var rollup = Nodes(Live([Node(0), Node(1), Node(2, etcdRunning: false)], Etcd(unhealthy: [2])));
        Assert.Equal(HealthStatus.Degraded, rollup.Health);
        Assert.Equal("3/3", rollup.Count);
        Assert.Contains(rollup.Talos.Problems, p => p.Kind == Kinds.Etcd && p.Verdict.Reason == "EtcdMemberUnhealthy");
        Assert.Contains(rollup.Talos.Problems, p => p.Meta.Name == "mini03" && p.Verdict.Reason == "ServiceUnhealthy");
    }

    [Fact]
    public void An_etcd_alarm_degrades_the_area_and_is_named()
    {
        var rollup = Nodes(Live([Node(0), Node(1), Node(2)], Etcd(null, new EtcdAlarm(Ip(0), MemberId(0), "NOSPACE"))));
        Assert.Equal(HealthStatus.Degraded, rollup.Health);
        var etcd = Assert.Single(rollup.Talos.Problems);
        Assert.Equal("EtcdAlarm", etcd.Verdict.Reason);
        Assert.Contains($"NOSPACE on {MemberId(0)}", etcd.Verdict.Message);
    }

    [Fact]
    public void Etcd_without_quorum_fails_the_area()
    {
        var rollup = Nodes(Live([Node(0), Node(1, reachable: false), Node(2, reachable: false)], Etcd(unhealthy: [1, 2])));
        Assert.Equal(HealthStatus.Failed, rollup.Health);
        Assert.Contains(rollup.Talos.Problems, p => p.Kind == Kinds.Etcd && p.Verdict.Reason == "EtcdNoQuorum");
    }

    [Fact]
    public void A_node_in_maintenance_mode_is_a_fact_read_from_talos_and_degrades_the_area()
    {
        var rollup = Nodes(Live([Node(0), Node(1), Node(2, stage: "maintenance", kubernetesReady: "Unknown")], Etcd(unhealthy: [2])), "True", "True", "Unknown");
        var mini03 = Assert.Single(rollup.Talos.Problems, p => p.Kind == Kinds.TalosNode);
        Assert.Equal(("mini03", "Maintenance"), (mini03.Meta.Name, mini03.Verdict.Reason));
        Assert.Contains("maintenance mode (read from Talos)", rollup.Talos.Summary);
        Assert.NotEqual(HealthStatus.Healthy, rollup.Health);
    }

    [Fact]
    public void A_failing_feed_is_unknown_never_healthy_nor_failed_and_the_area_is_not_shown_live()
    {
        var live = AllHealthy();
        var failed = live with
        {
            Freshness = live.Freshness with { State = FeedState.Reconnecting, LastError = "talosctl version did not answer within 15 s", Since = Now },
            Nodes = [.. live.Nodes.Select(n => n with { Reachable = false, Verdict = TalosRules.FeedUnavailable(n, Now, "talosctl version did not answer within 15 s") })],
            Verdict = Verdict.Unknown("TalosUnreachable", "Talos unreachable since 12:00:00 UTC"),
        };
        var state = StoreWith(failed);
        var rollup = AreaRollups.Nodes(state, NoExpected);
        Assert.Equal(HealthStatus.Unknown, rollup.Health);
        Assert.Equal(FeedState.Reconnecting, rollup.Freshness.State);
        Assert.Contains("Talos not read: talosctl version did not answer within 15 s", rollup.Talos.Summary);
        // The stale objects carry no Failed verdict: the nodes were not found down, Talos was not read.
        Assert.All(state.Items(Kinds.TalosNode).Concat(state.Items(Kinds.Etcd)), s => Assert.Equal(HealthStatus.Unknown, s.Verdict.Health));
        // A Kubernetes problem still shows through as the worse verdict.
        Assert.Equal(HealthStatus.Failed, Nodes(failed, "True", "False", "True").Health);
    }

    [Fact]
    public void A_feed_that_never_answered_is_unknown_with_its_error()
    {
        var never = TalosReport.Connecting(Now) with
        {
            Freshness = new Freshness(FeedState.Error, false, null, null, 0, "talosctl could not run (Win32Exception)", Now, Polled: true),
        };
        var rollup = Nodes(never);
        Assert.Equal(HealthStatus.Unknown, rollup.Health);
        Assert.False(rollup.Freshness.IsLive);
        Assert.Contains("talosctl could not run", rollup.Talos.Summary);
    }

    [Fact]
    public void Talos_not_configured_or_not_polled_yet_adds_no_health_and_says_why()
    {
        var notConfigured = Nodes(TalosReport.NotConfigured("Talos:Enabled is false", Now));
        Assert.Equal(HealthStatus.Healthy, notConfigured.Health);
        Assert.False(notConfigured.Talos.Counts);
        Assert.Equal("Talos not read: Talos:Enabled is false", notConfigured.Talos.Summary);
        Assert.True(notConfigured.Freshness.IsLive);

        var notYet = Nodes(null);
        Assert.Equal(HealthStatus.Healthy, notYet.Health);
        Assert.Equal("Talos: not polled yet", notYet.Talos.Summary);
    }

    [Fact]
    public void The_nodes_area_metric_reads_the_same_rollup()
    {
        var state = StoreWith(Live([Node(0), Node(1), Node(2)], Etcd(null, new EtcdAlarm(Ip(0), MemberId(0), "NOSPACE"))));
        var text = HomeOps.Cluster.Metrics.HealthMetrics.Format(state, NoExpected, Now);
        Assert.Contains("homeops_area_health{area=\"Nodes\",health=\"Degraded\"} 1", text);
    }
}
