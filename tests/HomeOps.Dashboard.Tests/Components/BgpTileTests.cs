using HomeOps.Cluster.Areas;
using Bunit;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Components.Controls.Tiles;
using HomeOps.Dashboard.Components.Controls;
using HomeOps.Dashboard.Tests.TestData;
using HomeOps.Dashboard.ViewModels;

namespace HomeOps.Dashboard.Tests.Components;

/// <summary>
/// The BGP tile tells the same story as the status panel (both from <see cref="BgpStatus.Evaluate"/>): live session
/// counts only where the API reports the sessions that run (BGPv2 without a v1 policy overriding it).
/// </summary>
public class BgpTileTests : DashboardTestContext
{
    private static ClusterFixture Nodes() => new ClusterFixture().With(Snap.Node("mini01"), Snap.Node("mini02"), Snap.Node("mini03"));

    [Fact]
    public void With_only_the_v1_policy_the_configuration_is_known_and_sessions_are_not_healthy_but_unknown()
    {
        UseCluster(Nodes().With(Snap.PeeringPolicy()));
        var tile = Render<BgpTile>();
        var panel = Render<BgpStatusPanel>().Find("[data-testid=bgp-status]");

        Assert.Equal("Unknown", tile.Find("[data-testid=tile-bgp]").GetAttribute("data-health"));
        Assert.Equal("?/3", tile.Find("[data-testid=tile-bgp-count]").TextContent);   // 1 neighbour × 3 selected nodes
        Assert.Contains("CiliumBGPPeeringPolicy", tile.Find("[data-testid=tile-bgp-api]").TextContent);
        // One line on the overview: the active API and a link to the warning; the paragraphs are on the BGP page.
        Assert.Equal("1", tile.Find("[data-testid=tile-bgp-warnings]").GetAttribute("data-count"));
        Assert.DoesNotContain("not in the API", tile.Find(".tile-body").TextContent);
        Assert.DoesNotContain(BgpStatus.V1RemovalWarning, tile.Find(".tile-body").TextContent);
        Assert.Contains(BgpStatus.V1RemovalWarning, tile.Find("[data-testid=tile-bgp-line]").GetAttribute("title"));
        Assert.Contains("1.19", Render<HomeOps.Dashboard.Components.Pages.Bgp>().Find("[data-testid=bgp-status]").TextContent);
        Assert.Equal("false", panel.GetAttribute("data-known"));
        Assert.Equal(nameof(ActiveBgpApi.V1), panel.GetAttribute("data-active"));
    }

    [Fact]
    public void With_v2_node_configs_the_tile_counts_established_sessions_and_lists_the_idle_one()
    {
        UseCluster(Nodes().With(Snap.BgpNodeConfig("mini01"), Snap.BgpNodeConfig("mini02", "idle"), Snap.BgpNodeConfig("mini03")));
        var tile = Render<BgpTile>();
        var panel = Render<BgpStatusPanel>().Find("[data-testid=bgp-status]");

        Assert.Equal("Failed", tile.Find("[data-testid=tile-bgp]").GetAttribute("data-health"));
        Assert.Equal("2/3", tile.Find("[data-testid=tile-bgp-count]").TextContent);
        Assert.Contains("idle", tile.Find("[data-testid=row-bgppeer-mini02-172\\.29\\.51\\.1]").TextContent);
        Assert.Contains("(live)", tile.Find("[data-testid=tile-bgp-line]").GetAttribute("title"));
        Assert.Empty(tile.FindAll("[data-testid=tile-bgp-warnings]"));
        Assert.Equal("true", panel.GetAttribute("data-known"));
        Assert.Contains("2/3 sessions established", panel.TextContent);
    }

    [Fact]
    public void With_v2_node_configs_all_established_the_tile_is_healthy_and_live()
    {
        UseCluster(Nodes().With(Snap.BgpNodeConfig("mini01"), Snap.BgpNodeConfig("mini02"), Snap.BgpNodeConfig("mini03")));
        var tile = Render<BgpTile>();

        Assert.Equal("Healthy", tile.Find("[data-testid=tile-bgp]").GetAttribute("data-health"));
        Assert.Equal("3/3", tile.Find("[data-testid=tile-bgp-count]").TextContent);
        // The area also holds the dashboard's own polled observations (network probes, BGP session metrics), which say
        // "updated N s ago" when their last poll succeeded: live either way, never "connecting" or "stale".
        Assert.Matches(@"^(live|updated \d+ s ago)$", tile.Find("[data-testid=tile-bgp-freshness]").TextContent.Trim());
    }

    [Theory]
    [InlineData("established")]
    [InlineData("idle")]
    public void With_both_apis_the_policy_wins_so_node_config_status_neither_greens_nor_fails_the_tile(string mini02State)
    {
        UseCluster(Nodes().With(Snap.PeeringPolicy(),
            Snap.BgpNodeConfig("mini01"), Snap.BgpNodeConfig("mini02", mini02State), Snap.BgpNodeConfig("mini03")));
        var tile = Render<BgpTile>();
        var panel = Render<BgpStatusPanel>().Find("[data-testid=bgp-status]");

        Assert.Equal("Unknown", tile.Find("[data-testid=tile-bgp]").GetAttribute("data-health"));
        Assert.Equal("?/3", tile.Find("[data-testid=tile-bgp-count]").TextContent);
        Assert.Empty(tile.FindAll("[data-testid^=row-bgppeer-]"));   // no "down" session that is not the one running
        Assert.Equal("2", tile.Find("[data-testid=tile-bgp-warnings]").GetAttribute("data-count"));
        Assert.Equal([BgpStatus.V1RemovalWarning, BgpStatus.BothApisWarning],
            panel.QuerySelectorAll("[data-testid=bgp-warning]").Select(w => w.TextContent));
        Assert.Equal("false", panel.GetAttribute("data-known"));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void The_tile_the_navigation_summary_and_the_status_report_agree(bool policy, bool idle)
    {
        var fixture = Nodes().With(Snap.BgpNodeConfig("mini01"), Snap.BgpNodeConfig("mini02", idle ? "idle" : "established"));
        if (policy) fixture.With(Snap.PeeringPolicy());
        var store = UseCluster(fixture);
        var report = BgpStatus.Evaluate(store.Value);
        var summary = AreaRollups.For(Area.Bgp, store.Value, HomeOps.Cluster.Sources.ClusterOptions.DefaultExpectedNodes);
        var tile = Render<BgpTile>();

        Assert.Equal(summary.Count, tile.Find("[data-testid=tile-bgp-count]").TextContent);
        Assert.Equal(summary.Health.ToString(), tile.Find("[data-testid=tile-bgp]").GetAttribute("data-health"));
        Assert.Equal(report.SessionStateKnown, !summary.Count.StartsWith('?'));
        if (report.SessionStateKnown) Assert.Equal($"{report.Established}/{report.Sessions}", summary.Count);
    }
}
