using System.Collections.Concurrent;
using System.Net;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HomeOps.Simulator.Faults;

/// <summary>
/// Breaks the simulated API server on purpose, the ways a real one breaks: dropped watch streams, compacted
/// history (410 Expired), transient error responses, and — with an armed <see cref="FaultSchedule"/> — damaged
/// watch lines (cut, truncated, slow, duplicated, reordered, garbage, too deep). Also exposes the request counters
/// and, on demand, a timeline of requests and watch sessions (<see cref="StartRecording"/>).
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

    private readonly ConcurrentDictionary<string, ConcurrentQueue<Action<ClusterObjectStore>>> _beforeContinuedList = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs <paramref name="action"/> on the cluster just before the next list request of <paramref name="kind"/> that
    /// carries a continue token is served: writes between two pages of one list, or <see cref="ClusterObjectStore.ExpireHistory"/>
    /// so that the token's snapshot is compacted and the page answers 410 Expired, as a real API server does mid-list.
    /// </summary>
    public void BeforeNextContinuedList(KindInfo kind, Action<ClusterObjectStore> action)
    {
        _beforeContinuedList.GetOrAdd(kind.Key, _ => new ConcurrentQueue<Action<ClusterObjectStore>>()).Enqueue(action);
        _log.LogInformation("Fault: armed an action before the next continued list of {Kind}", kind.Key);
    }

    internal void OnContinuedList(KindInfo kind)
    {
        if (_beforeContinuedList.TryGetValue(kind.Key, out var queue) && queue.TryDequeue(out var action)) action(_store);
    }

    // ---- seeded fault schedules, recording, injected lines ----

    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _injectedLines = new(StringComparer.Ordinal);
    private volatile FaultSchedule? _schedule;
    private volatile ApiRecorder? _recorder;

    /// <summary>The armed schedule, if any.</summary>
    public FaultSchedule? Schedule => _schedule;

    /// <summary>Applies <paramref name="schedule"/> to every list/watch request from now on (replacing any armed one).</summary>
    public void Arm(FaultSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        _schedule = schedule;
        _log.LogInformation("Fault schedule armed (seed {Seed})", schedule.Seed);
    }

    /// <summary>Stops the armed schedule and removes it; returns it (for its counters).</summary>
    public FaultSchedule? Disarm()
    {
        var schedule = Interlocked.Exchange(ref _schedule, null);
        schedule?.Stop();
        return schedule;
    }

    /// <summary>Starts a new timeline of requests and watch sessions (replacing the current one).</summary>
    public ApiRecorder StartRecording() => _recorder = new ApiRecorder();

    public void StopRecording() => _recorder = null;

    /// <summary>
    /// Queues a raw line (e.g. a malformed or hostile event) for the watch streams of <paramref name="kind"/>: the next
    /// stream that sends anything (an event or a bookmark) sends this line first. A newline is added when missing.
    /// </summary>
    public void InjectLine(KindInfo kind, string line)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(line.EndsWith('\n') ? line : line + "\n");
        _injectedLines.GetOrAdd(kind.Key, _ => new ConcurrentQueue<byte[]>()).Enqueue(bytes);
        _log.LogInformation("Fault: a raw line of {Length} bytes queued for the next {Kind} watch line", bytes.Length, kind.Kind);
    }

    /// <inheritdoc cref="InjectLine(KindInfo, string)"/>
    public void InjectLine(KindInfo kind, byte[] line)
    {
        var bytes = line.Length > 0 && line[^1] == (byte)'\n' ? line : [.. line, (byte)'\n'];
        _injectedLines.GetOrAdd(kind.Key, _ => new ConcurrentQueue<byte[]>()).Enqueue(bytes);
        _log.LogInformation("Fault: a raw line of {Length} bytes queued for the next {Kind} watch line", bytes.Length, kind.Kind);
    }

    /// <summary>Raw lines queued for <paramref name="kind"/> and not yet sent.</summary>
    public int PendingInjectedLines(KindInfo kind) => _injectedLines.TryGetValue(kind.Key, out var q) ? q.Count : 0;

    internal bool TryTakeInjectedLine(KindInfo kind, out byte[] line)
    {
        line = [];
        return _injectedLines.TryGetValue(kind.Key, out var queue) && queue.TryDequeue(out line!);
    }

    /// <summary>Called for every list/watch request: what the armed schedule does to it (and the recorder notes it).</summary>
    internal PlannedRequest BeginRequest(KindInfo kind, bool watch)
    {
        var schedule = _schedule;
        var ordinal = -1;
        var plan = schedule?.Next(kind, out ordinal) ?? RequestPlan.Clean;
        if (plan.Response is { } fault) schedule!.Count($"{(watch ? "watch" : "list")} {fault.Name}");
        _recorder?.Request(kind, watch, plan.Response?.Name);
        return new PlannedRequest(plan, schedule, ordinal);
    }

    /// <summary>The tap a watch stream sends its lines through.</summary>
    internal WatchStreamTap OpenStream(KindInfo kind, HttpContext context, PlannedRequest planned) =>
        new(kind, context, planned.Plan, planned.Schedule, _recorder, this, DamageSeed(kind, planned));

    /// <summary>For a stream opened before the schedule was armed: its plan, as the kind's next request.</summary>
    internal (RequestPlan Plan, FaultSchedule Schedule, int Seed)? AdoptStream(KindInfo kind)
    {
        if (_schedule is not { Active: true } schedule) return null;
        var plan = schedule.Next(kind, out var ordinal);
        return (plan, schedule, DamageSeed(kind, new PlannedRequest(plan, schedule, ordinal)));
    }

    // The damage itself (where a line is cut, how it is chunked) is seeded too, so a seed reproduces it.
    private static int DamageSeed(KindInfo kind, PlannedRequest planned) =>
        unchecked((planned.Schedule?.Seed ?? 0) * 397 ^ StableHash(kind.Key) ^ (planned.Ordinal + 1) * 7919);

    /// <summary>FNV-1a: string.GetHashCode differs per process, and damage must be reproducible from a seed.</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return unchecked((int)hash);
    }
}

/// <summary>A request's plan, the schedule it came from and its ordinal among its kind's requests.</summary>
internal readonly record struct PlannedRequest(RequestPlan Plan, FaultSchedule? Schedule, int Ordinal);
