using Bunit;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Dashboard.Components.Controls.Tiles;
using HomeOps.Dashboard.Tests.TestData;

namespace HomeOps.Dashboard.Tests.Components;

/// <summary>The Network path tile maps the Cluster rollup of the probes to markup: worst health, "answering/targets", the silent VIP named.</summary>
public sealed class NetworkPathTileTests : DashboardTestContext
{
    private static ResourceSnapshot Probe(string target, string? failedStep, string detail) =>
        ProbeHealth.Snapshot(new ProbeDetails(target, ProbeSources.Vip, "ingress-nginx-internal/ingress-nginx-internal-controller",
            target.Split(':')[0], 443, "https", failedStep, detail, null, failedStep is null ? 200 : null, 12, null, Snap.T0));

    [Fact]
    public void A_VIP_that_does_not_answer_turns_the_tile_Failed_and_is_named_with_the_step_that_failed()
    {
        var store = UseCluster();
        store.Dispatch(new ResourcesReplaced(Kinds.ProbeTarget,
            [Probe("172.29.52.201:443", null, "HTTP 200"), Probe("172.29.52.200:443", ProbeSteps.Tcp, "TCP connect to 172.29.52.200:443 failed: connection refused")],
            Snap.T0));

        var cut = Render<NetworkPathTile>();

        Assert.Equal("Failed", cut.Find("[data-testid=tile-networkpath]").GetAttribute("data-health"));
        Assert.Equal("1/2", cut.Find("[data-testid=tile-networkpath-count]").TextContent);
        Assert.Contains("172.29.52.200:443", cut.Find("[data-testid=tile-networkpath]").TextContent);
        Assert.Contains("NotAnswering", cut.Find("[data-testid=tile-networkpath]").TextContent);
        Assert.DoesNotContain("172.29.52.201:443", cut.Find("[data-testid=tile-networkpath]").TextContent); // only problems listed
    }

    [Fact]
    public void Every_target_answering_is_Healthy_and_a_dispatch_re_renders_without_reload()
    {
        var store = UseCluster();
        store.Dispatch(new ResourcesReplaced(Kinds.ProbeTarget, [Probe("172.29.52.200:443", null, "HTTP 200")], Snap.T0));
        var cut = Render<NetworkPathTile>();
        Assert.Equal("Healthy", cut.Find("[data-testid=tile-networkpath]").GetAttribute("data-health"));

        store.Dispatch(new ResourcesReplaced(Kinds.ProbeTarget,
            [Probe("172.29.52.200:443", ProbeSteps.Tcp, "TCP connect to 172.29.52.200:443 timed out after 5 s")], Snap.T0.AddSeconds(30)));

        cut.WaitForAssertion(() => Assert.Equal("Failed", cut.Find("[data-testid=tile-networkpath]").GetAttribute("data-health")));
        Assert.Equal("0/1", cut.Find("[data-testid=tile-networkpath-count]").TextContent);
    }
}
