namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>Wall-clock milliseconds since the Unix epoch with sub-millisecond precision: the same clock Chromium's
/// <c>performance.timeOrigin + performance.now()</c> is anchored to (the pages measure and remove any skew).</summary>
public static class Clock
{
    public static double NowMs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerMillisecond;
}
