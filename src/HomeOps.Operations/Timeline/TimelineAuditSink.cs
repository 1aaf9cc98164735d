using HomeOps.Operations.Audit;

namespace HomeOps.Operations.Timeline;

/// <summary>
/// The dashboard's own actions on the timeline: every audit entry (recorded and completed) becomes an entry, except
/// log reads (<see cref="AuditActionKind.LogRead"/>): reading changes nothing, and they stay in the audit.
/// </summary>
public sealed class TimelineAuditSink(TimelineRecorder recorder) : IAuditSink
{
    public Task WriteAsync(AuditEntry entry, CancellationToken ct)
    {
        if (AuditAction.Find(entry.Action)?.Kind == AuditActionKind.LogRead) return Task.CompletedTask;
        var (ns, name) = SplitTarget(entry.Target);
        var who = entry.User.Length > 0 ? $" by {entry.User}" : "";
        var message = string.IsNullOrWhiteSpace(entry.Message) ? "" : $": {entry.Message}";
        recorder.Record(new TimelineEntry
        {
            At = entry.EndedAt ?? entry.At,
            Category = TimelineCategory.Action,
            Area = TimelineEntry.OperationsArea,
            Kind = "Action",
            Namespace = ns,
            Name = name,
            Summary = $"{entry.Action} {entry.Outcome}{who}{message}",
            To = entry.Outcome.ToString(),
            Link = entry.RunId is { } run ? $"/operations/runs/{run}" : null,
        });
        return Task.CompletedTask;
    }

    /// <summary>"Kustomization flux-system/apps" → (flux-system, apps); a workflow target stays whole as the name.</summary>
    private static (string? Namespace, string Name) SplitTarget(string target)
    {
        var space = target.IndexOf(' ');
        var obj = space > 0 && !target[(space + 1)..].Contains(' ') ? target[(space + 1)..] : null;
        var slash = obj?.IndexOf('/') ?? -1;
        return obj is not null && slash > 0 ? (obj[..slash], obj[(slash + 1)..]) : (null, target);
    }
}
