using Bunit;
using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Components.Controls;
using HomeOps.Dashboard.Components.Layout;
using HomeOps.Dashboard.Components.Pages;
using HomeOps.Dashboard.Tests.TestData;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace HomeOps.Dashboard.Tests.Pages;

/// <summary>
/// Live components per page (issue 18, fourth session). The heap census (dotnet-gcdump on the benchmarks' large shape)
/// found memory per circuit grows with the NUMBER of components, not with data: each keeps two render-tree frame
/// arrays. It counted ~264 per circuit on <c>/</c> and on <c>/flux</c>. With this fixture, before the change:
/// overview 172, Flux 344 (76 rows), layout 77; after: 36, 98, 35. Leaf controls (badges, icons, texts, chips, bars)
/// are plain markup in their parent's tree now; these bounds (what was reached plus a little headroom) keep it so.
/// Deterministic: counts of rendered components, no timing.
/// </summary>
public class ComponentCensusTests : DashboardTestContext
{
    /// <summary>Bigger than home-ops: 23 nodes (3 failing), 44 Kustomizations (5 failing with a revision drift), 31 HelmReleases.</summary>
    private static ClusterFixture Big()
    {
        var fixture = ClusterFixture.HomeOps();
        for (var i = 0; i < 20; i++) fixture.With(Snap.Node($"node{i:D2}", i % 7 == 0 ? "False" : "True"));
        for (var i = 0; i < 40; i++)
            fixture.With(Snap.Kustomization($"app-{i:D2}",
                i % 9 == 0 ? Snap.V(HealthStatus.Failed, "HealthCheckFailed", "not ready") : null,
                attempted: i % 9 == 0 ? "main@sha1:bbbbbbbbbbbbbbbbbbbbbbbb" : null,
                dependsOn: i % 5 == 0 ? ["infrastructure-sources"] : null,
                suspended: i == 7));
        for (var i = 0; i < 30; i++) fixture.With(Snap.HelmRelease($"chart-{i:D2}", "apps"));
        return fixture;
    }

    private static IReadOnlyList<IRenderedComponent<IComponent>> Components<T>(IRenderedComponent<T> cut) where T : class, IComponent =>
        ((IRenderedComponent<IComponent>)cut).FindComponents<IComponent>();

    private static string Census(IEnumerable<IRenderedComponent<IComponent>> components) =>
        string.Join(", ", components.GroupBy(c => c.Instance.GetType().Name).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));

    [Fact]
    public void The_overview_is_a_few_components_per_tile_not_one_per_badge_icon_or_text()
    {
        UseCluster(Big());
        var cut = Render<Overview>();
        Assert.Equal(9, cut.FindAll("[data-testid^=tile-][data-health]").Count(e => e.ClassList.Contains("area-tile")));

        var components = Components(cut);
        Assert.True(components.Count <= 45, $"{components.Count} components (was 172 before issue 18): {Census(components)}");
        // The badges are there, as markup: none of them is a component.
        Assert.True(cut.FindAll("span.health-badge").Count >= 20);
    }

    [Fact]
    public void The_flux_page_costs_one_component_per_row_and_a_fixed_few_around_the_tables()
    {
        UseCluster(Big());
        var cut = Render<Flux>();
        var rows = cut.FindAll("tr.resource-row").Count;
        Assert.Equal(76, rows);   // 44 Kustomizations + 31 HelmReleases + 1 GitRepository: under the virtualization threshold

        var components = Components(cut);
        var rowComponents = cut.FindComponents<ResourceRow<HomeOps.Dashboard.ViewModels.FluxRow>>().Count;
        Assert.Equal(rows, rowComponents);   // rows stay components: one changed object re-renders one row (RowRenderTests)
        // Everything else does not grow with the rows (was 268 besides the rows before issue 18: a badge, a revision,
        // an OperatorOnly per row).
        Assert.True(components.Count - rowComponents <= 30, $"{components.Count} components for {rows} rows: {Census(components)}");
        // The markup is all there.
        Assert.Equal(rows, cut.FindAll("tr.resource-row span.health-badge").Count);
        Assert.Equal(5, cut.FindAll("[data-testid=revision-drift]").Count);
        Assert.Single(cut.FindAll("[data-testid=suspended]"));
    }

    [Fact]
    public void The_layout_and_its_navigation_are_a_fixed_few_components()
    {
        UseCluster(Big());
        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "page"))));
        var components = Components(cut);
        Assert.True(components.Count <= 40, $"{components.Count} components (was 77 before issue 18): {Census(components)}");
        Assert.Single(cut.FindComponents<NavMenu>());
        Assert.Equal(12, cut.FindAll("nav.mud-navmenu a.mud-nav-link").Count);   // a viewer: no operations links
    }

    [Fact]
    public void The_navigation_marks_the_current_page_as_NavLink_did_and_follows_navigation()
    {
        UseCluster(Big());
        var navigation = Services.GetRequiredService<NavigationManager>();
        var cut = Render<NavMenu>();
        string? Current() => Assert.Single(cut.FindAll("a.mud-nav-link.active")).GetAttribute("data-testid");

        Assert.Equal("nav-overview", Current());
        Assert.Equal("page", cut.Find("[data-testid=nav-overview]").GetAttribute("aria-current"));
        navigation.NavigateTo("flux?kind=kustomization&object=x");
        cut.WaitForAssertion(() => Assert.Equal("nav-flux", Current()), Wait);
        Assert.Null(cut.Find("[data-testid=nav-overview]").GetAttribute("aria-current"));
        navigation.NavigateTo("longhorn/volumes");   // a prefix link is active on its sub-paths
        cut.WaitForAssertion(() => Assert.Equal("nav-longhorn", Current()), Wait);
        navigation.NavigateTo("fluxy");   // ... but not on a longer name
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("a.mud-nav-link.active")), Wait);
        // The area health dots stay: a failing area shows its icon with the status as its title.
        Assert.Equal("Failed", cut.Find("[data-testid=nav-nodes]").GetAttribute("data-health"));
        Assert.Equal("Failed", cut.Find("[data-testid=nav-nodes] svg title").TextContent);
    }
}
