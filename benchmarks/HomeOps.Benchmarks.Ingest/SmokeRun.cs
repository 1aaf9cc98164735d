using System.Diagnostics;
using HomeOps.Cluster.State;

namespace HomeOps.Benchmarks.Ingest;

/// <summary>
/// A few seconds instead of BenchmarkDotNet's statistics: the same scenarios, a short warm-up, then a fixed time slice
/// each, timed by the thread's CPU clock (<see cref="ThreadClock"/>) so a busy CI machine does not fail it for waiting.
/// Good enough to catch a regression of several times, which is what it is for.
/// </summary>
public static class SmokeRun
{
    private static readonly TimeSpan Warmup = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Measure = TimeSpan.FromMilliseconds(500);
    private const int RelistRuns = 7;

    public static (IReadOnlyList<KindFigure> Kinds, IReadOnlyList<RelistFigure> Relist) Run(Targets targets, TextWriter log)
    {
        var warm = Ingest.Warmup.UntilJitSettles();
        log.WriteLine($"  (warm-up until the JIT settled: {warm.TotalSeconds:N1} s)");
        var kinds = new List<KindFigure>();
        foreach (var name in Workload.KindsByName.Keys)
        {
            var workload = Workload.Create(name, Scenarios.StoreObjects);
            var path = new IngestPath(workload.Kind, Scenarios.PopulatedStore(workload));
            var offset = 0;
            void Batch()
            {
                path.IngestBatch(workload.Lines, offset, Scenarios.Batch);
                offset = (offset + Scenarios.Batch) % workload.Lines.Length;
            }
            Repeat(Warmup, Batch);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var (batches, elapsed) = Repeat(Measure, Batch);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            var events = (double)batches * Scenarios.Batch;
            kinds.Add(Figures.Kind(name, workload.MeanLineBytes, elapsed.TotalNanoseconds / events, allocated / events, targets));
            log.WriteLine($"  {name,-15} {events / elapsed.TotalSeconds,12:N0} events/s  {allocated / events,8:N0} B/event");
        }

        var relist = new List<RelistFigure>();
        var kind = Workload.KindsByName[Scenarios.RelistKind];
        var (a, b) = Scenarios.RelistPair(kind);
        var store = new ClusterStore();
        store.Dispatch(a);
        var flip = false;
        relist.Add(Median("ResourcesReplaced of decoded objects", targets, () => store.Dispatch((flip = !flip) ? b : a), log));

        byte[][][] lists = [Workload.Create(Scenarios.RelistKind, Scenarios.RelistObjects, 3).ListPages,
            Workload.Create(Scenarios.RelistKind, Scenarios.RelistObjects, 4).ListPages];
        var path5000 = new IngestPath(kind, new ClusterStore());
        var which = 0;
        relist.Add(Median("List JSON (pages of 500) → decode → store", targets, () => path5000.IngestList(lists[which ^= 1]), log));
        return (kinds, relist);
    }

    private static RelistFigure Median(string scenario, Targets targets, Action run, TextWriter log)
    {
        run();
        run();
        var ms = new double[RelistRuns];
        long allocated = 0;
        for (var i = 0; i < RelistRuns; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var cpu = ThreadClock.Now();
            run();
            ms[i] = (ThreadClock.Now() - cpu).TotalMilliseconds;
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Array.Sort(ms);
        var figure = Figures.Relist(scenario, ms[RelistRuns / 2], allocated / (double)RelistRuns, targets);
        log.WriteLine($"  {scenario,-40} {figure.Milliseconds,8:N1} ms (median of {RelistRuns})  {figure.AllocatedBytes / 1048576,6:N1} MiB");
        return figure;
    }

    private static (long Count, TimeSpan Elapsed) Repeat(TimeSpan duration, Action action)
    {
        var sw = Stopwatch.StartNew();
        var cpu = ThreadClock.Now();
        long n = 0;
        do
        {
            action();
            n++;
        }
        while (sw.Elapsed < duration);
        return (n, ThreadClock.Now() - cpu);
    }
}

/// <summary>Turns measurements into figures judged against the targets (shared by both modes).</summary>
public static class Figures
{
    public static KindFigure Kind(string kind, int lineBytes, double nsPerEvent, double bytesPerEvent, Targets targets)
    {
        var perSecond = 1e9 / nsPerEvent;
        double? target = targets.TargetKinds.Contains(kind) ? targets.EventsPerSecond : null;
        return new KindFigure(kind, lineBytes, Math.Round(perSecond), Math.Round(nsPerEvent, 1), Math.Round(bytesPerEvent),
            target, target is null || perSecond >= target);
    }

    public static RelistFigure Relist(string scenario, double ms, double allocatedBytes, Targets targets) =>
        new(scenario, Scenarios.RelistObjects, Math.Round(ms, 2), Math.Round(allocatedBytes), targets.RelistMilliseconds, ms < targets.RelistMilliseconds);
}
