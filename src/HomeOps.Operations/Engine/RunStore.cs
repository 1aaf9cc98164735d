using HomeOps.Operations.Persistence;
using HomeOps.Operations.Runners;
using Microsoft.EntityFrameworkCore;

namespace HomeOps.Operations.Engine;

/// <summary>
/// Database access for runs. Each call is its own short unit of work. State transitions are compare-and-set
/// (UPDATE … WHERE status IN …), so two callers — or two replicas on PostgreSQL — can never both start one run.
/// </summary>
internal sealed class RunStore(OperationsDatabase database)
{
    public async Task InsertAsync(RunRecord run, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        db.Runs.Add(run);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    public async Task<RunRecord?> LoadAsync(Guid id, bool withSteps, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        IQueryable<RunRecord> q = db.Runs.AsNoTracking();
        if (withSteps) q = q.Include(r => r.Steps);
        var run = await q.FirstOrDefaultAsync(r => r.Id == id, ct).ConfigureAwait(false);
        run?.Steps.Sort((a, b) => a.Ordinal.CompareTo(b.Ordinal));
        return run;
    }

    public async Task<List<RunRecord>> ListAsync(RunQuery query, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        IQueryable<RunRecord> q = db.Runs.AsNoTracking();
        if (query.WorkflowId is { } w) q = q.Where(r => r.WorkflowId == w);
        if (query.Status is { } s) q = q.Where(r => r.Status == s);
        return await q.OrderByDescending(r => r.CreatedAt).Take(Math.Clamp(query.Take, 1, 1000)).ToListAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Moves a run from one of <paramref name="from"/> to <paramref name="to"/>; false when it was not in those states.</summary>
    public async Task<bool> TransitionAsync(Guid id, RunStatus[] from, RunStatus to, DateTimeOffset now, string? owner, string? message, CancellationToken ct,
        Action<RunRecord>? andThen = null)
    {
        await using var db = database.CreateContext();
        var changed = await db.Runs
            .Where(r => r.Id == id && from.Contains(r.Status))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, to)
                .SetProperty(r => r.Owner, owner)
                .SetProperty(r => r.UpdatedAt, now)
                .SetProperty(r => r.HeartbeatAt, now)
                .SetProperty(r => r.Message, message), ct).ConfigureAwait(false);
        if (changed == 0) return false;
        if (andThen is not null) await UpdateAsync(id, andThen, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Loads, changes and saves one run (for fields that only the run's owner writes).</summary>
    public async Task UpdateAsync(Guid id, Action<RunRecord> change, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == id, ct).ConfigureAwait(false);
        if (run is null) return;
        change(run);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    public async Task SaveStepAsync(StepRecord step, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        db.Steps.Update(step);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    public async Task SaveStepsAsync(IEnumerable<StepRecord> steps, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        db.Steps.UpdateRange(steps);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    public async Task SaveOutputAsync(long stepId, string output, bool truncated, long lineCount, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        await db.Steps.Where(s => s.Id == stepId).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Output, output)
            .SetProperty(x => x.OutputTruncated, truncated)
            .SetProperty(x => x.OutputLineCount, lineCount), ct).ConfigureAwait(false);
    }

    /// <summary>Records the identity of a step's command process as soon as it exists.</summary>
    public async Task SaveProcessAsync(long stepId, StepProcess process, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        await db.Steps.Where(s => s.Id == stepId).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.ProcessId, process.Pid)
            .SetProperty(x => x.ProcessStartTicks, process.StartTicks)
            .SetProperty(x => x.ProcessHost, process.Host), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Steps with a recorded process identity that no engine is executing: Interrupted steps, and Running steps of a run
    /// that is no longer Running (recovery has claimed the run but not yet dealt with the step). Candidates for a process
    /// that outlived its dashboard.
    /// </summary>
    public async Task<List<StepRecord>> UnownedStepsWithProcessAsync(Guid? runId, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var q = from s in db.Steps.AsNoTracking()
                join r in db.Runs on s.RunId equals r.Id
                where s.ProcessId != null && s.ProcessStartTicks != null
                      && (s.Status == StepStatus.Interrupted || (s.Status == StepStatus.Running && r.Status != RunStatus.Running))
                select s;
        if (runId is { } id) q = q.Where(s => s.RunId == id);
        return await q.ToListAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Writes the owner's heartbeat; returns whether a cancel was requested (from any replica).</summary>
    public async Task<bool> HeartbeatAsync(Guid id, string owner, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        await db.Runs.Where(r => r.Id == id && r.Owner == owner && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeartbeatAt, now), ct).ConfigureAwait(false);
        return await db.Runs.Where(r => r.Id == id).Select(r => r.CancelRequested).FirstOrDefaultAsync(ct).ConfigureAwait(false);
    }

    public async Task<bool> RequestCancelAsync(Guid id, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        return await db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CancelRequested, true), ct).ConfigureAwait(false) > 0;
    }

    /// <summary>Runs left Running by this instance (a restart) or by an instance whose heartbeat stopped (a dead replica).</summary>
    public async Task<List<RunRecord>> FindOrphansAsync(string self, DateTimeOffset staleBefore, IReadOnlyCollection<Guid> activeHere, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var running = await db.Runs.AsNoTracking().Include(r => r.Steps)
            .Where(r => r.Status == RunStatus.Running)
            .ToListAsync(ct).ConfigureAwait(false);
        return running
            .Where(r => !activeHere.Contains(r.Id))
            .Where(r => r.Owner == self || r.Owner is null || r.HeartbeatAt is null || r.HeartbeatAt < staleBefore)
            .ToList();
    }
}
