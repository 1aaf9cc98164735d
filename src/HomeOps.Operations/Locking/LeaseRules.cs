namespace HomeOps.Operations.Locking;

/// <summary>What the Lease says about who may hold it (pure, so the take-over rule is testable without an API server).</summary>
public static class LeaseRules
{
    /// <summary>
    /// A Lease may be taken when nobody holds it, we hold it, or the holder let it expire (renewTime + duration passed).
    /// A Lease without a renew time but with a holder is treated as expiring from its acquire time.
    /// </summary>
    public static bool CanAcquire(string? holder, DateTimeOffset? renewTime, DateTimeOffset? acquireTime, int? durationSeconds, string self, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(holder) || holder == self) return true;
        var last = renewTime ?? acquireTime;
        if (last is null) return true;
        var duration = TimeSpan.FromSeconds(Math.Max(1, durationSeconds ?? 15));
        return now > last.Value + duration;
    }
}
