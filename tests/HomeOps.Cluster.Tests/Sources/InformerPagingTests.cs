using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>
/// The informer's paged list (<see cref="Cluster.Sources.ClusterOptions.ListPageSize"/>, 500 by default) against the
/// simulator, which pages as kube-apiserver does: every page of one list is read at the first page's resourceVersion,
/// and a continue token whose snapshot was compacted answers 410 Expired. The store must end equal to the cluster.
/// </summary>
public sealed class InformerPagingTests
{
    private static readonly KindInfo[] KustomizationsOnly = [Kinds.Kustomization];

    private static long ListRequests(InformerRig rig, KindInfo kind) => rig.Simulator.Faults.Counters.ListRequestsFor(kind);

    [Fact]
    public async Task A_list_of_32_in_pages_of_5_reads_every_page_and_syncs_all_of_them()
    {
        await using var rig = await InformerRig.StartAsync(cluster: o => o.ListPageSize = 5, kinds: KustomizationsOnly);
        await rig.WaitLiveAndConvergedAsync("synced through 7 pages");

        Assert.Equal(32, rig.Store.Value.Slice(Kinds.Kustomization).Items.Count);
        Assert.Equal(7, ListRequests(rig, Kinds.Kustomization)); // 6 full pages and one of 2: one list, no retry
        Assert.Equal(1, rig.Informer(Kinds.Kustomization).Lists);
    }

    [Fact]
    public async Task More_objects_than_the_default_page_size_sync_in_pages_of_500()
    {
        await using var rig = await InformerRig.StartAsync(kinds: KustomizationsOnly,
            beforeInformers: sim => CreateCopies(sim, 1_100));
        await rig.WaitLiveAndConvergedAsync("synced through 3 pages", TimeSpan.FromSeconds(30));

        Assert.Equal(1_132, rig.Store.Value.Slice(Kinds.Kustomization).Items.Count);
        Assert.Equal(3, ListRequests(rig, Kinds.Kustomization));
    }

    [Fact]
    public async Task Changes_made_between_two_pages_arrive_through_the_watch_from_the_lists_resourceVersion()
    {
        await using var rig = await InformerRig.StartAsync(cluster: o => o.ListPageSize = 5, kinds: KustomizationsOnly,
            beforeInformers: sim => sim.Faults.BeforeNextContinuedList(Kinds.Kustomization, _ => WriteAcrossPages(sim, "between")));
        await rig.WaitLiveAndConvergedAsync("the list's snapshot plus the watch's replay equal the cluster");

        Assert.Equal(1, rig.Informer(Kinds.Kustomization).Lists); // the pages stayed consistent: no re-list was needed
        Assert.Contains(rig.Store.Value.Slice(Kinds.Kustomization).Items.Values, s => s.Meta.Name == "zz-created-between");
        Assert.Equal("between", rig.Store.Value.Slice(Kinds.Kustomization).Items.Values
            .Single(s => s.Meta.Name == Last(rig.Simulator).Name).Meta.Annotations["homeops.test/touched"]);
    }

    [Fact]
    public async Task A_410_in_the_middle_of_a_paged_list_restarts_the_list_from_scratch_and_ends_consistent()
    {
        await using var rig = await InformerRig.StartAsync(cluster: o => o.ListPageSize = 5, kinds: KustomizationsOnly,
            beforeInformers: sim => sim.Faults.BeforeNextContinuedList(Kinds.Kustomization, cluster =>
            {
                // Objects change and etcd compacts while the informer is between page 1 and page 2.
                WriteAcrossPages(sim, "compacted");
                cluster.ExpireHistory();
            }));
        await rig.WaitLiveAndConvergedAsync("re-listed from the first page and converged");

        var informer = rig.Informer(Kinds.Kustomization);
        Assert.Equal(1, informer.Lists); // one complete list; the broken one was thrown away, not half-applied
        Assert.Equal(1 + 1 + 7, ListRequests(rig, Kinds.Kustomization)); // page 1, the 410, then all 7 pages again
        Assert.Equal(32, rig.Store.Value.Slice(Kinds.Kustomization).Items.Count); // 32 − 1 deleted + 1 created
        Assert.Contains(rig.Logs.Lines, l => l.Contains("resourceVersion expired (410)") && l.Contains("too old to display a consistent list"));
        Assert.Equal(FeedState.Live, informer.State);

        // And it follows changes afterwards, from the second list's resourceVersion.
        var last = Last(rig.Simulator);
        rig.Annotate(Kinds.Kustomization, last.Namespace, last.Name, "after");
        await rig.WaitUntilAsync(() => rig.Converged(), "a change after the re-list");
    }

    /// <summary>Touches an object the first page does not hold, deletes another, creates a new one.</summary>
    private static void WriteAcrossPages(SimulatorHost sim, string tag)
    {
        var names = sim.Cluster.List(Kinds.Kustomization).Items.Select(o => (Ns: o["metadata"]!["namespace"]!.GetValue<string>(), Name: o["metadata"]!["name"]!.GetValue<string>())).ToList();
        var last = names[^1];
        sim.Cluster.Update(Kinds.Kustomization, last.Ns, last.Name, o =>
        {
            var meta = (JsonObject)o["metadata"]!;
            meta["annotations"] = new JsonObject { ["homeops.test/touched"] = tag };
        });
        sim.Cluster.Delete(Kinds.Kustomization, names[^2].Ns, names[^2].Name);
        CreateCopy(sim, $"zz-created-{tag}");
    }

    /// <summary>The last seeded object in list order (the one <see cref="WriteAcrossPages"/> touches).</summary>
    private static (string Namespace, string Name) Last(SimulatorHost sim)
    {
        var meta = sim.Cluster.List(Kinds.Kustomization).Items
            .Last(o => !o["metadata"]!["name"]!.GetValue<string>().StartsWith("zz-", StringComparison.Ordinal))["metadata"]!;
        return (meta["namespace"]!.GetValue<string>(), meta["name"]!.GetValue<string>());
    }

    private static void CreateCopies(SimulatorHost sim, int count)
    {
        for (var i = 0; i < count; i++) CreateCopy(sim, $"copy-{i:D4}");
    }

    private static void CreateCopy(SimulatorHost sim, string name)
    {
        var copy = (JsonObject)sim.Cluster.List(Kinds.Kustomization, limit: 1).Items[0].DeepClone();
        var meta = (JsonObject)copy["metadata"]!;
        meta["name"] = name;
        meta.Remove("uid");
        meta.Remove("resourceVersion");
        meta.Remove("creationTimestamp");
        sim.Cluster.Upsert(copy);
    }
}
