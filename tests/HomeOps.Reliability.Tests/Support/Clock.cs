using System.Diagnostics;

namespace HomeOps.Reliability.Tests.Support;

/// <summary>
/// One monotonic clock for both sides of a test: the simulator stamps requests and watch sessions with
/// <see cref="Stopwatch.GetTimestamp"/> (see ApiRecorder), and so does everything the test observes.
/// </summary>
internal static class Clock
{
    public static long Now => Stopwatch.GetTimestamp();

    public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    public static long Plus(long at, TimeSpan span) => at + (long)(span.TotalSeconds * Stopwatch.Frequency);
}
