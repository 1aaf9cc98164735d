using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using static HomeOps.Cluster.Tests.State.Snapshots;

namespace HomeOps.Cluster.Tests.State;

public sealed class ClusterReducersTests
{
    private static readonly KindInfo Node = Kinds.Node;

    [Fact]
    public void Replace_fills_the_slice_and_marks_it_synced()
    {
        var state = ClusterState.Initial(T0);
        var next = ClusterReducers.Reduce(state, new ResourcesReplaced(Node, [Make(Node, "a", "1"), Make(Node, "b", "2")], T0.AddSeconds(1)));

        var slice = next.Slice(Node);
        Assert.Equal(["a", "b"], slice.Items.Keys.Order());
        Assert.True(slice.Freshness.Synced);
        Assert.Equal(T0.AddSeconds(1), slice.Freshness.LastSyncAt);
        Assert.Equal(state.Version + 1, next.Version);
        // Other slices are untouched (same references).
        Assert.Same(state.Slice(Kinds.Kustomization), next.Slice(Kinds.Kustomization));
    }

    [Fact]
    public void Replace_keeps_the_reference_of_unchanged_objects_and_drops_missing_ones()
    {
        var a1 = Make(Node, "a", "1");
        var b1 = Make(Node, "b", "1");
        var c1 = Make(Node, "c", "1");
        var state = ClusterReducers.Reduce(ClusterState.Initial(T0), new ResourcesReplaced(Node, [a1, b1, c1], T0));

        var a1Again = Make(Node, "a", "1");       // same version, new instance: the store keeps the old one
        var b2 = Make(Node, "b", "2");            // new version
        var next = ClusterReducers.Reduce(state, new ResourcesReplaced(Node, [a1Again, b2], T0.AddSeconds(5)));

        var items = next.Slice(Node).Items;
        Assert.Same(a1, items["a"]);
        Assert.Same(b2, items["b"]);
        Assert.False(items.ContainsKey("c"));
    }

    [Fact]
    public void Replace_takes_a_new_verdict_even_at_the_same_resource_version()
    {
        // Time-based rules (token expiry, outpost last_seen) change the verdict without a new resourceVersion.
        var healthy = Make(Kinds.AuthentikToken, "t", "1", HealthStatus.Healthy);
        var state = ClusterReducers.Reduce(ClusterState.Initial(T0), new ResourcesReplaced(Kinds.AuthentikToken, [healthy], T0));
        var degraded = Make(Kinds.AuthentikToken, "t", "1", HealthStatus.Degraded);

        var next = ClusterReducers.Reduce(state, new ResourcesReplaced(Kinds.AuthentikToken, [degraded], T0));

        Assert.Same(degraded, next.Slice(Kinds.AuthentikToken).Items["t"]);
    }

    [Fact]
    public void Changed_applies_upserts_and_deletions_and_records_the_event_time()
    {
        var state = ClusterReducers.Reduce(ClusterState.Initial(T0), new ResourcesReplaced(Node, [Make(Node, "a", "1"), Make(Node, "b", "1")], T0));
        var a2 = Make(Node, "a", "2", HealthStatus.Failed);
        var c1 = Make(Node, "c", "3");

        var next = ClusterReducers.Reduce(state, new ResourcesChanged(Node, [a2, c1], ["b"], T0.AddSeconds(9)));

        var slice = next.Slice(Node);
        Assert.Same(a2, slice.Items["a"]);
        Assert.Same(c1, slice.Items["c"]);
        Assert.False(slice.Items.ContainsKey("b"));
        Assert.Equal(T0.AddSeconds(9), slice.Freshness.LastEventAt);
        Assert.Equal(T0, slice.Freshness.LastSyncAt);
    }

    [Fact]
    public void An_empty_change_returns_the_same_state()
    {
        var state = ClusterState.Initial(T0);
        Assert.Same(state, ClusterReducers.Reduce(state, new ResourcesChanged(Node, [], [], T0)));
    }

    [Fact]
    public void Deleting_an_unknown_key_is_harmless()
    {
        var state = ClusterReducers.Reduce(ClusterState.Initial(T0), new ResourcesReplaced(Node, [Make(Node, "a", "1")], T0));
        var next = ClusterReducers.Reduce(state, new ResourcesChanged(Node, [], ["nope"], T0));
        Assert.Equal(["a"], next.Slice(Node).Items.Keys);
    }

    [Fact]
    public void Freshness_is_replaced_and_an_equal_record_is_a_no_op()
    {
        var state = ClusterState.Initial(T0);
        var live = new Freshness(FeedState.Live, true, T0, T0, 2, null, T0);

        var next = ClusterReducers.Reduce(state, new FreshnessChanged(Node, live));
        Assert.Equal(live, next.Slice(Node).Freshness);
        Assert.Same(state.Slice(Node).Items, next.Slice(Node).Items);

        Assert.Same(next, ClusterReducers.Reduce(next, new FreshnessChanged(Node, live with { })));
    }

    [Fact]
    public void A_kind_outside_the_catalogue_gets_its_own_slice()
    {
        var custom = new KindInfo("Widget", "example.com", "v1", "widgets", true, Area.Flux);
        var next = ClusterReducers.Reduce(ClusterState.Initial(T0), new ResourcesReplaced(custom, [Make(custom, "w", "1")], T0));
        Assert.Single(next.Items(custom));
    }
}
