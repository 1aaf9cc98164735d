using HomeOps.Benchmarks.Live.Harness;
using HomeOps.Benchmarks.Live.Report;
using Microsoft.Playwright;
using static HomeOps.Benchmarks.Live.Report.BenchReport;

namespace HomeOps.Benchmarks.Live.Items;

/// <summary>
/// Item 5, memory: the dashboard's working set and the managed bytes it retains after a full GC, with 0, 1, 10 and
/// 50 circuits on the large cluster (pages rotate over the overview and the Flux, Longhorn and Nodes lists); then a
/// flatness run: 10 circuits while the cluster changes at 200/s, sampled after a full GC at even intervals.
/// Every reading waits until the dashboard's own circuit count (<c>homeops_dashboard_circuits</c>) is what the step
/// means to measure (closed circuits released), after a warm-up circuit per page, and takes the median of three GCs.
/// </summary>
public static class MemoryBench
{
    private static readonly string[] Paths = ["/", "/flux", "/longhorn", "/nodes"];

    public static async Task<BenchReport> RunAsync(BenchContext ctx)
    {
        var report = ctx.NewReport("memory", "5. Memory per circuit");
        var rig = await ctx.RigAsync(ClusterShape.Large);
        var pid = rig.Dashboard.ProcessId;
        int[] circuitCounts = ctx.Smoke ? [2] : [1, 10, 50];
        var table = new ResultTable($"Dashboard memory on the {rig.Shape.Name} cluster (retained = live managed bytes after an induced full GC)",
            ["circuits", "working set MB", "retained (live) managed MB", "managed heap incl. free MB", "retained per circuit KB", "added per circuit KB (since the row above)", "working set per circuit KB"], []);
        report.Tables.Add(table);

        var pages = new List<IPage>();
        try
        {
            // Warm-up: one circuit of each page, then closed and released. Views shared by every circuit (area rollups,
            // the workload index, row lists computed once per cluster state) are built by the first circuit; without
            // the warm-up the baseline is the dashboard before anyone looked and "per circuit" counts them once.
            // The smoke (in the default test run) skips it and reads once: its figures are not judged.
            if (!ctx.Smoke) await WarmUpAsync(ctx, rig, report);
            var (heap0, size0) = await SettledHeapAsync(rig, ctx.Smoke ? 1 : 3);
            var ws0 = rig.Dashboard.WorkingSetBytes();
            table.Rows.Add(["0", F(ws0 / 1048576.0), F(heap0 / 1048576.0), F(size0 / 1048576.0), "", "", ""]);
            report.Metric("memory.c0.retainedBytes", heap0);
            report.Metric("memory.c0.workingSetBytes", ws0);
            double perCircuitAtMax = double.NaN;
            var (previousN, previousHeap) = (0, heap0);
            foreach (var n in circuitCounts)
            {
                while (pages.Count < n) pages.Add(await rig.OpenPageAsync(Paths[pages.Count % Paths.Length]));
                await SettleAsync(ctx, rig, report, n, TimeSpan.FromSeconds(60));
                await Task.Delay(TimeSpan.FromSeconds(ctx.Smoke ? 0.5 : 2));
                var (heap, size) = await SettledHeapAsync(rig, ctx.Smoke ? 1 : 3);
                var ws = rig.Dashboard.WorkingSetBytes();
                var perCircuit = (heap - heap0) / (double)n;
                var marginal = (heap - previousHeap) / (double)(n - previousN);
                var wsPerCircuit = (ws - ws0) / (double)n;
                table.Rows.Add([n.ToString(), F(ws / 1048576.0), F(heap / 1048576.0), F(size / 1048576.0), F(perCircuit / 1024, 0), F(marginal / 1024, 0), F(wsPerCircuit / 1024, 0)]);
                report.Metric($"memory.c{n}.retainedBytes", heap);
                report.Metric($"memory.c{n}.workingSetBytes", ws);
                report.Metric($"memory.c{n}.retainedBytesPerCircuit", perCircuit);
                report.Metric($"memory.c{n}.marginalBytesPerCircuit", marginal);
                report.Metric($"memory.c{n}.workingSetBytesPerCircuit", wsPerCircuit);
                perCircuitAtMax = perCircuit;
                (previousN, previousHeap) = (n, heap);
                ctx.Log.WriteLine($"memory {n} circuits: heap {heap / 1048576.0:F1} MB ({perCircuit / 1024:F0} KB/circuit, {marginal / 1024:F0} KB for each added one), ws {ws / 1048576.0:F1} MB");
            }
            report.Require(double.IsFinite(perCircuitAtMax), "no per-circuit figure");
            report.Check($"retained managed bytes per circuit at {circuitCounts[^1]} circuits", "≤ 1 MB", perCircuitAtMax / 1048576, 1, "MB");

            await LiveRig.CloseAsync(pages);
            pages = [];
            await SettleAsync(ctx, rig, report, 0, ReleaseTimeout);
            if (!ctx.Smoke || HeapCensus.Directory is not null) await PerPageAsync(ctx, rig, report);

            // Flatness: keep 10 (smoke: 2) circuits, change the cluster fast, and watch the retained heap once warm.
            while (pages.Count < (ctx.Smoke ? 2 : 10)) pages.Add(await rig.OpenPageAsync(Paths[pages.Count % Paths.Length]));
            await FlatnessAsync(ctx, rig, report);
        }
        finally
        {
            await LiveRig.CloseAsync(pages);
        }
        if (rig.OpenRetries > 0) report.Notes.Add($"{rig.OpenRetries} page open(s) timed out once (2 min) and were opened again in a new window.");
        report.Notes.Add("Working set is VmRSS of the dashboard process (the simulator and identity provider run in the benchmark process). " +
                         "Retained bytes are the bytes that survived a blocking gen-2 collection induced over EventPipe (as dotnet-gcdump does), from the runtime's GCHeapStats " +
                         "(the promoted sizes of every generation, LOH and POH); until 2026-12-08 this item reported the generations' sizes, which also count free space " +
                         "a sweeping collection leaves between survivors (the 'managed heap incl. free' column). Each reading is the median of three.");
        return report;
    }

    /// <summary>Which page a circuit is on decides what it retains: each path alone, N circuits, against the heap before them.</summary>
    private static async Task PerPageAsync(BenchContext ctx, LiveRig rig, BenchReport report)
    {
        var n = ctx.Smoke ? 3 : 10;
        var table = new ResultTable($"Retained managed bytes per circuit by page ({n} circuits of one page at a time)", ["page", "retained per circuit KB"], []);
        report.Tables.Add(table);
        foreach (var path in Paths)
        {
            // The previous page's circuits must be gone (the dashboard's own count says so), or they are in the baseline.
            await SettleAsync(ctx, rig, report, 0, ReleaseTimeout);
            var (before, _) = await SettledHeapAsync(rig, ctx.Smoke ? 1 : 3);
            var name = path == "/" ? "overview" : path.Trim('/');
            await HeapCensus.CollectAsync(ctx, rig.Dashboard.ProcessId, $"{name}-0");
            var pages = new List<IPage>();
            try
            {
                for (var i = 0; i < n; i++) pages.Add(await rig.OpenPageAsync(path));
                await SettleAsync(ctx, rig, report, n, TimeSpan.FromSeconds(60));
                await Task.Delay(TimeSpan.FromSeconds(ctx.Smoke ? 0.5 : 2));
                var (after, _) = await SettledHeapAsync(rig, ctx.Smoke ? 1 : 3);
                var per = (after - before) / (double)n;
                await HeapCensus.CollectAsync(ctx, rig.Dashboard.ProcessId, $"{name}-{n}");
                table.Rows.Add([path, F(per / 1024, 0)]);
                report.Metric($"memory.page.{(path == "/" ? "overview" : path.Trim('/'))}.retainedBytesPerCircuit", per);
                ctx.Log.WriteLine($"memory page {path}: {per / 1024:F0} KB/circuit");
            }
            finally
            {
                await LiveRig.CloseAsync(pages);
            }
        }
    }

    /// <summary>Blazor keeps a circuit whose browser left without its disconnect beacon for 3 minutes; wait a little longer.</summary>
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(200);

    private static async Task WarmUpAsync(BenchContext ctx, LiveRig rig, BenchReport report)
    {
        var warm = new List<IPage>();
        try
        {
            foreach (var path in Paths) warm.Add(await rig.OpenPageAsync(path));
        }
        finally
        {
            await LiveRig.CloseAsync(warm);
        }
        await SettleAsync(ctx, rig, report, 0, ReleaseTimeout);
    }

    /// <summary>
    /// Waits until the dashboard holds exactly <paramref name="connected"/> circuits and none kept for the retention
    /// period (<c>homeops_dashboard_circuits</c>), and says in the report when that took long or did not happen.
    /// </summary>
    private static async Task SettleAsync(BenchContext ctx, LiveRig rig, BenchReport report, int connected, TimeSpan timeout)
    {
        var (settled, c, d, waited) = await rig.WaitForCircuitsAsync(connected, timeout);
        var line = $"circuits settled at {c} connected, {d} kept after their browser left, after {waited.TotalSeconds:F1} s";
        if (!settled)
        {
            line = $"circuits did NOT settle at {connected} within {timeout.TotalSeconds:0} s: {c} connected, {d} kept after their browser left; the next figure includes them";
            report.Notes.Add(line);
        }
        else if (waited > TimeSpan.FromSeconds(10))
        {
            report.Notes.Add(line + " (closed circuits were kept for the retention period: their browser did not send Blazor's disconnect beacon)");
        }
        ctx.Log.WriteLine(line);
    }

    /// <summary>The medians of three readings, each after an induced full GC (live bytes, and the heap's size with its free
    /// space): one reading moves with whatever the process was doing at that instant (a coalesced batch, a backup evaluation).</summary>
    private static async Task<(long Live, long Size)> SettledHeapAsync(LiveRig rig, int count)
    {
        var readings = new List<HeapReading>(count);
        for (var i = 0; i < count; i++) readings.Add(await ManagedHeap.ReadAfterFullGcAsync(rig.Dashboard.ProcessId));
        return (readings.Select(r => r.Live).Order().ElementAt(count / 2), readings.Select(r => r.Size).Order().ElementAt(count / 2));
    }

    private static async Task FlatnessAsync(BenchContext ctx, LiveRig rig, BenchReport report)
    {
        var duration = ctx.Options.Long ? TimeSpan.FromMinutes(60) : ctx.Smoke ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(120);
        var samples = ctx.Options.Long ? 13 : ctx.Smoke ? 2 : 7;
        const double rate = 200;   // changes per second: ~2 days of home-ops churn (~1 change/s) per 15 minutes
        var interval = duration / (samples - 1);
        var table = new ResultTable($"Flatness: retained managed MB with {(ctx.Smoke ? 2 : 10)} circuits while the cluster changes at {rate:0}/s ({duration.TotalMinutes:0.#} min{(ctx.Options.Long ? ", long form" : "")})",
            ["elapsed s", "changes so far", "retained (live) managed MB", "managed heap incl. free MB", "working set MB"], []);
        report.Tables.Add(table);

        using var stop = new CancellationTokenSource(duration + TimeSpan.FromSeconds(2));
        var store = rig.Simulator.Cluster;
        // Every write bumps the store's resourceVersion by one: the honest count of changes so far.
        var version0 = store.ResourceVersion;
        long Changes() => store.ResourceVersion - version0;
        var probes = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                await ChangeDriver.RunProbesAsync(store, rig.Shape.Probes, rate / 2, TimeSpan.FromSeconds(5), rig.NextSeq((long)(rate / 2 * 5) + 1), stop.Token);
        });
        var volumes = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                await ChangeDriver.RunVolumesAsync(store, rig.Volumes, rate / 2 / rig.Volumes.Count, TimeSpan.FromSeconds(5), stop.Token);
        });
        var heaps = new List<double>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < samples; i++)
        {
            var due = interval * i;
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            var reading = await ManagedHeap.ReadAfterFullGcAsync(rig.Dashboard.ProcessId);
            var heap = reading.Live / 1048576.0;
            var ws = rig.Dashboard.WorkingSetBytes() / 1048576.0;
            heaps.Add(heap);
            table.Rows.Add([F(clock.Elapsed.TotalSeconds, 0), Changes().ToString(), F(heap), F(reading.Size / 1048576.0), F(ws)]);
            report.Metric($"memory.flat.s{i}.retainedMB", heap);
        }
        await stop.CancelAsync();
        try { await Task.WhenAll(probes, volumes); } catch (OperationCanceledException) { }

        // Warm = from the second sample on; flat = the last sample within 5 % (or 2 MB) of the warm one.
        var warm = heaps.Count > 1 ? heaps[1] : heaps[0];
        var growth = heaps[^1] - warm;
        report.Metric("memory.flat.growthMB", growth);
        report.Metric("memory.flat.changes", Changes());
        report.Check("retained heap growth once warm (flatness run)", "≤ max(5 %, 2 MB)", growth, Math.Max(warm * 0.05, 2), "MB");
    }
}
