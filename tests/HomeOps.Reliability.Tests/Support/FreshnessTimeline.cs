using System.Collections.Concurrent;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Reliability.Tests.Support;

/// <summary>
/// Every freshness record dispatched to a store, stamped with <see cref="Clock"/> as it is dispatched (store
/// subscribers run inside Dispatch, before the informer takes its next step — so a record is always stamped
/// before the request that follows it reaches the simulator).
/// </summary>
internal sealed class FreshnessTimeline : IDisposable
{
    private readonly ConcurrentQueue<Entry> _entries = new();
    private readonly IDisposable _subscription;

    public FreshnessTimeline(ClusterStore store)
    {
        _subscription = store.Subscribe(change =>
        {
            if (change.Action is FreshnessChanged f) _entries.Enqueue(new Entry(Clock.Now, f.Kind.Key, f.Freshness.State, f.Freshness.LastError));
        });
    }

    public sealed record Entry(long At, string Kind, FeedState State, string? Error);

    public IReadOnlyList<Entry> For(KindInfo kind) => [.. _entries.Where(e => e.Kind == kind.Key).OrderBy(e => e.At)];

    public int Count => _entries.Count;

    public void Dispose() => _subscription.Dispose();
}
