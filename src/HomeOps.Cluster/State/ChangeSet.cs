using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.State;

/// <summary>What changed between two states: object keys per kind (upserted or removed) and kinds whose freshness changed.</summary>
public sealed class ChangeSet
{
    private readonly Dictionary<string, HashSet<string>> _objects = new(StringComparer.Ordinal);
    private readonly HashSet<string> _freshness = new(StringComparer.Ordinal);

    public bool IsEmpty => _objects.Count == 0 && _freshness.Count == 0;

    /// <summary>Kind key → object keys that changed (upserted or deleted; look the key up in the current state to know which).</summary>
    public IReadOnlyDictionary<string, HashSet<string>> Objects => _objects;

    public IReadOnlySet<string> FreshnessChanged => _freshness;

    public int ObjectCount => _objects.Values.Sum(s => s.Count);

    /// <summary>
    /// Whether the change concerns <paramref name="area"/>: one of its kinds changed, or (for areas that include
    /// workloads, <see cref="AreaWorkload"/>) a workload-layer object in one of their namespaces did. A removed object
    /// cannot be looked up any more and counts as touching.
    /// </summary>
    public bool Touches(Area area, ClusterState state) =>
        _objects.Keys.Concat(_freshness).Any(k => state.Kinds.TryGetValue(k, out var s) && s.Kind.Area == area)
        || (area != Area.Workloads && AreaWorkload.AnyFor(area) && _objects.Any(o =>
            state.Kinds.TryGetValue(o.Key, out var s) && s.Kind.Area == Area.Workloads
            && o.Value.Any(k => !s.Items.TryGetValue(k, out var item) || AreaWorkload.MayConcern(area, item))));

    public void Merge(ChangeSet other)
    {
        foreach (var (kind, keys) in other._objects)
        {
            if (!_objects.TryGetValue(kind, out var set)) _objects[kind] = set = new(StringComparer.Ordinal);
            set.UnionWith(keys);
        }
        _freshness.UnionWith(other._freshness);
    }

    public void Clear()
    {
        _objects.Clear();
        _freshness.Clear();
    }

    /// <summary>Computes the change between two states by reference comparison of slices and items (cheap: reducers keep unchanged references).</summary>
    public static ChangeSet Between(ClusterState previous, ClusterState current)
    {
        var set = new ChangeSet();
        foreach (var (key, slice) in current.Kinds)
        {
            previous.Kinds.TryGetValue(key, out var old);
            if (ReferenceEquals(old, slice)) continue;
            if (old is null || old.Freshness != slice.Freshness) set._freshness.Add(key);
            if (old is not null && ReferenceEquals(old.Items, slice.Items)) continue;
            HashSet<string>? keys = null;
            foreach (var (k, item) in slice.Items)
                if (old is null || !old.Items.TryGetValue(k, out var o) || !ReferenceEquals(o, item))
                    (keys ??= new(StringComparer.Ordinal)).Add(k);
            if (old is not null)
                foreach (var k in old.Items.Keys)
                    if (!slice.Items.ContainsKey(k))
                        (keys ??= new(StringComparer.Ordinal)).Add(k);
            if (keys is not null) set._objects[key] = keys;
        }
        return set;
    }
}
