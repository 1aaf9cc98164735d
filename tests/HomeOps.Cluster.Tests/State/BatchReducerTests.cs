using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using static HomeOps.Cluster.Tests.State.Snapshots;

namespace HomeOps.Cluster.Tests.State;

/// <summary>A batch of watch events goes through one dictionary builder: the same result as applying them one by one.</summary>
public sealed class BatchReducerTests
{
    private static readonly KindInfo Volume = Kinds.LonghornVolume;

    [Fact]
    public void A_large_batch_gives_the_same_slice_as_applying_its_events_one_at_a_time()
    {
        var held = Enumerable.Range(0, 1_000).Select(i => Make(Volume, $"v{i}", "1")).ToArray();
        var state = ClusterReducers.Reduce(ClusterState.Initial(T0), new ResourcesReplaced(Volume, held, T0));
        var upserts = Enumerable.Range(900, 256).Select(i => Make(Volume, $"v{i}", "2", HealthStatus.Degraded)).ToArray(); // 100 updates, 156 new
        string[] deletes = ["v3", "v4", "v999", "unknown"];

        var batched = ClusterReducers.Reduce(state, new ResourcesChanged(Volume, upserts, deletes, T0.AddSeconds(1)));
        var oneByOne = state;
        foreach (var u in upserts) oneByOne = ClusterReducers.Reduce(oneByOne, new ResourcesChanged(Volume, [u], [], T0.AddSeconds(1)));
        foreach (var d in deletes) oneByOne = ClusterReducers.Reduce(oneByOne, new ResourcesChanged(Volume, [], [d], T0.AddSeconds(1)));

        var b = batched.Slice(Volume).Items;
        var o = oneByOne.Slice(Volume).Items;
        Assert.Equal(1_000 + 156 - 3, b.Count); // v999 is updated and deleted in the same batch: deletions come last
        Assert.Equal(o.Keys.Order(), b.Keys.Order());
        foreach (var (key, snapshot) in o) Assert.Same(snapshot, b[key]);
        Assert.Same(held[10], b["v10"]); // untouched objects keep their reference
        Assert.Equal(T0.AddSeconds(1), batched.Slice(Volume).Freshness.LastEventAt);
    }

    [Fact]
    public void A_batch_of_snapshots_equal_to_what_is_held_keeps_every_reference()
    {
        var held = Enumerable.Range(0, 50).Select(i => Make(Volume, $"v{i}", "1")).ToArray();
        var state = ClusterReducers.Reduce(ClusterState.Initial(T0), new ResourcesReplaced(Volume, held, T0));
        var equal = held.Select(h => h with { }).ToArray(); // new instances, equal values

        var next = ClusterReducers.Reduce(state, new ResourcesChanged(Volume, equal, [], T0.AddSeconds(1)));

        Assert.Same(state.Slice(Volume).Items, next.Slice(Volume).Items);
        Assert.Equal(0, ChangeSet.Between(state, next).ObjectCount);
    }
}
