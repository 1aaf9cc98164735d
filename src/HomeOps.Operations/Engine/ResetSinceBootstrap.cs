using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Engine;

/// <summary>
/// Whether the cluster was reset since the last bootstrap run (issue 13 b): the checkout's <c>.bootstrap-state/</c>
/// markers survive a reset, so a rebuild must clear them first. A safe-reset run counts once it started (its reset
/// command may have run even if the run then failed or was interrupted); one that was never started (pending, awaiting
/// confirmation, cancelled before starting) does not.
/// </summary>
public static class ResetSinceBootstrap
{
    public const string ResetWorkflowId = WorkflowIds.SafeReset;

    public static RunSummary? Find(IEnumerable<RunSummary> resets, RunSummary? lastBootstrap)
    {
        var since = lastBootstrap?.StartedAt ?? lastBootstrap?.CreatedAt;
        return resets
            .Where(r => r.WorkflowId == ResetWorkflowId && r.StartedAt is not null)
            .Where(r => since is null || r.StartedAt > since)
            .OrderByDescending(r => r.StartedAt)
            .FirstOrDefault();
    }

    public static async Task<RunSummary?> FindAsync(IOperationsEngine engine, string bootstrapWorkflowId, CancellationToken ct = default)
    {
        var lastBootstrap = (await engine.ListRunsAsync(new RunQuery(bootstrapWorkflowId, Take: 10), ct).ConfigureAwait(false))
            .FirstOrDefault(r => r.StartedAt is not null);
        var resets = await engine.ListRunsAsync(new RunQuery(ResetWorkflowId, Take: 20), ct).ConfigureAwait(false);
        return Find(resets, lastBootstrap);
    }
}
