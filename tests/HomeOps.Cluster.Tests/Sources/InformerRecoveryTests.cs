using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>
/// Informers against the real simulator over real HTTP watch streams: initial sync, live events, and recovery from
/// each fault the simulator injects, always converging to the simulator's own state (uid → resourceVersion per kind).
/// </summary>
public sealed class InformerRecoveryTests
{
    private static int TotalReconnects(InformerRig rig) => rig.Host.Informers.Sum(i => i.Reconnects);

    private static long TotalLists(InformerRig rig) => rig.Host.Informers.Sum(i => i.Lists);

    [Fact]
    public async Task Every_kind_syncs_goes_live_and_follows_changes_through_the_watch()
    {
        await using var rig = await InformerRig.StartAsync();
        await rig.WaitLiveAndConvergedAsync("initial sync");

        Assert.True(rig.Host.AllSynced);
        Assert.Equal(3, rig.Store.Value.Slice(Kinds.Node).Items.Count);
        Assert.All(rig.Host.Informers, i => Assert.Equal(1, i.Lists));
        Assert.All(rig.Host.Informers, i => Assert.True(i.Freshness.Synced));

        rig.WriteSome("live1");
        await rig.WaitUntilAsync(() => rig.Converged(), "changes arrive through the watch");

        // Watch events only: nothing was re-listed, nothing reconnected.
        Assert.All(rig.Host.Informers, i => Assert.Equal(1, i.Lists));
        Assert.Equal(0, TotalReconnects(rig));
        var node = rig.Store.Value.Slice(Kinds.Node).Items.Values.Single(n => n.Meta.Name == "mini01");
        Assert.Equal("live1", node.Meta.Annotations["homeops.test/touched"]);
    }

    [Fact]
    public async Task Forced_410_relists_and_converges()
    {
        // Rare bookmarks in this test: a bookmark arriving between the fault and the reconnect would move the
        // informers past the compaction and hide the 410 this test is about.
        await using var rig = await InformerRig.StartAsync(
            simulator: o => o.BookmarkInterval = TimeSpan.FromSeconds(3),
            cluster: o => o.StaleAfter = TimeSpan.FromHours(1));
        await rig.WaitLiveAndConvergedAsync("initial sync");
        var reconnects = TotalReconnects(rig);
        var mark = rig.FreshnessHistory.Count;

        // Compact the history under the informers, end their streams, and change things while they reconnect:
        // every resourceVersion they hold is now too old, so their watches get an ERROR 410 and they must re-list.
        rig.Simulator.Faults.ExpireHistory();
        rig.Simulator.Faults.DropAllWatches();
        rig.WriteSome("expired1");

        await rig.WaitUntilAsync(() => rig.Host.Informers.All(i => i.Lists >= 2) && rig.Converged(), "re-list after 410 and converge");
        await rig.WaitLiveAndConvergedAsync("live again");
        Assert.True(TotalReconnects(rig) > reconnects);
        Assert.Contains(rig.FreshnessOf(Kinds.Node, mark), f => f.State == FeedState.Reconnecting);
        Assert.Contains(rig.Logs.Lines, l => l.Contains("resourceVersion expired (410)")); // the watch ERROR event, not an HTTP status

        // And it keeps following changes afterwards.
        rig.WriteSome("expired2");
        await rig.WaitUntilAsync(() => rig.Converged(), "changes after the relist");
    }

    [Fact]
    public async Task A_dropped_stream_resumes_from_the_last_resource_version_without_relisting()
    {
        await using var rig = await InformerRig.StartAsync();
        await rig.WaitLiveAndConvergedAsync("initial sync");
        var mark = rig.FreshnessHistory.Count;

        rig.Simulator.Faults.DropAllWatches();
        rig.WriteSome("drop1");          // during the gap: replayed from the history on resume
        await rig.WaitUntilAsync(() => rig.Converged(), "converge after the drop");
        rig.WriteSome("drop2");
        await rig.WaitLiveAndConvergedAsync("live and converged after the drop");

        Assert.All(rig.Host.Informers, i => Assert.Equal(1, i.Lists)); // resumed, not re-listed
        Assert.All(rig.Host.Informers, i => Assert.True(i.Reconnects >= 1, $"{i.Kind.Key} reconnects {i.Reconnects}"));
        var node = rig.FreshnessOf(Kinds.Node, mark);
        var down = node.FindIndex(f => f.State == FeedState.Reconnecting);
        Assert.True(down >= 0, "the drop was shown as reconnecting");
        Assert.Contains(node.Skip(down), f => f.State == FeedState.Live);
        Assert.Equal(1, rig.Store.Value.Slice(Kinds.Node).Freshness.Reconnects);
    }

    [Fact]
    public async Task An_api_restart_with_reset_resource_versions_converges()
    {
        await using var rig = await InformerRig.StartAsync();
        await rig.WaitLiveAndConvergedAsync("initial sync");
        var mark = rig.FreshnessHistory.Count;
        var reconnects = TotalReconnects(rig);

        await rig.Simulator.RestartAsync(resetResourceVersions: true);
        rig.WriteSome("restart1");       // while the informers reconnect
        await rig.WaitUntilAsync(() => rig.Host.Informers.All(i => i.Lists >= 2), "every kind re-listed");
        rig.WriteSome("restart2");       // after
        await rig.WaitLiveAndConvergedAsync("live and converged after the restart");

        Assert.True(TotalReconnects(rig) >= reconnects + rig.Host.Informers.Count);
        Assert.Contains(rig.FreshnessOf(Kinds.Kustomization, mark), f => f.State == FeedState.Reconnecting);
    }

    [Fact]
    public async Task An_api_restart_keeping_resource_versions_resumes()
    {
        await using var rig = await InformerRig.StartAsync();
        await rig.WaitLiveAndConvergedAsync("initial sync");

        await rig.Simulator.RestartAsync(resetResourceVersions: false);
        rig.WriteSome("restart3");
        await rig.WaitLiveAndConvergedAsync("live and converged after the restart");

        Assert.All(rig.Host.Informers, i => Assert.Equal(1, i.Lists));
        Assert.All(rig.Host.Informers, i => Assert.True(i.Reconnects >= 1));
    }

    [Fact]
    public async Task Many_events_arriving_together_are_dispatched_in_few_actions()
    {
        await using var rig = await InformerRig.StartAsync(kinds: [Kinds.Kustomization]);
        await rig.WaitLiveAndConvergedAsync("initial sync");
        var before = rig.ChangeActions;
        var names = rig.Simulator.Cluster.List(Kinds.Kustomization).Items
            .Select(k => (Ns: k["metadata"]!["namespace"]!.GetValue<string>(), Name: k["metadata"]!["name"]!.GetValue<string>()))
            .ToList();

        const int rounds = 10;
        for (var round = 0; round < rounds; round++)
            foreach (var (ns, name) in names)
                rig.Annotate(Kinds.Kustomization, ns, name, $"burst{round}");

        await rig.WaitUntilAsync(() => rig.Converged(), "burst applied");
        var events = rounds * names.Count;
        var actions = rig.ChangeActions - before;
        TestContext.Current.TestOutputHelper?.WriteLine($"{events} watch events → {actions} ResourcesChanged actions");
        Assert.True(actions < events / 4, $"{events} events took {actions} actions");
    }
}

internal static class ListExtensions
{
    public static int FindIndex<T>(this IReadOnlyList<T> list, Func<T, bool> predicate)
    {
        for (var i = 0; i < list.Count; i++)
            if (predicate(list[i])) return i;
        return -1;
    }
}
