using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HomeOps.Benchmarks.Ingest;

/// <summary>
/// CPU time consumed by the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>), so that the smoke run and the
/// breakdown measure the work, not the time spent waiting for a core on a shared machine (CI, parallel builds).
/// Falls back to wall time where the clock is not available.
/// </summary>
internal static partial class ThreadClock
{
    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec value);

    private static readonly bool Available = OperatingSystem.IsLinux() && Probe();

    /// <summary>"thread CPU time" or "wall time": what <see cref="Now"/> measures on this machine.</summary>
    public static string Kind => Available ? "thread CPU time" : "wall time";

    public static TimeSpan Now()
    {
        if (!Available) return Stopwatch.GetElapsedTime(0);
        ClockGetTime(ClockThreadCpuTime, out var t);
        return TimeSpan.FromTicks(t.Seconds * TimeSpan.TicksPerSecond + t.Nanoseconds / 100);
    }

    private static bool Probe()
    {
        try { return ClockGetTime(ClockThreadCpuTime, out _) == 0; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }
}
