using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Tests.TestData;
using HomeOps.Dashboard.ViewModels;

namespace HomeOps.Dashboard.Tests.ViewModels;

public class NodesViewTests
{
    private static readonly string[] Expected = ["mini01", "mini02", "mini03"];

    [Fact]
    public void All_three_ready_is_3_of_3_healthy()
    {
        var state = ClusterFixture.HomeOps().BuildState();
        var s = NodesView.Summarize(state, Expected);
        Assert.Equal("3/3", s.Count);
        Assert.Equal(HealthStatus.Healthy, s.Health);
        Assert.Empty(s.Missing);
    }

    [Theory]
    [InlineData("False")]
    [InlineData("Unknown")]
    public void A_node_whose_Ready_condition_is_not_True_is_not_counted(string ready)
    {
        var state = new ClusterFixture().With(Snap.Node("mini01"), Snap.Node("mini02", ready), Snap.Node("mini03")).BuildState();
        var s = NodesView.Summarize(state, Expected);
        Assert.Equal("2/3", s.Count);
        Assert.Equal(HealthStatus.Failed, s.Health);
        Assert.Equal("mini02", Assert.Single(s.NotReady).Name);
    }

    [Fact]
    public void Ready_is_read_from_the_condition_not_from_text_that_contains_Ready()
    {
        // The verdict text says "NotReady" and another condition mentions Ready: only the Ready condition counts.
        var node = Snap.Node("mini01", "True", verdict: Snap.V(HealthStatus.Degraded, "NotReadyLater", "was NotReady"),
            extra: [Snap.Cond("ReadyForMaintenance", "False")]);
        var state = new ClusterFixture().With(node, Snap.Node("mini02"), Snap.Node("mini03")).BuildState();
        Assert.Equal("3/3", NodesView.Summarize(state, Expected).Count);
    }

    [Fact]
    public void A_missing_expected_node_is_reported_and_counted()
    {
        var state = new ClusterFixture().With(Snap.Node("mini01"), Snap.Node("mini02")).BuildState();
        var s = NodesView.Summarize(state, Expected);
        Assert.Equal("2/3", s.Count);
        Assert.Equal(["mini03"], s.Missing);
        Assert.Equal(HealthStatus.Failed, s.Health);
        var row = NodesView.Rows(state, Expected)[0];
        Assert.True(row.Missing);
        Assert.Equal("row-node-mini03", row.TestId);
    }

    [Fact]
    public void An_extra_node_raises_the_total()
    {
        var state = ClusterFixture.HomeOps().With(Snap.Node("mini04")).BuildState();
        Assert.Equal("4/4", NodesView.Summarize(state, Expected).Count);
    }

    [Fact]
    public void Before_the_first_sync_the_tile_is_unknown_and_claims_no_missing_nodes()
    {
        var store = new HomeOps.Cluster.State.ClusterStore(new ClusterFixture().Time);   // nothing dispatched: Connecting
        var s = NodesView.Summarize(store.Value, Expected);
        Assert.Equal("0/3", s.Count);
        Assert.Equal(HealthStatus.Unknown, s.Health);
        Assert.Empty(s.Missing);
    }

    [Fact]
    public void Rows_carry_both_internal_ips_versions_and_roles_worst_first()
    {
        var state = new ClusterFixture().With(Snap.Node("mini01"), Snap.Node("mini02", "False"), Snap.Node("mini03")).BuildState();
        var rows = NodesView.Rows(state, Expected);
        Assert.Equal("mini02", rows[0].Name);
        var r = rows.Single(x => x.Name == "mini01");
        Assert.Equal(["172.29.51.11", "fd47:25e1:2f96:51::11"], r.InternalIps);
        Assert.Equal("v1.10.5", r.TalosVersion);
        Assert.Equal("v1.31.1", r.KubeletVersion);
        Assert.Equal(["control-plane"], r.Roles);
        Assert.Contains(rows[0].Taints, t => t.Key == "node.kubernetes.io/not-ready");
    }
}
