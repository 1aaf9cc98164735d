using System.Diagnostics;
using System.Runtime;
using HomeOps.Cluster.State;

namespace HomeOps.Benchmarks.Ingest;

/// <summary>
/// Runs every scenario until the JIT has nothing left to do. With tiered compilation a method first runs unoptimised
/// and is recompiled in the background; on a busy machine that thread gets little CPU, and a fixed warm-up measured
/// the first kind with unoptimised code (several times slower). So: warm until the count of compiled methods stops
/// moving, as BenchmarkDotNet's warm-up does by watching the timings.
/// </summary>
public static class Warmup
{
    private static readonly TimeSpan Round = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(8);

    /// <returns>How long warming took.</returns>
    public static TimeSpan UntilJitSettles()
    {
        var paths = Workload.KindsByName.Keys.Select(name =>
        {
            var w = Workload.Create(name, 64);
            return (w, new IngestPath(w.Kind, new ClusterStore()));
        }).ToArray();
        var total = Stopwatch.StartNew();
        var stableRounds = 0;
        var last = JitInfo.GetCompiledMethodCount();
        while (stableRounds < 3 && total.Elapsed < Limit)
        {
            foreach (var (w, path) in paths)
            {
                var round = Stopwatch.StartNew();
                while (round.Elapsed < Round / paths.Length)
                {
                    path.IngestBatch(w.Lines, 0, w.Lines.Length);
                    path.IngestList(w.ListPages);
                }
            }
            var now = JitInfo.GetCompiledMethodCount();
            stableRounds = now == last ? stableRounds + 1 : 0;
            last = now;
        }
        return total.Elapsed;
    }
}
