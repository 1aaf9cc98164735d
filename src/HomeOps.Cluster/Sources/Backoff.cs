namespace HomeOps.Cluster.Sources;

/// <summary>
/// Exponential backoff with full jitter (AWS architecture blog): the n-th consecutive failure waits a uniformly random
/// time in [0, min(max, initial·2ⁿ)]. Jitter keeps many informers from reconnecting in lockstep after an API restart.
/// </summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    public int Failures { get; private set; }

    /// <summary>Records a failure and returns how long to wait before the next attempt.</summary>
    public TimeSpan Next()
    {
        var exponent = Math.Min(Failures, 30);
        Failures++;
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, exponent));
        // Never zero: a floor of a tenth of the initial delay stops a hot loop when the random draw is tiny.
        var floor = Math.Min(initial.TotalMilliseconds / 10, ceiling);
        return TimeSpan.FromMilliseconds(floor + _random.NextDouble() * (ceiling - floor));
    }

    public void Reset() => Failures = 0;
}
