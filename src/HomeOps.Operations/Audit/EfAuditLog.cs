using HomeOps.Operations.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HomeOps.Operations.Audit;

/// <summary>The audit log in the operations database, forwarding to sinks.</summary>
public sealed class EfAuditLog(OperationsDatabase database, IEnumerable<IAuditSink>? sinks = null, ILogger<EfAuditLog>? logger = null) : IAuditLog
{
    private const int MaxConfirmation = 200;
    private readonly IReadOnlyList<IAuditSink> _sinks = sinks?.ToList() ?? [];
    private readonly ILogger _log = logger ?? NullLogger<EfAuditLog>.Instance;

    public async Task<AuditEntry> RecordAsync(AuditEntry entry, CancellationToken ct = default)
    {
        if (entry.Confirmation is { Length: > MaxConfirmation } c) entry.Confirmation = c[..MaxConfirmation] + "…";
        await using (var db = database.CreateContext())
        {
            db.Audit.Add(entry);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        _log.LogInformation("Audit {Action} on {Target} by {User}: {Outcome}", entry.Action, entry.Target, entry.User, entry.Outcome);
        await ForwardAsync(entry, ct).ConfigureAwait(false);
        return entry;
    }

    public async Task CompleteAsync(long id, AuditOutcome outcome, DateTimeOffset endedAt, int? exitCode, string? message, CancellationToken ct = default)
    {
        AuditEntry? entry;
        await using (var db = database.CreateContext())
        {
            entry = await db.Audit.FirstOrDefaultAsync(a => a.Id == id, ct).ConfigureAwait(false);
            if (entry is null) return;
            entry.Outcome = outcome;
            entry.EndedAt = endedAt;
            entry.ExitCode = exitCode;
            if (message is not null) entry.Message = message;
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        _log.LogInformation("Audit {Action} on {Target} by {User} ended: {Outcome}", entry.Action, entry.Target, entry.User, outcome);
        await ForwardAsync(entry, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery q, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        IQueryable<AuditEntry> query = db.Audit.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q.User)) query = query.Where(a => a.User == q.User);
        if (!string.IsNullOrWhiteSpace(q.Action)) query = query.Where(a => a.Action == q.Action);
        if (q.Outcome is { } o) query = query.Where(a => a.Outcome == o);
        if (q.From is { } from) query = query.Where(a => a.At >= from);
        if (q.To is { } to) query = query.Where(a => a.At <= to);
        if (q.RunId is { } run) query = query.Where(a => a.RunId == run);
        return await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip(Math.Max(0, q.Skip)).Take(Math.Clamp(q.Take, 1, 10_000))
            .ToListAsync(ct).ConfigureAwait(false);
    }

    private async Task ForwardAsync(AuditEntry entry, CancellationToken ct)
    {
        foreach (var sink in _sinks)
        {
            try { await sink.WriteAsync(entry, ct).ConfigureAwait(false); }
            catch (Exception ex) { _log.LogWarning(ex, "Audit sink {Sink} failed for entry {Id}", sink.GetType().Name, entry.Id); }
        }
    }
}
