using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Dashboard.Tests.TestData;
using HomeOps.Dashboard.ViewModels;

namespace HomeOps.Dashboard.Tests.ViewModels;

/// <summary>
/// Views are computed once per state and shared by every circuit, and an unchanged object keeps its row instance
/// across states (row components skip re-rendering on it).
/// </summary>
public class SharedViewTests
{
    private static readonly string[] Expected = ["mini01", "mini02", "mini03"];

    private static ClusterState Change(ClusterStore store, ResourceSnapshot updated)
    {
        store.Dispatch(new ResourcesChanged(updated.Kind, [updated], [], Snap.T0));
        return store.Value;
    }

    [Fact]
    public void The_same_state_gives_the_same_lists_and_summaries()
    {
        var state = ClusterFixture.HomeOps().With(Snap.Volume("pvc-a"), Snap.Volume("pvc-b", robustness: "degraded")).BuildState();

        Assert.Same(FluxView.Rows(state), FluxView.Rows(state));
        Assert.Same(FluxView.Summarize(state), FluxView.Summarize(state));
        Assert.Same(LonghornView.Volumes(state), LonghornView.Volumes(state));
        Assert.Same(LonghornView.Nodes(state), LonghornView.Nodes(state));
        Assert.Same(LonghornView.Backups(state), LonghornView.Backups(state));
        Assert.Same(LonghornView.Summarize(state), LonghornView.Summarize(state));
        Assert.Same(NodesView.Rows(state, Expected), NodesView.Rows(state, Expected));
        Assert.Same(NodesView.Summarize(state, Expected), NodesView.Summarize(state, Expected));
        Assert.NotEmpty(FluxView.Rows(state));
        Assert.NotEmpty(LonghornView.Volumes(state));
    }

    [Fact]
    public void Concurrent_circuits_on_one_state_share_one_list()
    {
        var state = ClusterFixture.HomeOps().BuildState();
        var lists = new IReadOnlyList<FluxRow>[16];
        Parallel.For(0, lists.Length, i => lists[i] = FluxView.Rows(state));
        Assert.All(lists, l => Assert.Same(lists[0], l));
    }

    [Fact]
    public void A_change_in_another_area_keeps_the_lists_of_this_one()
    {
        var volume = Snap.Volume("pvc-a");
        var store = ClusterFixture.HomeOps().With(volume).BuildStore();
        var before = store.Value;
        var flux = FluxView.Rows(before);
        var fluxSummary = FluxView.Summarize(before);
        var nodes = NodesView.Rows(before, Expected);

        var after = Change(store, volume with { Verdict = Snap.V(HealthStatus.Degraded, "Degraded", "1 of 2 replicas healthy") });

        Assert.NotSame(before, after);
        Assert.Same(flux, FluxView.Rows(after));
        Assert.Same(fluxSummary, FluxView.Summarize(after));
        Assert.Same(nodes, NodesView.Rows(after, Expected));
        Assert.NotSame(LonghornView.Volumes(before), LonghornView.Volumes(after));
        Assert.Equal(HealthStatus.Degraded, LonghornView.Volumes(after).Single(v => v.Name == "pvc-a").Health);
    }

    [Fact]
    public void One_volume_changed_keeps_every_other_volume_row_instance()
    {
        var volumes = Enumerable.Range(0, 20).Select(i => Snap.Volume($"pvc-{i:00}")).ToArray();
        var store = new ClusterFixture().With(volumes).BuildStore();
        var before = LonghornView.Volumes(store.Value).ToDictionary(r => r.Key);

        var after = LonghornView.Volumes(Change(store, volumes[7] with { Verdict = Snap.V(HealthStatus.Failed, "Faulted", "all replicas failed") }));

        Assert.Equal(20, after.Count);
        Assert.Equal("pvc-07", after[0].Name);   // worst first
        foreach (var row in after)
        {
            if (row.Name == "pvc-07") Assert.NotSame(before[row.Key], row);
            else Assert.Same(before[row.Key], row);
        }
    }

    [Fact]
    public void One_node_changed_keeps_the_other_node_rows_and_the_missing_row()
    {
        var mini01 = Snap.Node("mini01");
        var store = new ClusterFixture().With(mini01, Snap.Node("mini02")).BuildStore();   // mini03 never registered
        var before = NodesView.Rows(store.Value, Expected).ToDictionary(r => r.Name);

        var after = NodesView.Rows(Change(store, mini01 with { Verdict = Snap.V(HealthStatus.Degraded, "MemoryPressure") }), Expected)
            .ToDictionary(r => r.Name);

        Assert.NotSame(before["mini01"], after["mini01"]);
        Assert.Same(before["mini02"], after["mini02"]);
        Assert.Same(before["mini03"], after["mini03"]);
        Assert.True(after["mini03"].Missing);
    }

    [Fact]
    public void One_Kustomization_changed_keeps_the_rows_whose_root_causes_did_not_change()
    {
        var sources = Snap.Kustomization("infrastructure-sources");
        var onepassword = Snap.Kustomization("infrastructure-onepassword", dependsOn: ["infrastructure-sources"]);
        var apps = Snap.Kustomization("apps", dependsOn: ["infrastructure-sources"]);
        var waiting = Snap.Kustomization("infrastructure-cilium-bgp",
            Snap.V(HealthStatus.Degraded, FluxRule.DependencyNotReady, "dependency 'flux-system/infrastructure-onepassword' is not ready"),
            dependsOn: ["infrastructure-onepassword"]);
        var store = new ClusterFixture().With(sources, onepassword, apps, waiting).BuildStore();
        var before = FluxView.Rows(store.Value).ToDictionary(r => r.Name);

        // onepassword now fails: its own row and the row waiting on it change; the others keep their instances.
        var after = FluxView.Rows(Change(store,
            Snap.Kustomization("infrastructure-onepassword", Snap.V(HealthStatus.Failed, "HealthCheckFailed", "connect-api not ready"),
                dependsOn: ["infrastructure-sources"]) with { Meta = onepassword.Meta }))
            .ToDictionary(r => r.Name);

        Assert.NotSame(before["infrastructure-onepassword"], after["infrastructure-onepassword"]);
        Assert.NotSame(before["infrastructure-cilium-bgp"], after["infrastructure-cilium-bgp"]);
        Assert.Equal("HealthCheckFailed", Assert.Single(after["infrastructure-cilium-bgp"].RootCauses).Reason);
        Assert.Same(before["infrastructure-sources"], after["infrastructure-sources"]);
        Assert.Same(before["apps"], after["apps"]);
    }
}
