using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.State;

/// <summary>What changed between two states: object keys per kind (upserted or removed) and kinds whose freshness changed.</summary>
public sealed class ChangeSet
{
    private readonly Dictionary<string, HashSet<string>> _objects = new(StringComparer.Ordinal);
    private readonly HashSet<string> _freshness = new(StringComparer.Ordinal);

    // The last snapshot of each removed workload-layer object (only those: areas that include workloads need to know
    // what a removed pod was to tell whether they showed it). Deletions are rare, so this stays small.
    private Dictionary<(string Kind, string Key), ResourceSnapshot>? _removed;

    public bool IsEmpty => _objects.Count == 0 && _freshness.Count == 0;

    /// <summary>Kind key → object keys that changed (upserted or deleted; look the key up in the current state to know which).</summary>
    public IReadOnlyDictionary<string, HashSet<string>> Objects => _objects;

    public IReadOnlySet<string> FreshnessChanged => _freshness;

    public int ObjectCount => _objects.Values.Sum(s => s.Count);

    /// <summary>Whether objects of <paramref name="kind"/> changed, or its freshness did.</summary>
    public bool Touches(KindInfo kind) => _objects.ContainsKey(kind.Key) || _freshness.Contains(kind.Key);

    /// <summary>
    /// Whether the change concerns <paramref name="area"/>: one of its kinds changed, or (for areas that include
    /// workloads, <see cref="AreaWorkload"/>) one of the workloads or pods the area shows did
    /// (<see cref="AreaWorkload.Concerns"/>; a removed object is judged by its last snapshot). Another pod in the same
    /// namespace does not touch the area.
    /// </summary>
    public bool Touches(Area area, ClusterState state)
    {
        foreach (var k in _objects.Keys)
            if (state.Kinds.TryGetValue(k, out var s) && s.Kind.Area == area) return true;
        foreach (var k in _freshness)
            if (state.Kinds.TryGetValue(k, out var s) && s.Kind.Area == area) return true;
        if (area == Area.Workloads || !AreaWorkload.AnyFor(area)) return false;
        foreach (var (kind, keys) in _objects)
        {
            if (!state.Kinds.TryGetValue(kind, out var s) || s.Kind.Area != Area.Workloads) continue;
            foreach (var k in keys)
            {
                var item = s.Items.TryGetValue(k, out var now) ? now : _removed?.GetValueOrDefault((kind, k));
                // Neither in the state nor remembered as removed: cannot be judged, so it counts as touching.
                if (item is null || AreaWorkload.Concerns(area, item)) return true;
            }
        }
        return false;
    }

    public void Merge(ChangeSet other)
    {
        foreach (var (kind, keys) in other._objects)
        {
            if (!_objects.TryGetValue(kind, out var set)) _objects[kind] = set = new(StringComparer.Ordinal);
            set.UnionWith(keys);
        }
        _freshness.UnionWith(other._freshness);
        if (other._removed is not null)
            foreach (var (key, snapshot) in other._removed)
                (_removed ??= [])[key] = snapshot;
    }

    public void Clear()
    {
        _objects.Clear();
        _freshness.Clear();
        _removed?.Clear();
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
                foreach (var (k, gone) in old.Items)
                    if (!slice.Items.ContainsKey(k))
                    {
                        (keys ??= new(StringComparer.Ordinal)).Add(k);
                        if (slice.Kind.Area == Area.Workloads) (set._removed ??= [])[(key, k)] = gone;
                    }
            if (keys is not null) set._objects[key] = keys;
        }
        return set;
    }
}
