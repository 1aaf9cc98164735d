using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using static HomeOps.Cluster.Tests.State.Snapshots;

namespace HomeOps.Cluster.Tests.State;

public sealed class StoreTests
{
    private sealed record Increment(int By);
    private sealed record Ignored;
    private static class CounterReducers
    {
        public static Counter Reduce(Counter state, object action) => action switch
        {
            Increment increment => state with { Value = state.Value + increment.By },
            _ => state,
        };
    }

    private sealed record Counter(int Value);

    private static Store<Counter> NewStore() => new(new Counter(0), CounterReducers.Reduce);

    [Fact]
    public void Reducers_apply_in_order_and_subscribers_see_each_change()
    {
        var store = NewStore();
        var seen = new List<(int Before, int After, object Action)>();
        using var _ = store.Subscribe(c => seen.Add((c.Previous.Value, c.Current.Value, c.Action)));

        store.Dispatch(new Increment(2));
        store.Dispatch(new Increment(3));

        Assert.Equal(5, store.Value.Value);
        Assert.Equal([(0, 2), (2, 5)], seen.Select(s => (s.Before, s.After)));
        Assert.IsType<Increment>(seen[0].Action);
    }

    [Fact]
    public void An_action_without_a_reducer_changes_nothing_and_notifies_nobody()
    {
        var store = NewStore();
        var before = store.Value;
        var notified = 0;
        using var _ = store.Subscribe(_ => notified++);

        store.Dispatch(new Ignored());

        Assert.Same(before, store.Value);
        Assert.Equal(0, notified);
    }

    [Fact]
    public void A_throwing_subscriber_neither_starves_others_nor_fails_the_dispatcher()
    {
        var store = NewStore();
        var reported = new List<Exception>();
        store.SubscriberFailed += (ex, _) => reported.Add(ex);
        using var bad = store.Subscribe(_ => throw new InvalidOperationException("viewer bug"));
        var seen = 0;
        using var good = store.Subscribe(_ => seen++);

        store.Dispatch(new Increment(1)); // does not throw

        Assert.Equal(1, store.Value.Value);
        Assert.Equal(1, seen);
        Assert.IsType<InvalidOperationException>(Assert.Single(reported));
    }

    [Fact]
    public void Unsubscribing_stops_notifications()
    {
        var store = NewStore();
        var notified = 0;
        var sub = store.Subscribe(_ => notified++);
        store.Dispatch(new Increment(1));
        sub.Dispose();
        sub.Dispose(); // idempotent
        store.Dispatch(new Increment(1));

        Assert.Equal(1, notified);
        Assert.Equal(0, store.SubscriberCount);
    }

    [Fact]
    public void Cluster_store_dispatches_through_the_cluster_reducers()
    {
        var store = new ClusterStore();
        StateChange<ClusterState>? last = null;
        using var _ = store.Subscribe(c => last = c);

        store.Dispatch(new ResourcesReplaced(Kinds.Node, [Make(Kinds.Node, "a", "1")], T0));

        Assert.Single(store.Value.Items(Kinds.Node));
        Assert.NotNull(last);
        Assert.Empty(last!.Previous.Items(Kinds.Node));
        Assert.Equal(Kinds.All.Count, store.Value.Kinds.Count);
    }

    [Fact]
    public void Concurrent_dispatches_lose_nothing()
    {
        var store = new ClusterStore();
        Parallel.For(0, 400, i =>
            store.Dispatch(new ResourcesChanged(Kinds.Kustomization, [Make(Kinds.Kustomization, $"k{i}", "1")], [], T0)));
        Assert.Equal(400, store.Value.Slice(Kinds.Kustomization).Items.Count);
        Assert.Equal(400, store.Value.Version);
    }
}
