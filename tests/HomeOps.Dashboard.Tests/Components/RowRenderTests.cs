using Bunit;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Dashboard.Components.Controls;
using HomeOps.Dashboard.Components.Pages;
using HomeOps.Dashboard.Tests.TestData;
using HomeOps.Dashboard.ViewModels;

namespace HomeOps.Dashboard.Tests.Components;

/// <summary>
/// The wire cost of a batch is the components it re-renders (docs/benchmarks.md §4): a change to one object must
/// re-render that object's row and no other, with every row in the DOM (not virtualized) so none can hide.
/// </summary>
public class RowRenderTests() : DashboardTestContext(settings: new Dictionary<string, string?> { ["Dashboard:VirtualizeThreshold"] = "1000" })
{
    private const int Volumes = 200;

    private static ClusterFixture ManyVolumes()
    {
        var fixture = new ClusterFixture().With(Snap.Node("mini01"), Snap.Node("mini02"), Snap.Node("mini03"));
        for (var i = 0; i < Volumes; i++) fixture.With(Snap.Volume($"pvc-{i:D3}"));
        return fixture;
    }

    private IReadOnlyList<IRenderedComponent<ResourceRow<VolumeRow>>> VolumeRows(IRenderedComponent<Longhorn> page) =>
        page.FindComponents<ResourceRow<VolumeRow>>();

    [Fact]
    public void Changing_one_object_in_a_200_row_table_re_renders_exactly_one_row()
    {
        var store = UseCluster(ManyVolumes());
        var cut = Render<Longhorn>();
        var rows = VolumeRows(cut);
        Assert.Equal(Volumes, rows.Count);
        Assert.All(rows, r => Assert.Equal(1, r.Instance.Renders));
        var before = rows.ToDictionary(r => r.Instance.Row.Name, r => r.Instance);

        var pvc042 = store.Value.Items(Kinds.LonghornVolume).Single(v => v.Meta.Name == "pvc-042");
        store.Dispatch(new ResourcesChanged(Kinds.LonghornVolume,
            [Snap.Volume("pvc-042", robustness: "degraded") with { Meta = pvc042.Meta with { ResourceVersion = "2" } }], [], Snap.T0));
        cut.WaitForAssertion(() => Assert.Equal("Degraded", cut.Find("[data-testid=row-volume-pvc-042]").GetAttribute("data-health")), Wait);

        var after = VolumeRows(cut);
        Assert.Equal(Volumes, after.Count);
        // Worst first: the degraded row moved to the top, and kept its component (keyed by uid).
        Assert.Equal("pvc-042", after[0].Instance.Row.Name);
        Assert.All(after, r => Assert.Same(before[r.Instance.Row.Name], r.Instance));
        Assert.Equal(2, before["pvc-042"].Renders);
        Assert.Equal([], after.Where(r => r.Instance.Row.Name != "pvc-042" && r.Instance.Renders != 1).Select(r => r.Instance.Row.Name));
    }

    [Fact]
    public void Enter_or_space_on_a_row_opens_the_drawer_and_the_page_render_re_renders_no_row()
    {
        UseCluster(ManyVolumes());
        var cut = Render<Longhorn>();
        var renders = VolumeRows(cut).Sum(r => r.Instance.Renders);

        cut.Find("[data-testid=row-volume-pvc-100]").KeyDown(key: "a");
        Assert.Empty(cut.FindAll("[data-testid=detail-volume]"));
        cut.Find("[data-testid=row-volume-pvc-100]").KeyDown(key: " ");
        cut.WaitForAssertion(() => Assert.Equal("longhorn-system/pvc-100", cut.Find("[data-testid=detail-title]").TextContent), Wait);
        cut.Find("[data-testid=row-volume-pvc-007]").KeyDown(key: "Enter");
        cut.WaitForAssertion(() => Assert.Equal("longhorn-system/pvc-007", cut.Find("[data-testid=detail-title]").TextContent), Wait);

        // The page rendered twice for the drawer; the rows' handlers are their own, so no row had to render.
        Assert.Equal(renders, VolumeRows(cut).Sum(r => r.Instance.Renders));
    }

    [Fact]
    public void Rows_with_relative_times_follow_the_clock_every_ten_seconds_not_every_batch()
    {
        var store = UseCluster(ManyVolumes());
        var cut = Render<Longhorn>();
        var renders = VolumeRows(cut).Sum(r => r.Instance.Renders);
        var pvc001 = store.Value.Items(Kinds.LonghornVolume).Single(v => v.Meta.Name == "pvc-001");

        // A change a few seconds later, within the same 10 s tick: only that row.
        Fixture.Time.Advance(TimeSpan.FromSeconds(2));
        store.Dispatch(new ResourcesChanged(Kinds.LonghornVolume,
            [Snap.Volume("pvc-001", robustness: "degraded") with { Meta = pvc001.Meta with { ResourceVersion = "2" } }], [], Fixture.Time.GetUtcNow()));
        cut.WaitForAssertion(() => Assert.Equal("Degraded", cut.Find("[data-testid=row-volume-pvc-001]").GetAttribute("data-health")), Wait);
        Assert.Equal(renders + 1, VolumeRows(cut).Sum(r => r.Instance.Renders));

        // Past the tick, the next batch refreshes every row's "ago" text.
        Fixture.Time.Advance(TimeSpan.FromMinutes(5));
        store.Dispatch(new ResourcesChanged(Kinds.LonghornVolume,
            [Snap.Volume("pvc-001") with { Meta = pvc001.Meta with { ResourceVersion = "3" } }], [], Fixture.Time.GetUtcNow()));
        cut.WaitForAssertion(() => Assert.Equal("Healthy", cut.Find("[data-testid=row-volume-pvc-001]").GetAttribute("data-health")), Wait);
        Assert.Equal(renders + 1 + Volumes, VolumeRows(cut).Sum(r => r.Instance.Renders));
    }
}
