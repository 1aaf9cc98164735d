using HomeOps.Operations.Persistence;
using Microsoft.EntityFrameworkCore;

namespace HomeOps.Operations.Timeline;

/// <summary>The timeline in the operations database (the same one as the audit).</summary>
public sealed class EfTimelineLog(OperationsDatabase database) : ITimelineLog
{
    public const int MaxTake = 5_000;

    public async Task<IReadOnlyList<TimelineEntry>> QueryAsync(TimelineQuery q, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        IQueryable<TimelineEntry> query = db.Timeline.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q.Area)) query = query.Where(e => e.Area == q.Area);
        if (!string.IsNullOrWhiteSpace(q.Object))
        {
            var part = q.Object.Trim();
            query = query.Where(e => e.Name.Contains(part) || (e.Namespace != null && (e.Namespace + "/" + e.Name).Contains(part)));
        }
        if (q.From is { } from) query = query.Where(e => e.At >= from);
        if (q.To is { } to) query = query.Where(e => e.At <= to);
        if (q.Category is { } c) query = query.Where(e => e.Category == c);
        return await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Take(Math.Clamp(q.Take, 1, MaxTake))
            .ToListAsync(ct).ConfigureAwait(false);
    }
}
