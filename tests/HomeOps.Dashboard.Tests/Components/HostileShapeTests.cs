using System.Collections.Immutable;
using Bunit;
using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Components.Controls.Tiles;
using HomeOps.Dashboard.Components.Pages;
using HomeOps.Dashboard.Tests.TestData;

namespace HomeOps.Dashboard.Tests.Components;

/// <summary>
/// Shapes a malformed or hostile object can take that used to end the circuit or bloat a row: repeated keys (Blazor
/// throws on duplicate @key siblings), a megabyte reason, hostile label keys and values.
/// </summary>
public class HostileShapeTests : DashboardTestContext
{
    private static readonly string Megabyte = "<b>boom</b>" + new string('x', 1_000_000);

    [Fact]
    public void Repeated_condition_types_render_every_condition_instead_of_ending_the_circuit()
    {
        var twice = Snap.Kustomization("twice", Snap.V(HealthStatus.Failed, "ReconciliationFailed", "x")) with
        {
            Conditions = [Snap.Cond("Ready", "False", "A", "first"), Snap.Cond("Ready", "False", "B", "second"), Snap.Cond("Ready", "True", "C", "third")],
        };
        UseCluster(new ClusterFixture().With(twice));
        var cut = Render<Flux>();
        cut.Find("[data-testid=row-kustomization-twice]").Click();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=detail-conditions] tr.resource-row").Count), Wait);
        var text = cut.Find("[data-testid=detail-conditions]").TextContent;
        Assert.Contains("first", text);
        Assert.Contains("third", text);
    }

    [Fact]
    public void A_node_reporting_the_same_peer_twice_renders_on_the_bgp_page_and_tile()
    {
        var peer = Snap.Peer("mini01", "idle");
        var twice = Snap.Make(Kinds.BgpNodeConfig, Snap.Meta("mini01"), new BgpDetails(BgpApi.V2, [peer, peer], "2 peers"),
            Snap.V(HealthStatus.Failed, "SessionNotEstablished"));
        UseCluster(new ClusterFixture().With(Snap.Node("mini01"), twice));

        var page = Render<Bgp>();
        Assert.Equal(2, page.FindAll("[data-testid=bgp-sessions] tr.resource-row").Count);
        var tile = Render<BgpTile>();
        Assert.Equal(2, tile.FindAll("[data-testid=row-bgppeer-mini01-172\\.29\\.51\\.1]").Count);
    }

    [Fact]
    public void A_megabyte_reason_is_cut_in_the_badge_and_the_drawer_with_a_way_to_see_all()
    {
        var huge = Snap.Kustomization("huge", Snap.V(HealthStatus.Failed, Megabyte, Megabyte)) with
        {
            Meta = Snap.Meta("huge", "flux-system") with
            {
                Labels = ImmutableDictionary<string, string>.Empty.Add("<script>k</script>", Megabyte),
            },
        };
        UseCluster(new ClusterFixture().With(huge));
        var cut = Render<Flux>();
        var row = cut.Find("[data-testid=row-kustomization-huge]");
        Assert.InRange(row.TextContent.Length, 1, 2_000);
        Assert.Contains("&lt;b&gt;boom", row.InnerHtml);

        row.Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=detail-reason]")), Wait);
        Assert.InRange(cut.Find("[data-testid=detail-content]").TextContent.Length, 1, 20_000);
        Assert.Contains("<script>k</script>", cut.Find("[data-testid=detail-meta]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=detail-content] script, [data-testid=detail-content] b"));

        cut.Find("[data-testid=detail-reason-toggle]").Click();
        cut.WaitForAssertion(() => Assert.Equal(Megabyte, cut.Find("[data-testid=detail-reason]").TextContent), Wait);
    }
}
