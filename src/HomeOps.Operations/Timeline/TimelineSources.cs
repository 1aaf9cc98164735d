namespace HomeOps.Operations.Timeline;

/// <summary>A Kubernetes Warning event (<c>events.k8s.io/v1</c>, <c>type: Warning</c>) on one object.</summary>
/// <param name="Kind">The regarding object's kind (<c>Pod</c>, <c>HelmRelease</c>).</param>
/// <param name="Area">The overview area it belongs to, when known (else "").</param>
/// <param name="WorkloadKind">For a pod, the kind of the workload that owns it (repeats on its replicas are merged); else null.</param>
public sealed record WarningEvent(DateTimeOffset At, string Kind, string? Namespace, string Name, string Reason, string Message, string Area = "",
    string? WorkloadKind = null, string? WorkloadName = null);

/// <summary>
/// The seam for Warning events: the workload layer (issue 16's drill-down, which watches <c>events.k8s.io/v1</c>)
/// registers one as a singleton and the recorder subscribes at start. The handler only enqueues (the recorder writes
/// in batches); a source may call it from any thread.
/// </summary>
public interface IWarningEventSource
{
    IDisposable Subscribe(Action<WarningEvent> onWarning);
}

/// <summary>Reads the timeline (the page, the API, the CLI, the drawer's "what changed before it turned red").</summary>
public interface ITimelineLog
{
    Task<IReadOnlyList<TimelineEntry>> QueryAsync(TimelineQuery query, CancellationToken ct = default);
}

/// <summary>New entries as they are stored, for live views. Handlers run on the recorder's flush: keep them short.</summary>
public interface ITimelineFeed
{
    IDisposable Subscribe(Action<IReadOnlyList<TimelineEntry>> onEntries);
}

/// <summary>Filters, combined with AND; all optional. Newest first.</summary>
/// <param name="Object">Part of the object's name or namespace/name (case-sensitive on PostgreSQL, as the database compares).</param>
public sealed record TimelineQuery(
    string? Area = null,
    string? Object = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    TimelineCategory? Category = null,
    int Take = 500)
{
    /// <summary>The same filter for an entry already in memory (live entries on the page); ordinal, case-insensitive.</summary>
    public bool Matches(TimelineEntry e) =>
        (string.IsNullOrWhiteSpace(Area) || string.Equals(e.Area, Area, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrWhiteSpace(Object) || e.ObjectName.Contains(Object.Trim(), StringComparison.OrdinalIgnoreCase))
        && (From is not { } from || e.At >= from)
        && (To is not { } to || e.At <= to)
        && (Category is not { } c || e.Category == c);
}

/// <summary>The feed when the timeline is off (<c>Timeline:Enabled=false</c>): nothing ever arrives.</summary>
public sealed class NoTimelineFeed : ITimelineFeed
{
    public IDisposable Subscribe(Action<IReadOnlyList<TimelineEntry>> onEntries) => new Nothing();

    private sealed class Nothing : IDisposable
    {
        public void Dispose() { }
    }
}

/// <summary>The JSON shape of an entry (the API and <c>homeops status --since … --output json</c>); the category by name.</summary>
public sealed record TimelineItem(long Id, DateTimeOffset At, string Category, string Area, string Kind, string? Namespace, string Name,
    string Summary, string? From, string? To, string? Link, bool SeenAtStart, int Count = 1)
{
    public static TimelineItem Of(TimelineEntry e) =>
        new(e.Id, e.At, e.Category.ToString(), e.Area, e.Kind, e.Namespace, e.Name, e.Summary, e.From, e.To, e.Link, e.SeenAtStart, e.Count ?? 1);
}
