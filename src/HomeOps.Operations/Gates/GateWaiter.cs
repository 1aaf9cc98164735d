using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Gates;

/// <summary>
/// Evaluates a gate, and when it has a wait, re-evaluates on every change of the health model (plus a slow poll, so
/// that freshness ageing is noticed) until it passes or the wait runs out. Cancellation ends the wait.
/// In a run started with the API-unreachable override (<paramref name="apiUnreachableOverride"/> of
/// <see cref="EvaluateAsync"/>) a gate whose API data is not live is not waited for: it is recorded as Skipped, "not
/// checked (API unreachable, override)", with what it could not read, and the run trusts the step's own result (the
/// task's validation). With live data it is checked as always.
/// </summary>
public sealed class GateWaiter(GateRegistry registry, IClusterStateSource source, TimeProvider time, TimeSpan pollInterval)
{
    public async Task<GateResult> EvaluateAsync(string name, IReadOnlyDictionary<string, string> args, TimeSpan wait, bool advisory, CancellationToken ct,
        bool apiUnreachableOverride = false)
    {
        var deadline = time.GetUtcNow() + wait;
        var signal = new SemaphoreSlim(0, int.MaxValue);
        using var sub = source.OnChanged(() => signal.Release());
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            await registry.RefreshAsync(name, args, source.Current, ct).ConfigureAwait(false);
            var result = registry.Evaluate(name, args, source.Current, time.GetUtcNow(), advisory);
            if (result.Outcome is GateOutcome.Passed or GateOutcome.Skipped) return result;
            if (apiUnreachableOverride && result.StaleData)
                return result with { Outcome = GateOutcome.Skipped, Message = $"{GateResult.NotCheckedUnderOverride}: {result.Message}; the run trusts the step's own result" };
            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return wait > TimeSpan.Zero
                    ? result with { Message = $"{result.Message} (still not passed after waiting {Duration.Format(wait)})" }
                    : result;
            }
            var nap = remaining < pollInterval ? remaining : pollInterval;
            await signal.WaitAsync(nap, ct).ConfigureAwait(false);
        }
    }
}
