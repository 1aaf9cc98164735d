using Perfolizer.Horology;

namespace HomeOps.Benchmarks.Ingest;

/// <summary>
/// BenchmarkDotNet's clock reading the measuring thread's CPU time (<see cref="ThreadClock"/>) instead of wall time:
/// "events per second on one core" is the work's cost, and on a shared machine (CI, parallel builds: this project's
/// 2-core machine ran at load averages of 20–50 while it was measured) wall time mostly measures the wait for a core.
/// BenchmarkDotNet starts and stops its clock on the thread that runs the workload, which is what makes this valid.
/// </summary>
internal sealed class ThreadCpuClock : IClock
{
    public static readonly ThreadCpuClock Instance = new();

    public string Title => "Thread CPU time";

    public bool IsAvailable => ThreadClock.Kind == "thread CPU time";

    /// <summary>Timestamps are in 100 ns ticks (<see cref="TimeSpan.Ticks"/>).</summary>
    public Frequency Frequency => new(TimeSpan.TicksPerSecond);

    public long GetTimestamp() => ThreadClock.Now().Ticks;
}
