using System.Collections.Immutable;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Talos;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Guards;
using HomeOps.Operations.Tests.Support;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Tests;

/// <summary>
/// Issue 15: the pre-flight's quorum check uses etcd's membership and health from the Talos feed, not Node Ready; when
/// the feed is unavailable it says so and falls back to Node Ready explicitly.
/// </summary>
public sealed class PreflightEtcdQuorumTests
{
    private static readonly WorkflowCatalog Catalog = new(GateRegistry.CreateDefault());

    private static PreflightReport Compute(string workflow, ClusterBuilder b, string nodes, TalosReport? talos)
    {
        var def = Catalog.Find(workflow)!;
        var state = b.Build();
        Assert.Empty(InputValidator.Validate(def, new Dictionary<string, string?> { ["nodes"] = nodes }, state, out var p));
        return new PreflightCalculator("elsewhere", TimeSpan.FromDays(8), talos is null ? null : () => talos).Compute(def, p, state, DateTimeOffset.UtcNow);
    }

    /// <summary>A live Talos report whose etcd lists these voting members (by hostname), healthy or not.</summary>
    private static TalosReport Live(params (string Host, bool Healthy)[] members)
    {
        var now = DateTimeOffset.UtcNow;
        var healthy = members.Where(m => m.Healthy).Select(m => m.Host).ToImmutableArray();
        var quorum = new EtcdQuorum(true, members.Length, healthy.Length, healthy,
            $"{healthy.Length} of {members.Length} voting etcd members healthy (quorum needs {members.Length / 2 + 1})");
        var etcd = new EtcdView([.. members.Select((m, i) => new EtcdMember($"m{i}", m.Host, "", false))], [], "m0", [], quorum);
        return new TalosReport(new Freshness(FeedState.Live, true, now, now, 0, null, now, Polled: true), now, [], etcd,
            new Verdict(HealthStatus.Healthy, "Healthy", ""));
    }

    private static PreflightItem Quorum(PreflightReport r) => Assert.Single(r.Items, i => i.Check == "quorum");

    [Fact]
    public void Three_nodes_ready_but_an_unhealthy_etcd_member_blocks_a_reset_that_node_ready_would_allow()
    {
        var talos = Live(("mini01", true), ("mini02", true), ("mini03", false));
        var r = Compute(WorkflowIds.SafeReset, ClusterBuilder.HomeOps(), "mini01", talos);
        Assert.True(r.IsBlocked, r.Summary);
        var q = Quorum(r);
        Assert.Equal(PreflightSeverity.Blocking, q.Severity);
        Assert.Contains("leaves 1 of 3 voting etcd members healthy (quorum needs 2)", q.Message);
        Assert.Contains("from Talos etcd status: 2 of 3 voting etcd members healthy", q.Message);

        // The same cluster judged by Node Ready alone (no Talos feed) would have let it through: the difference is the point.
        var byNodes = Compute(WorkflowIds.SafeReset, ClusterBuilder.HomeOps(), "mini01", null);
        Assert.Equal(PreflightSeverity.Info, Quorum(byNodes).Severity);
    }

    [Fact]
    public void Etcd_healthy_on_three_members_keeps_quorum_even_when_kubernetes_says_a_node_is_not_ready()
    {
        var b = ClusterBuilder.HomeOps().Node("mini03", "False", "172.29.51.13", "KubeletNotReady");
        var r = Compute(WorkflowIds.SafeReset, b, "mini01", Live(("mini01", true), ("mini02", true), ("mini03", true)));
        var q = Quorum(r);
        Assert.Equal(PreflightSeverity.Info, q.Severity);
        Assert.Contains("etcd quorum kept: 2 of 3 voting etcd members stay healthy while resetting mini01", q.Message);
        Assert.DoesNotContain("FALLBACK", q.Message);
    }

    [Fact]
    public void A_stale_talos_feed_falls_back_to_node_ready_and_says_so()
    {
        var live = Live(("mini01", true), ("mini02", true), ("mini03", true));
        var stale = live with { Freshness = live.Freshness with { State = FeedState.Reconnecting, LastError = "talosctl version did not answer within 15 s" } };
        var q = Quorum(Compute(WorkflowIds.SafeReset, ClusterBuilder.HomeOps(), "mini02", stale));
        Assert.Contains("2 of 3 control-plane nodes stay Ready", q.Message);
        Assert.Contains("FALLBACK: etcd membership is estimated from control-plane nodes' Node Ready, because the Talos etcd status is not available (the Talos feed is unreachable since", q.Message);
        Assert.Contains("did not answer within 15 s", q.Message);
    }

    [Fact]
    public void No_talos_feed_or_a_feed_not_configured_is_named_in_the_fallback()
    {
        var none = Quorum(Compute(WorkflowIds.SafeReset, ClusterBuilder.HomeOps(), "mini02", null));
        Assert.Contains("FALLBACK", none.Message);
        Assert.Contains("(no Talos feed in this process)", none.Message);

        var off = Quorum(Compute(WorkflowIds.SafeReset, ClusterBuilder.HomeOps(), "mini02", TalosReport.NotConfigured("Talos:Enabled is false", DateTimeOffset.UtcNow)));
        Assert.Contains("(the Talos feed is not configured (Talos:Enabled is false))", off.Message);
    }

    [Fact]
    public void A_rolling_reboot_is_judged_one_node_at_a_time_against_etcd()
    {
        // mini03's member is already unhealthy: rebooting mini01 (then mini02) leaves 1 healthy member at the worst moment.
        var r = Compute(WorkflowIds.SafeReboot, ClusterBuilder.HomeOps(), "mini01,mini02", Live(("mini01", true), ("mini02", true), ("mini03", false)));
        Assert.True(r.IsBlocked, r.Summary);
        Assert.Contains("rebooting mini01 leaves 1 of 3 voting etcd members healthy", Quorum(r).Message);
    }
}
