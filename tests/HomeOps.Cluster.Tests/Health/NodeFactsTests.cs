using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>
/// The derived node facts (Ready, InternalIPv4, control-plane) are decoded once onto <see cref="NodeDetails"/>; the
/// Nodes rollup, the Nodes view and the operation gates read them from there instead of re-deriving them.
/// </summary>
public sealed class NodeFactsTests
{
    private static NodeDetails Decode(string file, out ResourceSnapshot snap)
    {
        snap = ResourceDecoder.TryDecode(Fixtures.Load(file), FixtureVerdictTable.Now)!;
        return Assert.IsType<NodeDetails>(snap.Details);
    }

    [Fact]
    public void AReadyDualStackControlPlaneNodeCarriesItsFacts()
    {
        var d = Decode("talos-node/node-ready-talos-v1.7.2-dualstack-synth.json", out var snap);
        Assert.True(d.Ready);
        Assert.Equal("True", d.ReadyStatus);
        Assert.Equal("Ready=True (KubeletReady)", d.DescribeReady);
        Assert.Equal("192.168.13.11", d.InternalIPv4); // the v4 one of two InternalIP entries
        Assert.True(d.ControlPlane);
        Assert.Equal(d.ReadyStatus, NodesRollup.ReadyStatusOf(snap));
    }

    [Fact]
    public void ANotReadyNodeSaysWhy()
    {
        var d = Decode("talos-node/node-notready-runtime-down-talos-v1.9.0-synth.json", out var snap);
        Assert.False(d.Ready);
        Assert.Equal("False", d.ReadyStatus);
        Assert.Equal("Ready=False (KubeletNotReady)", d.DescribeReady);
        Assert.Equal("10.0.0.10", d.InternalIPv4);
        Assert.Equal("False", NodesRollup.ReadyStatusOf(snap));
    }

    [Fact]
    public void ANodeWithoutReadyConditionOrIPv4IsNeitherReadyNorAddressed()
    {
        var obj = System.Text.Json.JsonDocument.Parse(
            """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n","labels":{"node-role.kubernetes.io/worker":""}},"status":{"addresses":[{"type":"InternalIP","address":"fd00::1"}],"conditions":[{"type":"NotReady","status":"True"}]}}""")
            .RootElement.Clone();
        var d = Assert.IsType<NodeDetails>(ResourceDecoder.TryDecode(obj, FixtureVerdictTable.Now)!.Details);
        Assert.Null(d.ReadyCondition); // found by type: "NotReady" is not "Ready"
        Assert.False(d.Ready);
        Assert.Equal("Unknown", d.ReadyStatus);
        Assert.Equal("no Ready condition", d.DescribeReady);
        Assert.Null(d.InternalIPv4);
        Assert.False(d.ControlPlane);
    }
}
