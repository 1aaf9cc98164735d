using System.Collections.Immutable;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.State;

/// <summary>Pure reducers of <see cref="ClusterState"/>. Unchanged objects keep their reference, so views can diff cheaply.</summary>
public static class ClusterReducers
{
    /// <summary>The root reducer: one case per action; an action it does not know leaves the state as it is.</summary>
    public static ClusterState Reduce(ClusterState state, object action) => action switch
    {
        ResourcesReplaced replaced => Reduce(state, replaced),
        ResourcesChanged changed => Reduce(state, changed),
        FreshnessChanged freshness => Reduce(state, freshness),
        _ => state,
    };

    public static ClusterState Reduce(ClusterState state, ResourcesReplaced action)
    {
        var slice = SliceOf(state, action.Kind);
        var builder = ImmutableDictionary.CreateBuilder<string, ResourceSnapshot>(StringComparer.Ordinal);
        foreach (var item in action.Items)
        {
            // Keep the old reference when nothing changed (same resourceVersion), so the change set stays small.
            builder[item.Key] = slice.Items.TryGetValue(item.Key, out var old) && SameVersion(old, item) ? old : item;
        }
        var items = builder.ToImmutable();
        var fresh = slice.Freshness with { LastSyncAt = action.At, LastEventAt = action.At, Synced = true };
        return With(state, slice with { Kind = action.Kind, Items = items, Freshness = fresh });
    }

    public static ClusterState Reduce(ClusterState state, ResourcesChanged action)
    {
        var slice = SliceOf(state, action.Kind);
        var items = slice.Items;
        if (action.Upserts.Count + action.DeletedKeys.Count > 1)
        {
            // A batch goes through one builder: the tree's upper nodes are copied once for the whole batch instead of
            // once per object (SetItem on the immutable dictionary copies the path to the root every time).
            // The builder keeps the dictionary's value comparer, so an equal snapshot still leaves the old reference.
            var builder = items.ToBuilder();
            foreach (var item in action.Upserts)
                builder[item.Key] = item;
            foreach (var key in action.DeletedKeys)
                builder.Remove(key);
            items = builder.ToImmutable();
        }
        else
        {
            foreach (var item in action.Upserts)
                items = items.SetItem(item.Key, item);
            foreach (var key in action.DeletedKeys)
                items = items.Remove(key);
        }
        var fresh = slice.Freshness with { LastEventAt = action.At };
        if (ReferenceEquals(items, slice.Items) && action.Upserts.Count == 0 && action.DeletedKeys.Count == 0)
            return state;
        return With(state, slice with { Items = items, Freshness = fresh });
    }

    public static ClusterState Reduce(ClusterState state, FreshnessChanged action)
    {
        var slice = SliceOf(state, action.Kind);
        if (slice.Freshness == action.Freshness) return state;
        return With(state, slice with { Kind = action.Kind, Freshness = action.Freshness });
    }

    private static KindSlice SliceOf(ClusterState state, KindInfo kind) =>
        state.Kinds.TryGetValue(kind.Key, out var s) ? s : KindSlice.Empty(kind, DateTimeOffset.UtcNow);

    private static ClusterState With(ClusterState state, KindSlice slice) =>
        new(state.Kinds.SetItem(slice.Kind.Key, slice), state.Version + 1);

    private static bool SameVersion(ResourceSnapshot a, ResourceSnapshot b) =>
        a.Meta.ResourceVersion.Length > 0 && a.Meta.ResourceVersion == b.Meta.ResourceVersion && a.Verdict == b.Verdict;
}
