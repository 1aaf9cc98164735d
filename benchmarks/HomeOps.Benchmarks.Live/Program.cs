using System.Diagnostics;
using HomeOps.Benchmarks.Live;
using HomeOps.Benchmarks.Live.Harness;
using HomeOps.Benchmarks.Live.Items;
using HomeOps.Benchmarks.Live.Report;

// Issue 6, items 2–7: each item writes <item>.json and <item>.md; the exit code is non-zero when a target is missed
// (full runs) or when a measurement produced nothing usable (any run).
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine("usage: [all|latency|api-load|wire|memory|first-paint|scale] [--smoke] [--long] [--no-publish]");
    return 64;
}

var items = new Dictionary<string, Func<BenchContext, Task<BenchReport>>>
{
    ["latency"] = LatencyBench.RunAsync,
    ["api-load"] = ApiLoadBench.RunAsync,
    ["wire"] = WireBench.RunAsync,
    ["memory"] = MemoryBench.RunAsync,
    ["first-paint"] = FirstPaintBench.RunAsync,
    ["scale"] = ScaleBench.RunAsync,
};

var log = Console.Out;
// The browsers (and this process) off the dashboard's core; the dashboard is pinned when each rig starts it.
CpuPinning.PinSelfToClientCpus();
log.WriteLine("CPU pinning: " + CpuPinning.Describe);
var total = Stopwatch.StartNew();
var failures = new List<string>();
var binary = await DashboardBinary.ResolveAsync(options.Publish, log);
await using (var browser = await Browser.LaunchAsync())
await using (var ctx = new BenchContext(options, binary, browser, log))
{
    foreach (var item in options.Items)
    {
        var watch = Stopwatch.StartNew();
        BenchReport report;
        try
        {
            report = await items[item](ctx);
        }
        catch (Exception e)
        {
            report = ctx.NewReport(item, item);
            report.Errors.Add($"{e.GetType().Name}: {e.Message}");
            log.WriteLine(e);
        }
        report.DurationSeconds = watch.Elapsed.TotalSeconds;
        var (json, md) = report.Write(RepoLayout.Artifacts);
        log.WriteLine($"[{item}] {watch.Elapsed.TotalSeconds:F1} s → {json}, {md}");
        foreach (var t in report.Targets)
            log.WriteLine($"  {(t.Met ? "met   " : "MISSED")} {t.Name}: {t.Measured} (target {t.Target})");
        foreach (var e in report.Errors) failures.Add($"{item}: {e}");
        if (!options.Smoke) failures.AddRange(report.Targets.Where(t => !t.Met).Select(t => $"{item}: target missed: {t.Name} = {t.Measured} (target {t.Target})"));
    }
}

log.WriteLine($"live benchmarks finished in {total.Elapsed.TotalSeconds:F1} s");
foreach (var f in failures) Console.Error.WriteLine("FAILED " + f);
return failures.Count == 0 ? 0 : 1;
