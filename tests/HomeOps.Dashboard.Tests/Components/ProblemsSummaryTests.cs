using Bunit;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using Microsoft.Extensions.DependencyInjection;
using HomeOps.Dashboard.Components.Controls;
using HomeOps.Dashboard.Components.Pages;
using HomeOps.Dashboard.Tests.TestData;

namespace HomeOps.Dashboard.Tests.Components;

/// <summary>The overview opens with the verdict and the problems, worst first, each a link to its object; tiles after.</summary>
public class ProblemsSummaryTests : DashboardTestContext
{
    [Fact]
    public void The_verdict_line_counts_the_areas_the_rollups_call_problems_and_says_live()
    {
        var store = UseCluster(ClusterFixture.HomeOps());
        var cut = Render<ProblemsSummary>();
        var verdict = cut.Find("[data-testid=verdict-text]").TextContent;
        // The verdict is the rollups' verdict: home-ops' BGP v1 sessions are unknown, so that is the one problem.
        var areas = HomeOps.Cluster.Reports.HealthReport.AreasOf(store.Value, ["mini01", "mini02", "mini03"], Snap.T0);
        var notOk = areas.Count(a => a.Worst is not ("Healthy" or "Suspended"));
        Assert.Equal(notOk == 0 ? "All healthy" : $"{notOk} problem{(notOk == 1 ? "" : "s")}", verdict);
        // The least fresh area: Authentik is polled, last 3 s ago in the fixture.
        Assert.Equal("updated 3 s ago", cut.Find("[data-testid=verdict-freshness]").TextContent.Trim());
    }

    [Fact]
    public void Problems_are_listed_worst_first_with_reason_age_and_a_deep_link()
    {
        var fixture = ClusterFixture.HomeOps().With(
            Snap.Volume("pvc-degraded", robustness: "degraded"),
            Snap.Volume("pvc-faulted", robustness: "faulted"));
        UseCluster(fixture);
        var cut = Render<ProblemsSummary>();

        var items = cut.FindAll("[data-testid=problem]");
        Assert.True(items.Count >= 2);
        Assert.Equal("Failed", items[0].GetAttribute("data-health"));
        Assert.Contains("pvc-faulted", items[0].TextContent);
        Assert.Contains("Faulted", items[0].TextContent);
        var degraded = items.First(i => i.TextContent.Contains("pvc-degraded", StringComparison.Ordinal));
        Assert.Equal("Degraded", degraded.GetAttribute("data-health"));
        var key = Store!.Value.Items(Kinds.LonghornVolume).Single(v => v.Meta.Name == "pvc-degraded").Key;
        Assert.Equal($"/longhorn?kind=Volume.longhorn.io&object={Uri.EscapeDataString(key)}", degraded.GetAttribute("href"));
        Assert.Contains("Longhorn", degraded.QuerySelector("[data-testid=problem-age]")!.TextContent);
        Assert.Equal(items.Count.ToString(), cut.Find("[data-testid=verdict]").GetAttribute("data-count"));
        Assert.Equal("Failed", cut.Find("[data-testid=problems-summary]").GetAttribute("data-health"));
    }

    [Fact]
    public void The_overview_puts_the_verdict_before_the_tiles()
    {
        UseCluster();
        var cut = Render<Overview>();
        var html = cut.Markup;
        var verdict = html.IndexOf("data-testid=\"verdict\"", StringComparison.Ordinal);
        var grid = html.IndexOf("data-testid=\"overview-grid\"", StringComparison.Ordinal);
        Assert.True(verdict >= 0 && grid > verdict, "the verdict comes before the tiles");
    }

    [Fact]
    public void A_deep_link_opens_the_object_in_the_drawer()
    {
        var fixture = ClusterFixture.HomeOps().With(Snap.Volume("pvc-degraded", robustness: "degraded"));
        UseCluster(fixture);
        var key = Store!.Value.Items(Kinds.LonghornVolume).Single(v => v.Meta.Name == "pvc-degraded").Key;
        var nav = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        nav.NavigateTo($"/longhorn?kind=Volume.longhorn.io&object={Uri.EscapeDataString(key)}");
        var cut = Render<Longhorn>();
        cut.WaitForAssertion(() => Assert.Equal("longhorn-system/pvc-degraded", cut.Find("[data-testid=detail-title]").TextContent), Wait);
    }
    [Fact]
    public void Every_viewer_of_a_state_reads_one_shared_report_and_a_new_state_gets_a_new_one()
    {
        // Issue 18: each circuit's overview used to build and keep its own copy of every problem.
        var store = UseCluster(ClusterFixture.HomeOps().With(Snap.Volume("pvc-faulted", robustness: "faulted")));
        var first = Render<ProblemsSummary>();
        var second = Render<ProblemsSummary>();
        Assert.NotEmpty(first.Instance.Report.Problems);
        Assert.Same(first.Instance.Report, second.Instance.Report);
        Assert.Same(first.Instance.Report, HomeOps.Cluster.Reports.ProblemReport.Of(store.Value, HomeOps.Cluster.Sources.ClusterOptions.DefaultExpectedNodes, Snap.T0));

        var before = first.Instance.Report;
        store.Dispatch(new ResourcesChanged(Kinds.LonghornVolume, [Snap.Volume("pvc-degraded", robustness: "degraded")], [], Snap.T0));
        first.WaitForAssertion(() => Assert.Contains(first.Instance.Report.Problems, p => p.Name == "pvc-degraded"), Wait);
        second.WaitForAssertion(() => Assert.Same(first.Instance.Report, second.Instance.Report), Wait);
        Assert.NotSame(before, first.Instance.Report);
    }

    [Fact]
    public void The_age_comes_from_the_process_clock_at_render_not_from_the_shared_report()
    {
        UseCluster(ClusterFixture.HomeOps().With(Snap.Volume("pvc-faulted", robustness: "faulted")));
        var report = HomeOps.Cluster.Reports.ProblemReport.Of(Store!.Value, HomeOps.Cluster.Sources.ClusterOptions.DefaultExpectedNodes, Snap.T0);
        // A problem whose verdict carries no time of its own (an area with no object to blame has none, for one).
        var undated = report.Problems.First(p => p.Since is null);
        Services.GetRequiredService<HomeOps.Cluster.Reports.ProblemClock>().Observe(report.Problems, Store.Time.GetUtcNow() - TimeSpan.FromMinutes(4));

        var cut = Render<ProblemsSummary>();
        var item = cut.FindAll("[data-testid=problem]").First(i => i.GetAttribute("data-area") == undated.Area
            && i.TextContent.Contains(undated.Name, StringComparison.Ordinal));
        Assert.Contains("for 4 min", item.QuerySelector("[data-testid=problem-age]")!.TextContent);
        // The shared report itself is not stamped with this process's clock.
        Assert.Null(undated.Since);
    }
}
