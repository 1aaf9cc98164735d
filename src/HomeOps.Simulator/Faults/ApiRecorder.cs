using System.Collections.Concurrent;
using System.Diagnostics;
using HomeOps.Cluster.Model;

namespace HomeOps.Simulator.Faults;

/// <summary>
/// A timeline of what the API server did, for tests that judge a client against it: every list/watch request with
/// the fault it got, and every watch session (from the moment its response headers went out to the moment the
/// stream ended, however it ended). Times are <see cref="Stopwatch.GetTimestamp"/> values, so a test in the same
/// process can compare them with its own observations. Start one with <see cref="FaultInjector.StartRecording"/>.
/// </summary>
public sealed class ApiRecorder
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<WatchSession> _sessions = new();

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public IReadOnlyList<WatchSession> Sessions => [.. _sessions];

    /// <summary>Watch sessions whose stream has not ended yet.</summary>
    public int OpenSessions => _sessions.Count(s => s.Ended is null);

    internal void Request(KindInfo kind, bool watch, string? fault) =>
        _requests.Enqueue(new RecordedRequest(kind.Key, watch, Stopwatch.GetTimestamp(), fault));

    internal WatchSession SessionStarted(KindInfo kind)
    {
        var session = new WatchSession(kind.Key, Stopwatch.GetTimestamp());
        _sessions.Enqueue(session);
        return session;
    }
}

/// <summary>One list or watch request as the server received it; <see cref="Fault"/> names the error it was answered with, if any.</summary>
public sealed record RecordedRequest(string Kind, bool Watch, long At, string? Fault);

/// <summary>One watch stream the server served: established at <see cref="Started"/>, ended at <see cref="Ended"/> (null while open).</summary>
public sealed class WatchSession(string kind, long started)
{
    private long _ended;

    public string Kind { get; } = kind;

    public long Started { get; } = started;

    public long? Ended => Interlocked.Read(ref _ended) is var e && e != 0 ? e : null;

    /// <summary>How the stream ended, when a fault ended it ("connection reset mid-line", …); null for an ordinary end.</summary>
    public string? EndedBy { get; private set; }

    public int Lines { get; internal set; }

    internal void End(string? by)
    {
        EndedBy ??= by;
        Interlocked.CompareExchange(ref _ended, Stopwatch.GetTimestamp(), 0);
    }
}
