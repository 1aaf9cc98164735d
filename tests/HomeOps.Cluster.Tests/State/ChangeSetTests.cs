using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using static HomeOps.Cluster.Tests.State.Snapshots;

namespace HomeOps.Cluster.Tests.State;

public sealed class ChangeSetTests
{
    private static ClusterState Seeded() =>
        ClusterReducers.Reduce(ClusterState.Initial(T0),
            new ResourcesReplaced(Kinds.Node, [Make(Kinds.Node, "a", "1"), Make(Kinds.Node, "b", "1")], T0));

    [Fact]
    public void Identical_states_have_no_changes()
    {
        var state = Seeded();
        Assert.True(ChangeSet.Between(state, state).IsEmpty);
    }

    [Fact]
    public void Upserts_and_deletions_are_listed_by_key()
    {
        var before = Seeded();
        var after = ClusterReducers.Reduce(before, new ResourcesChanged(Kinds.Node, [Make(Kinds.Node, "a", "2"), Make(Kinds.Node, "c", "1")], ["b"], T0));

        var set = ChangeSet.Between(before, after);

        Assert.Equal(["a", "b", "c"], set.Objects[Kinds.Node.Key].Order());
        Assert.Equal(3, set.ObjectCount);
        Assert.False(set.Objects.ContainsKey(Kinds.Kustomization.Key));
    }

    [Fact]
    public void A_replace_with_unchanged_objects_lists_only_what_changed()
    {
        var before = Seeded();
        var after = ClusterReducers.Reduce(before, new ResourcesReplaced(Kinds.Node, [Make(Kinds.Node, "a", "1"), Make(Kinds.Node, "b", "7")], T0.AddSeconds(1)));

        var set = ChangeSet.Between(before, after);

        Assert.Equal(["b"], set.Objects[Kinds.Node.Key]);
        Assert.Contains(Kinds.Node.Key, set.FreshnessChanged); // LastSyncAt moved
    }

    [Fact]
    public void Freshness_changes_are_listed_without_objects()
    {
        var before = Seeded();
        var after = ClusterReducers.Reduce(before, new FreshnessChanged(Kinds.Node, before.Slice(Kinds.Node).Freshness with { State = FeedState.Reconnecting }));

        var set = ChangeSet.Between(before, after);

        Assert.Equal([Kinds.Node.Key], set.FreshnessChanged);
        Assert.Empty(set.Objects);
        Assert.True(set.Touches(Area.Nodes, after));
        Assert.False(set.Touches(Area.Flux, after));
    }

    [Fact]
    public void Merge_unions_keys_and_clear_empties()
    {
        var s0 = Seeded();
        var s1 = ClusterReducers.Reduce(s0, new ResourcesChanged(Kinds.Node, [Make(Kinds.Node, "a", "2")], [], T0));
        var s2 = ClusterReducers.Reduce(s1, new ResourcesChanged(Kinds.Kustomization, [Make(Kinds.Kustomization, "k", "1")], [], T0));

        var merged = ChangeSet.Between(s0, s1);
        merged.Merge(ChangeSet.Between(s1, s2));

        Assert.Equal(["a"], merged.Objects[Kinds.Node.Key]);
        Assert.Equal(["k"], merged.Objects[Kinds.Kustomization.Key]);
        merged.Clear();
        Assert.True(merged.IsEmpty);
    }
}
