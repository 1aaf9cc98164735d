using Bunit;
using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Components.Controls.Tiles;
using HomeOps.Dashboard.Components.Controls;
using HomeOps.Dashboard.Tests.TestData;

namespace HomeOps.Dashboard.Tests.Components;

/// <summary>The Nodes tile draws a badge per node for home-ops, but a bounded few (problems first) on a 500-node cluster.</summary>
public class NodesTileScaleTests : DashboardTestContext
{
    [Fact]
    public void Five_hundred_nodes_show_problems_first_at_most_twelve_badges_and_a_link_to_the_rest()
    {
        var fixture = new ClusterFixture().With(Snap.Node("mini01"), Snap.Node("mini02"), Snap.Node("mini03"));
        for (var i = 3; i < 500; i++)
            fixture.With(Snap.Node($"node-{i:D3}", i is 250 or 400 ? "False" : "True"));
        UseCluster(fixture);

        var cut = Render<NodesTile>();
        var badges = cut.FindAll("[data-testid^=tile-nodes-node-]");
        Assert.Equal(12, badges.Count);
        Assert.InRange(cut.FindAll("span.health-badge").Count, 12, 15);   // the node badges plus the tile's own health (plain markup since issue 18)
        Assert.Equal(["tile-nodes-node-node-250", "tile-nodes-node-node-400", "tile-nodes-node-mini01"],
            badges.Take(3).Select(b => b.GetAttribute("data-testid")));
        Assert.Equal("Failed", badges[0].GetAttribute("data-health"));
        var more = cut.Find("[data-testid=tile-nodes-more]");
        Assert.Equal("+488 more", more.TextContent);
        Assert.Equal("nodes", more.GetAttribute("href"));
        Assert.Equal("498/500", cut.Find("[data-testid=tile-nodes-count]").TextContent);
    }

    [Fact]
    public void Home_ops_three_nodes_show_every_badge_and_no_more_link()
    {
        UseCluster();
        var cut = Render<NodesTile>();
        Assert.Equal(["tile-nodes-node-mini01", "tile-nodes-node-mini02", "tile-nodes-node-mini03"],
            cut.FindAll("[data-testid^=tile-nodes-node-]").Select(b => b.GetAttribute("data-testid")));
        Assert.Empty(cut.FindAll("[data-testid=tile-nodes-more]"));
    }
}
