using System.Runtime.CompilerServices;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Areas;

/// <summary>
/// A view (row list, summary) computed once per distinct input and shared by every circuit. The inputs are the
/// immutable slices the view reads: the reducers keep an unchanged kind's slice as the same instance, so equal
/// references mean an equal result. Without this each circuit rebuilt its page from the whole state on every batch
/// (circuits × cluster size per 100 ms; docs/benchmarks.md items 2, 5 and 7).
/// </summary>
/// <remarks>
/// Keyed weakly by the first input (a state's slices may be read long after: a circuit renders the state of its last
/// batch), holding the latest result for that key, so nothing outlives the slices it was computed from.
/// The compute runs under the lock on purpose: circuits that arrive together wait for the one result instead of each
/// computing it on the machine's few cores, and one set of inputs always maps to one shared instance.
/// </remarks>
public sealed class SharedView<T> where T : class
{
    private sealed record Entry(object?[] Inputs, T Value);

    private readonly Lock _gate = new();
    private readonly ConditionalWeakTable<object, Entry> _entries = new();

    /// <param name="inputs">The references the result depends on; the first is the cache key.</param>
    public T Get(object?[] inputs, Func<T> compute)
    {
        // No key (a state built without the area's kinds): nothing to share, just compute.
        if (inputs.Length == 0 || inputs[0] is not { } key) return compute();
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry) && SameReferences(entry.Inputs, inputs)) return entry.Value;
            var value = compute();
            _entries.AddOrUpdate(key, new Entry(inputs, value));
            return value;
        }
    }

    private static bool SameReferences(object?[] a, object?[] b)
    {
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
            if (!ReferenceEquals(a[i], b[i])) return false;
        return true;
    }
}

/// <summary>
/// The row of one object, kept for as long as the object's snapshot lives, so an unchanged object keeps the very same
/// row instance across states (row components skip re-rendering on it) and its row is built once, not per state.
/// </summary>
public sealed class RowsBySnapshot<TRow> where TRow : class
{
    private readonly ConditionalWeakTable<ResourceSnapshot, TRow> _rows = new();

    public TRow Get(ResourceSnapshot snapshot, Func<ResourceSnapshot, TRow> build) =>
        _rows.GetValue(snapshot, s => build(s));

    public bool TryGet(ResourceSnapshot snapshot, out TRow? row) => _rows.TryGetValue(snapshot, out row);

    public void Set(ResourceSnapshot snapshot, TRow row) => _rows.AddOrUpdate(snapshot, row);
}

/// <summary>The inputs of shared views: the slices they read.</summary>
public static class ViewInputs
{
    public static object?[] Of(ClusterState state, params KindInfo[] kinds)
    {
        var inputs = new object?[kinds.Length];
        for (var i = 0; i < kinds.Length; i++) inputs[i] = state.Slice(kinds[i]);
        return inputs;
    }

    /// <summary>Every slice of an area (its freshness and data), plus any extra inputs such as configuration.</summary>
    public static object?[] OfArea(ClusterState state, Area area, params object?[] extra) =>
        [.. state.SlicesIn(area), .. extra];
}
