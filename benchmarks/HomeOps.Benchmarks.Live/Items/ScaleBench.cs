using HomeOps.Benchmarks.Live.Harness;
using HomeOps.Benchmarks.Live.Report;
using Microsoft.Playwright;

namespace HomeOps.Benchmarks.Live.Items;

/// <summary>
/// Item 7, scale: on the large cluster (500 nodes, 2,000 volumes, 1,000 Kustomizations) list pages stay live. Ten
/// pages — the Flux list (1,000+ rows, virtualized) and the overview — watch probe changes at 100/s while 2,000
/// volumes churn in the background (another 100 changes/s, which re-render the Longhorn area); then at 500/s.
/// Every change must render within the latency target (p99 ≤ 300 ms, none missed).
/// </summary>
public static class ScaleBench
{
    public static async Task<BenchReport> RunAsync(BenchContext ctx)
    {
        var report = ctx.NewReport("scale", "7. Scale: list pages on the large cluster");
        var rig = await ctx.RigAsync(ClusterShape.Large);
        var pageCount = ctx.Smoke ? 2 : 10;
        var window = ctx.Smoke ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(20);
        double[] rates = ctx.Smoke ? [100] : [100, 500];
        var table = new ResultTable($"Latency on the {rig.Shape.Name} cluster, {pageCount} pages (Flux list, overview, Longhorn list; the Longhorn pages carry no probe), background volume churn 100/s ({window.TotalSeconds:0} s per cell)",
            LatencyRows.Columns, []);
        report.Tables.Add(table);
        var server = new ResultTable($"The server apart from the browsers, with the floor measured in the same run ({CpuPinning.Describe}; the measured page is the first Flux list)", ServerRows.Columns, []);
        report.Tables.Add(server);
        string[] paths = ["/flux", "/", "/longhorn"];
        var pages = new List<(string Path, IPage Page)>();
        try
        {
            while (pages.Count < pageCount)
            {
                var path = paths[pages.Count % paths.Length];
                pages.Add((path, await rig.OpenPageAsync(path)));
            }
            // Longhorn pages carry no probe; they only add the render load of a 2,000-row list under churn.
            var measured = pages.Where(p => p.Path != "/longhorn").ToList();
            foreach (var rate in rates)
            {
                var run = await ProbeRun.RunAsync(rig, measured, rate, window, TimeSpan.FromSeconds(5),
                    ct => ChangeDriver.RunVolumesAsync(rig.Simulator.Cluster, rig.Volumes, 100.0 / rig.Volumes.Count, window, ct));
                LatencyRows.Add(report, table, run, "scale");
                ServerRows.Add(report, server, run, "scale");
                ctx.Log.WriteLine(ServerRows.Line(run));
                report.Require(run.All.Milliseconds.Count > 0, $"no change was seen at {rate}/s");
                var all = run.All;
                ctx.Log.WriteLine($"scale rate={rate}: p50 {Percentiles.Of(all.Milliseconds, 50):F0} ms, p99 {Percentiles.Of(all.Milliseconds, 99):F0} ms, missed {all.Missed}");
                if (rate == 100)
                {
                    report.Check($"p99 at 100/s on the {rig.Shape.Name} cluster", "≤ 300 ms", Percentiles.Of(all.Milliseconds, 99), 300, "ms");
                    report.Check($"missed changes at 100/s on the {rig.Shape.Name} cluster", "0", all.Missed, 0, "");
                }
            }
        }
        finally
        {
            await LiveRig.CloseAsync(pages.Select(p => p.Page));
        }
        return report;
    }
}
