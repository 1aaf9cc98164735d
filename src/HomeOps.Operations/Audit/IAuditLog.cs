namespace HomeOps.Operations.Audit;

/// <summary>Filters for the audit page; all optional, combined with AND. Newest first.</summary>
public sealed record AuditQuery(
    string? User = null,
    string? Action = null,
    AuditOutcome? Outcome = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    Guid? RunId = null,
    int Skip = 0,
    int Take = 200);

public interface IAuditLog
{
    /// <summary>Stores an entry (its <see cref="AuditEntry.Id"/> is assigned) and forwards it to every <see cref="IAuditSink"/>.</summary>
    Task<AuditEntry> RecordAsync(AuditEntry entry, CancellationToken ct = default);

    /// <summary>Completes an entry that was recorded as <see cref="AuditOutcome.Started"/>.</summary>
    Task CompleteAsync(long id, AuditOutcome outcome, DateTimeOffset endedAt, int? exitCode, string? message, CancellationToken ct = default);

    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken ct = default);
}

/// <summary>
/// Somewhere else audit entries go after the database: in cluster modes a Kubernetes Event on the target object.
/// A sink failing never fails the action (the database record is the one of record).
/// </summary>
public interface IAuditSink
{
    Task WriteAsync(AuditEntry entry, CancellationToken ct);
}
