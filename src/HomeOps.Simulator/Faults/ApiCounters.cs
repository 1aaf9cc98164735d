using System.Collections.Concurrent;
using HomeOps.Cluster.Model;

namespace HomeOps.Simulator.Faults;

/// <summary>
/// Request counters of the Kubernetes API, total and per kind, so tests can assert how clients behave
/// (one informer per kind, re-list after 410, no request storms).
/// </summary>
public sealed class ApiCounters
{
    private readonly ConcurrentDictionary<string, long> _lists = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _watches = new(StringComparer.Ordinal);
    private long _listTotal;
    private long _watchTotal;

    public long ListRequests => Interlocked.Read(ref _listTotal);

    public long WatchRequests => Interlocked.Read(ref _watchTotal);

    public long ListRequestsFor(KindInfo kind) => _lists.GetValueOrDefault(kind.Key);

    public long WatchRequestsFor(KindInfo kind) => _watches.GetValueOrDefault(kind.Key);

    internal void CountList(KindInfo kind)
    {
        Interlocked.Increment(ref _listTotal);
        _lists.AddOrUpdate(kind.Key, 1, (_, n) => n + 1);
    }

    internal void CountWatch(KindInfo kind)
    {
        Interlocked.Increment(ref _watchTotal);
        _watches.AddOrUpdate(kind.Key, 1, (_, n) => n + 1);
    }
}
