using Bunit;
using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Components.Controls.Tiles;
using HomeOps.Dashboard.Components.Pages;
using HomeOps.Dashboard.Tests.TestData;

namespace HomeOps.Dashboard.Tests.Components;

/// <summary>Cluster data is untrusted: names, messages and raw status must render as text, never as markup.</summary>
public class HostileInputTests : DashboardTestContext
{
    private const string Script = "<script>alert(1)</script>";
    private const string Img = "<img src=x onerror=alert(1)>";

    [Fact]
    public void A_hostile_node_name_and_message_render_escaped_in_tile_page_and_drawer()
    {
        var hostile = Snap.Node(Script, "False", verdict: Snap.V(HealthStatus.Failed, Img, $"kubelet says {Img}")) with { RawStatus = $$"""{"message":"{{Script}}"}""" };
        UseCluster(new ClusterFixture().With(Snap.Node("mini01"), Snap.Node("mini02"), Snap.Node("mini03"), hostile));

        var tile = Render<NodesTile>();
        AssertNoInjectedElements(tile);
        Assert.Contains(Script, tile.Find("[data-testid=tile-nodes]").TextContent);

        var page = Render<Nodes>();
        var row = page.FindAll("tr.resource-row").Single(r => r.GetAttribute("data-testid") == $"row-node-{Script}");
        Assert.Contains(Script, row.TextContent);
        row.Click();
        page.WaitForAssertion(() => Assert.Contains(Script, page.Find("[data-testid=detail-raw-status]").TextContent), Wait);
        Assert.Contains(Img, page.Find("[data-testid=detail-message]").TextContent);
        AssertNoInjectedElements(page);
        Assert.Contains("&lt;script&gt;", page.Markup);
    }

    [Fact]
    public void Very_long_unicode_names_and_messages_render_and_long_messages_are_cut_with_show_all()
    {
        var longName = string.Concat(Enumerable.Repeat("ñодé-🚀-名前-", 200));
        var longMessage = string.Concat(Enumerable.Repeat("health check failed: Deployment/ünïcødé 🚨 not ready; ", 100));
        UseCluster(new ClusterFixture().With(Snap.Kustomization(longName, Snap.V(HealthStatus.Failed, "HealthCheckFailed", longMessage))));
        var cut = Render<Flux>();
        var row = cut.FindAll("tr.resource-row").Single(r => r.GetAttribute("data-testid") == $"row-kustomization-{longName}");
        Assert.Contains(longName, row.TextContent);
        Assert.DoesNotContain(longMessage, row.TextContent);
        Assert.Contains("…", row.TextContent);
        row.QuerySelector("[data-testid=show-all]")!.Click();
        cut.WaitForAssertion(() => Assert.Contains(longMessage, cut.FindAll("tr.resource-row")[0].TextContent), Wait);
    }

    private static void AssertNoInjectedElements(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> cut)
    {
        Assert.Empty(cut.FindAll("script"));
        Assert.Empty(cut.FindAll("img"));
    }
}
