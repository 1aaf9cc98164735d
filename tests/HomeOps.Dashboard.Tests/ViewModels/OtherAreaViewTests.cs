using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Tests.TestData;
using HomeOps.Dashboard.ViewModels;

namespace HomeOps.Dashboard.Tests.ViewModels;

public class LonghornViewTests
{
    [Theory]
    [InlineData("attached", "healthy", VolumeBucket.Healthy)]
    [InlineData("attached", "degraded", VolumeBucket.Degraded)]
    [InlineData("detached", "faulted", VolumeBucket.Faulted)]
    [InlineData("detached", "unknown", VolumeBucket.Detached)]
    [InlineData("attaching", "unknown", VolumeBucket.Other)]
    public void Volumes_fall_into_robustness_buckets(string state, string robustness, VolumeBucket expected) =>
        Assert.Equal(expected, LonghornRollup.BucketOf(state, robustness));

    [Fact]
    public void Summary_counts_buckets_and_ok_volumes_and_reports_disk_usage_per_node()
    {
        var state = ClusterFixture.HomeOps().With(
            Snap.Volume("pvc-degraded", robustness: "degraded"),
            Snap.Volume("pvc-faulted", state: "detached", robustness: "faulted")).BuildState();
        var s = LonghornView.Summarize(state);
        Assert.Equal("3/5", s.Count);   // 2 healthy + 1 detached idle
        Assert.Equal(2, s[VolumeBucket.Healthy]);
        Assert.Equal(1, s[VolumeBucket.Degraded]);
        Assert.Equal(1, s[VolumeBucket.Faulted]);
        Assert.Equal(1, s[VolumeBucket.Detached]);
        Assert.Equal(HealthStatus.Failed, s.Health);
        Assert.Equal(["mini01", "mini02", "mini03"], s.Nodes.Select(n => n.Name));
        Assert.Equal(0.95, s.Nodes[2].UsedFraction, 3);
    }

    [Fact]
    public void Volume_rows_show_pvc_and_are_worst_first()
    {
        var state = ClusterFixture.HomeOps().With(Snap.Volume("pvc-degraded", robustness: "degraded")).BuildState();
        var rows = LonghornView.Volumes(state);
        Assert.Equal("pvc-degraded", rows[0].Name);
        Assert.Equal("row-volume-pvc-postgres", rows.Single(r => r.Name == "pvc-postgres").TestId);
        Assert.Equal("postgresql-system/pg-1", rows.Single(r => r.Name == "pvc-postgres").Pvc);
    }
}

public class BgpViewTests
{
    [Fact]
    public void With_both_apis_the_policy_is_active_and_node_config_status_is_not_counted_as_live()
    {
        var state = ClusterFixture.HomeOps().BuildState();   // home-ops: the v1 policy plus (stale) BGPv2 node configs
        var s = BgpView.Summarize(state);
        Assert.Equal("?/3", s.Count);
        Assert.False(s.SessionStateKnown);
        Assert.Equal(HealthStatus.Unknown, s.Health);
        Assert.Contains("CiliumBGPPeeringPolicy", s.ActiveApi);
        Assert.Contains("overrides the CiliumBGPNodeConfig status", s.SessionSource);
        Assert.Equal([BgpStatus.V1RemovalWarning, BgpStatus.BothApisWarning], s.Warnings);   // v1 in use: warn before Cilium 1.19
    }

    [Fact]
    public void Sessions_come_from_node_config_status_when_bgpv2_is_active()
    {
        var state = new ClusterFixture().With(Snap.Node("mini01"), Snap.Node("mini02"), Snap.Node("mini03"),
            Snap.BgpNodeConfig("mini01"), Snap.BgpNodeConfig("mini02"), Snap.BgpNodeConfig("mini03")).BuildState();
        var s = BgpView.Summarize(state);
        Assert.Equal("3/3", s.Count);
        Assert.True(s.SessionStateKnown);
        Assert.Equal(HealthStatus.Healthy, s.Health);
        Assert.Contains("CiliumBGPNodeConfig status", s.SessionSource);
        Assert.Empty(s.Warnings);
    }

    [Fact]
    public void A_dropped_session_is_counted_and_fails_the_area()
    {
        var state = new ClusterFixture().With(Snap.Node("mini01"), Snap.Node("mini02"), Snap.Node("mini03"),
            Snap.BgpNodeConfig("mini01"), Snap.BgpNodeConfig("mini02", "active"), Snap.BgpNodeConfig("mini03")).BuildState();
        var s = BgpView.Summarize(state);
        Assert.Equal("2/3", s.Count);
        Assert.Equal(HealthStatus.Failed, s.Health);
        var down = BgpView.Sessions(state)[0];
        Assert.Equal("mini02", down.Node);
        Assert.Equal("row-bgppeer-mini02-172.29.51.1", down.TestId);
        Assert.Contains("BGPv2", s.ActiveApi);
        Assert.Empty(s.Warnings);
    }

    [Fact]
    public void With_only_the_v1_policy_session_state_is_honestly_unknown()
    {
        var state = new ClusterFixture().With(Snap.Node("mini01"), Snap.Node("mini02"), Snap.Node("mini03"), Snap.PeeringPolicy()).BuildState();
        var s = BgpView.Summarize(state);
        Assert.False(s.SessionStateKnown);
        Assert.Equal("?/3", s.Count);   // 1 neighbour × 3 selected nodes, state not in the API
        Assert.Equal(HealthStatus.Unknown, s.Health);
        Assert.Contains("no status", s.SessionSource);
    }
}

public class AuthentikViewTests
{
    [Fact]
    public void Outposts_healthy_count_and_api_token_expiry_in_days()
    {
        var now = Snap.T0;
        var state = new ClusterFixture().With(
            Snap.Outpost("k8s-external-proxy-outpost"),
            Snap.Outpost("radius-outpost", Snap.V(HealthStatus.Failed, "NotReporting", "no instance reported")),
            Snap.Token("recovery-x", now.AddDays(1), intent: "recovery"),
            Snap.Token("api-later", now.AddDays(90)),
            Snap.Token("api-soon", now.AddDays(5).AddHours(2), verdict: Snap.V(HealthStatus.Degraded, "ExpiringSoon"))).BuildState();
        var s = AuthentikView.Summarize(state, now);
        Assert.Equal("1/2", s.Count);
        Assert.Equal(HealthStatus.Failed, s.Health);
        Assert.Equal("api-soon", s.ApiToken!.Identifier);
        Assert.Equal(5, s.ApiToken.DaysLeft);
        Assert.Equal("expires in 5 d", s.ApiToken.ExpiryText);
        Assert.Equal("radius-outpost", Assert.Single(s.Problems).Name);
    }

    [Fact]
    public void Expired_and_non_expiring_tokens_read_as_such()
    {
        var rows = AuthentikView.Tokens(new ClusterFixture().With(
            Snap.Token("old", Snap.T0.AddDays(-3)), Snap.Token("forever", null)).BuildState(), Snap.T0);
        Assert.Equal("expired 3 d ago", rows.Single(t => t.Identifier == "old").ExpiryText);
        Assert.Equal("does not expire", rows.Single(t => t.Identifier == "forever").ExpiryText);
    }

    [Fact]
    public void Version_drift_is_visible_per_outpost()
    {
        var row = Assert.Single(AuthentikView.Outposts(new ClusterFixture().With(Snap.Outpost("proxy", outdated: true)).BuildState()));
        Assert.True(row.Outdated);
        Assert.Equal("2025.12.5", row.VersionShould);
        Assert.Equal("row-outpost-proxy", row.TestId);
    }
}

public class AreaFreshnessTests
{
    private static readonly DateTimeOffset Now = Snap.T0;

    [Fact]
    public void The_least_trustworthy_feed_wins_and_not_installed_kinds_are_ignored()
    {
        var live = new Freshness(FeedState.Live, true, Now, Now, 0, null, Now);
        var missing = new Freshness(FeedState.NotInstalled, true, Now, Now, 0, null, Now);
        var reconnecting = new Freshness(FeedState.Reconnecting, true, Now, Now, 2, "stream closed", Now.AddSeconds(-12));
        Assert.Equal(FeedState.Live, AreaFreshness.Combine([missing, live, missing]).State);
        var worst = AreaFreshness.Combine([live, reconnecting, missing]);
        Assert.Equal("stale: API unreachable since 12 s (watch reconnecting)", worst.Describe(Now));
        Assert.Equal(FeedState.NotInstalled, AreaFreshness.Combine([missing]).State);
    }

    [Fact]
    public void Among_polled_feeds_the_oldest_success_is_shown()
    {
        var a = new Freshness(FeedState.Live, true, Now.AddSeconds(-3), Now, 0, null, Now, Polled: true);
        var b = new Freshness(FeedState.Live, true, Now.AddSeconds(-9), Now, 0, null, Now, Polled: true);
        Assert.Equal("updated 9 s ago", AreaFreshness.Combine([a, b]).Describe(Now));
    }
}

public class FormatTests
{
    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(512L, "512 B")]
    [InlineData(1536L, "1.5 KiB")]
    [InlineData(10L << 30, "10 GiB")]
    [InlineData(1_000_000_000_000L, "931 GiB")]
    public void Bytes_use_binary_units(long bytes, string expected) => Assert.Equal(expected, Format.Bytes(bytes));

    [Theory]
    [InlineData("main@sha1:0123456789abcdef", "main@sha1:0123456")]
    [InlineData("main/0123456789abcdef0123", "main/0123456")]
    [InlineData("1.10.1", "1.10.1")]
    [InlineData("", "—")]
    public void Revisions_are_shortened(string revision, string expected) => Assert.Equal(expected, Format.ShortRevision(revision));

    [Fact]
    public void Worst_first_orders_by_severity_then_name()
    {
        var items = new[] { ("b", HealthStatus.Healthy), ("a", HealthStatus.Suspended), ("c", HealthStatus.Unknown), ("d", HealthStatus.Failed), ("e", HealthStatus.Degraded) };
        Assert.Equal(["d", "e", "c", "a", "b"], HealthOrder.WorstFirst(items, i => i.Item2, i => i.Item1).Select(i => i.Item1));
    }
}
