using HomeOps.Cluster.Model;
using HomeOps.Cluster.Reports;

namespace HomeOps.Dashboard.Notifications;

public enum NotificationKind
{
    /// <summary>Failed or Degraded for longer than the debounce.</summary>
    Problem,
    /// <summary>A problem that was notified is no longer Failed or Degraded.</summary>
    Recovered,
}

/// <summary>What is notified: a problem that lasted, or its recovery (<see cref="Problem"/> is its last notified state).</summary>
public sealed record NotificationEvent(NotificationKind Kind, Problem Problem, DateTimeOffset At);

/// <summary>
/// The debounce: a problem is notified once it has been Failed or Degraded (either, continuously) for
/// <c>Notifications:Debounce</c>, and its recovery once it is neither again. A problem that leaves before the debounce
/// ends (a flap) is forgotten and sends nothing; coming back restarts the wait. Reads the one <see cref="ProblemReport"/>.
/// Not thread-safe: the monitor calls it under its own lock.
/// </summary>
public sealed class NotificationDebounce(TimeSpan debounce)
{
    private sealed class Tracked(DateTimeOffset badSince)
    {
        public DateTimeOffset BadSince { get; } = badSince;
        public Problem? Notified { get; set; }
    }

    private readonly Dictionary<string, Tracked> _tracked = new(StringComparer.Ordinal);

    public static bool IsAlarm(HealthStatus health) => health is HealthStatus.Failed or HealthStatus.Degraded;

    public IReadOnlyList<NotificationEvent> Evaluate(IReadOnlyList<Problem> problems, DateTimeOffset now)
    {
        var events = new List<NotificationEvent>();
        var alarming = problems.Where(p => IsAlarm(p.Health)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        foreach (var (id, p) in alarming)
        {
            if (!_tracked.TryGetValue(id, out var t)) _tracked[id] = t = new Tracked(now);
            if (t.Notified is null && now - t.BadSince >= debounce)
            {
                t.Notified = p;
                events.Add(new NotificationEvent(NotificationKind.Problem, p, now));
            }
        }
        foreach (var (id, t) in _tracked.ToList())
        {
            if (alarming.ContainsKey(id)) continue;
            _tracked.Remove(id);
            if (t.Notified is { } notified) events.Add(new NotificationEvent(NotificationKind.Recovered, notified, now));
        }
        return events;
    }

    /// <summary>The earliest time a pending problem's debounce ends, for the monitor's next check.</summary>
    public DateTimeOffset? NextDue => _tracked.Values.Where(t => t.Notified is null).Select(t => (DateTimeOffset?)(t.BadSince + debounce)).Min();
}
