namespace HomeOps.Simulator.Faults;

/// <summary>
/// The ways a <see cref="FaultSchedule"/> breaks the simulated API server. The comments say how realistic each one is:
/// a client must survive all of them, but a few (reordered events) cannot come from a real kube-apiserver and exist
/// only to prove that the client's own defences hold.
/// </summary>
public enum FaultType
{
    // ---- answers to a list or watch request, instead of the data ----

    /// <summary>HTTP 410 Expired: a compacted resourceVersion or an expired continue token. Real.</summary>
    Gone410,

    /// <summary>HTTP 429: API Priority and Fairness throttling; usually with <c>Retry-After: 1</c>. Real.</summary>
    TooManyRequests429,

    /// <summary>HTTP 500: an apiserver or etcd error, sometimes with <c>Retry-After</c>. Real.</summary>
    ServerError500,

    // ---- damage to one line of a watch stream ----

    /// <summary>Half a line, then the connection (HTTP/2 stream) is reset: a crashing apiserver or a broken proxy. Real.</summary>
    CutMidLine,

    /// <summary>Half a line, then the response ends cleanly: a proxy that times the response out. Real.</summary>
    EndMidLine,

    /// <summary>One line delivered in several chunks with pauses between them: a slow network. Real.</summary>
    SlowPartialLine,

    /// <summary>
    /// The same event twice. Not on one real watch stream, but a client that resumes from an older resourceVersion sees
    /// events again, so applying an event twice must be harmless.
    /// </summary>
    DuplicateEvent,

    /// <summary>
    /// This event and the next event of a <em>different</em> object swapped. A real watch stream is ordered by
    /// resourceVersion (one etcd revision sequence per resource), so this never comes from kube-apiserver; reordering two
    /// events of the same object would even contradict what the API guarantees. It checks that a client treats a
    /// resourceVersion going backwards as "my view is no longer trustworthy" (it re-lists) instead of applying it blindly.
    /// </summary>
    ReorderEvents,

    /// <summary>A line that is not JSON, inserted between two events: a corrupting middlebox. Rare but seen.</summary>
    GarbageLine,

    /// <summary>
    /// The event's line replaced by a truncated copy: the event itself is lost from this stream. A client that skips
    /// an unreadable line and carries on loses that change for good; one that re-watches from its last good
    /// resourceVersion gets it replayed.
    /// </summary>
    CorruptEvent,

    /// <summary>An ERROR event carrying a 410 Expired Status, then the stream ends: how a watch learns of a compaction. Real.</summary>
    ErrorEvent410,

    /// <summary>An inserted object nested deeper (10,001 levels) than kube-apiserver itself accepts (10,000): hostile input.</summary>
    TooDeepLine,

    // ---- the whole server ----

    /// <summary>Every watch connection reset and the history compacted, so every resourceVersion clients hold is gone. Real (an apiserver restart after an etcd restore or compaction).</summary>
    ApiRestartWithReset,
}

/// <summary>Human-readable names for reports and artifacts.</summary>
public static class FaultNames
{
    public static string Of(FaultType type) => type switch
    {
        FaultType.Gone410 => "410 Expired",
        FaultType.TooManyRequests429 => "429 Too Many Requests",
        FaultType.ServerError500 => "500 Internal Server Error",
        FaultType.CutMidLine => "connection reset mid-line",
        FaultType.EndMidLine => "response ended mid-line",
        FaultType.SlowPartialLine => "slow line in chunks",
        FaultType.DuplicateEvent => "duplicated event",
        FaultType.ReorderEvents => "reordered events (different objects)",
        FaultType.GarbageLine => "garbage line",
        FaultType.CorruptEvent => "corrupted event line",
        FaultType.ErrorEvent410 => "ERROR event 410 Expired",
        FaultType.TooDeepLine => "line nested 10,001 levels deep",
        FaultType.ApiRestartWithReset => "API restart with resourceVersion reset",
        _ => type.ToString(),
    };
}
