using System.Net;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;
using Microsoft.Extensions.Logging;

namespace HomeOps.Simulator.Faults;

/// <summary>
/// Breaks the simulated API server on purpose, the ways a real one breaks: dropped watch streams, compacted
/// history (410 Expired), transient error responses. Also exposes the request counters.
/// </summary>
public sealed class FaultInjector
{
    private readonly ClusterObjectStore _store;
    private readonly ILogger _log;

    internal FaultInjector(ClusterObjectStore store, ApiCounters counters, ILogger log)
    {
        _store = store;
        _log = log;
        Counters = counters;
    }

    public ApiCounters Counters { get; }

    internal InjectedFailures Failures { get; } = new();

    /// <summary>Watch streams open right now.</summary>
    public int OpenWatches => _store.OpenWatchCount;

    public long WatchRequests => Counters.WatchRequests;

    public long ListRequests => Counters.ListRequests;

    /// <summary>Ends every open watch stream cleanly; clients must resume from their last resourceVersion.</summary>
    public int DropAllWatches()
    {
        var dropped = _store.DropAllWatches();
        _log.LogInformation("Fault: dropped {Count} watch streams", dropped);
        return dropped;
    }

    /// <summary>Compacts the history: every resourceVersion clients hold becomes too old (410 on the next watch or list-at-version).</summary>
    public long ExpireHistory()
    {
        var version = _store.ExpireHistory();
        _log.LogInformation("Fault: history expired; oldest resumable resourceVersion is now {ResourceVersion}", version);
        return version;
    }

    /// <summary>Answers the next <paramref name="count"/> list/watch requests (of <paramref name="kind"/>, or any) with an error status.</summary>
    public void FailNextRequests(int count, HttpStatusCode code = HttpStatusCode.ServiceUnavailable, KindInfo? kind = null)
    {
        Failures.Add(count, code, kind);
        _log.LogInformation("Fault: the next {Count} list/watch requests fail with {Code}", count, (int)code);
    }
}
