using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// The watch events of one kind that arrived together, folded into one <see cref="ResourcesChanged"/>: one store update
/// instead of hundreds keeps throughput high when many objects change at once. The last operation per key wins, so
/// upserts and deletions are disjoint and their order in the action does not matter. Reused batch after batch by its
/// informer (single-threaded); the ingest benchmark drives exactly this code.
/// </summary>
public sealed class WatchBatch(KindInfo kind, IState<ClusterState> state)
{
    private readonly Dictionary<string, ResourceSnapshot> _upserts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deletes = new(StringComparer.Ordinal);

    public KindInfo Kind { get; } = kind;

    /// <summary>Objects upserted or deleted so far (after folding).</summary>
    public int Count => _upserts.Count + _deletes.Count;

    /// <summary>Folds one event in. Bookmarks and errors carry no object change and are ignored.</summary>
    public void Add(in WatchItem item)
    {
        if (item.Upsert is { } snapshot)
        {
            var key = snapshot.Key;
            _deletes.Remove(key);
            _upserts[key] = snapshot;
        }
        else if (item.DeletedKey is { } key)
        {
            // Deleted, or changed into an object we do not keep (a Service no longer of type LoadBalancer).
            if (_upserts.Remove(key) || state.Value.Slice(Kind).Items.ContainsKey(key)) _deletes.Add(key);
        }
    }

    /// <summary>The batch as one action (null when nothing changed), and an empty batch to fill again.</summary>
    public ResourcesChanged? Take(DateTimeOffset at)
    {
        if (Count == 0) return null;
        var action = new ResourcesChanged(Kind, [.. _upserts.Values], [.. _deletes], at);
        Clear();
        return action;
    }

    /// <summary>Forgets what was added since the last <see cref="Take"/>.</summary>
    public void Clear()
    {
        _upserts.Clear();
        _deletes.Clear();
    }
}
