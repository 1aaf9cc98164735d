using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using HomeOps.Benchmarks.Ingest;

// dotnet run -c Release --project benchmarks/HomeOps.Benchmarks.Ingest -- [--smoke | --breakdown] [--wall-clock] [BenchmarkDotNet arguments]
// Writes ingest.json and ingest.md to $HOMEOPS_BENCH_ARTIFACTS or <repo>/artifacts/bench; exits 1 when a target is missed.
if (args.Contains("--breakdown"))
{
    Breakdown.Run(Console.Out);
    return 0;
}
var smoke = args.Contains("--smoke");
var wallClock = args.Contains("--wall-clock");
var rest = args.Where(a => a is not ("--smoke" or "--wall-clock")).ToArray();
var artifacts = ArtifactsDirectory();
var started = Stopwatch.StartNew();
var loadBefore = LoadAverage();
var command = "dotnet run -c Release --project benchmarks/HomeOps.Benchmarks.Ingest --" + (smoke ? " --smoke" : "") + (wallClock ? " --wall-clock" : "") +
    (rest.Length > 0 ? " " + string.Join(' ', rest) : "");

#if DEBUG
Console.Error.WriteLine("warning: a Debug build measures nothing useful; run with -c Release.");
#endif

IReadOnlyList<KindFigure> kinds;
IReadOnlyList<RelistFigure> relist;
Targets targets;
if (smoke)
{
    targets = Targets.Smoke;
    Console.WriteLine($"Ingest smoke (targets at 1/5: ≥ {targets.EventsPerSecond:N0} events/s, re-list < {targets.RelistMilliseconds:N0} ms; {ThreadClock.Kind})");
    (kinds, relist) = SmokeRun.Run(targets, Console.Out);
}
else
{
    targets = Targets.Full;
    // In-process: no generated project to build (other builds share this machine), and the process's own GC settings
    // (workstation, non-concurrent: the measured thread does its own collections, as on one core) apply.
    // The thread's CPU time unless --wall-clock (see ThreadCpuClock): the figure is the work, not the wait for a core.
    var cpuClock = !wallClock && ThreadCpuClock.Instance.IsAvailable;
    var job = (cpuClock ? Job.Default.WithClock(ThreadCpuClock.Instance) : Job.Default)
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithWarmupCount(4)
        .WithIterationCount(12)
        .WithId("Ingest");
    var config = ManualConfig.Create(DefaultConfig.Instance)
        .AddJob(job)
        .AddDiagnoser(MemoryDiagnoser.Default)
        .WithArtifactsPath(Path.Combine(artifacts, "bdn"))
        .WithOptions(ConfigOptions.DisableOptimizationsValidator);
    var summaries = BenchmarkSwitcher.FromTypes([typeof(WatchEventIngest), typeof(Relist)]).Run(rest.Length > 0 ? rest : ["--filter", "*"], config);
    (kinds, relist) = FromSummaries(summaries.ToList(), targets);
}

var clock = smoke ? ThreadClock.Kind : !wallClock && ThreadCpuClock.Instance.IsAvailable ? "thread CPU time" : "wall time";
var report = new IngestReport(smoke ? "smoke" : "full", DateTimeOffset.UtcNow, MachineInfo.Current(), targets, kinds, relist,
    command, started.Elapsed.TotalSeconds, clock, $"{loadBefore} at start, {LoadAverage()} at end");
var (json, md) = report.Write(artifacts);
Console.WriteLine();
Console.WriteLine(report.Markdown());
Console.WriteLine($"wrote {json} and {md}");
if (kinds.Count == 0 && relist.Count == 0)
{
    Console.Error.WriteLine("no benchmark produced a result");
    return 2;
}
foreach (var miss in report.Misses()) Console.Error.WriteLine($"TARGET MISSED: {miss}");
return report.Pass ? 0 : 1;

static (IReadOnlyList<KindFigure>, IReadOnlyList<RelistFigure>) FromSummaries(IReadOnlyList<Summary> summaries, Targets targets)
{
    var kinds = new List<KindFigure>();
    var relist = new List<RelistFigure>();
    foreach (var report in summaries.SelectMany(s => s.Reports))
    {
        if (report.ResultStatistics is not { } stats) continue;
        var bench = report.BenchmarkCase;
        // BenchmarkDotNet divides both time and allocations by OperationsPerInvoke: these are per event.
        var allocated = report.GcStats.GetBytesAllocatedPerOperation(bench) ?? 0;
        if (bench.Descriptor.Type == typeof(WatchEventIngest))
        {
            var kind = (string)bench.Parameters["Kind"];
            var lineBytes = Workload.Create(kind, 16).MeanLineBytes;
            kinds.Add(Figures.Kind(kind, lineBytes, stats.Mean, allocated, targets));
        }
        else if (bench.Descriptor.Type == typeof(Relist))
        {
            var name = bench.Descriptor.WorkloadMethod.Name == nameof(Relist.ReplaceDecoded)
                ? "ResourcesReplaced of decoded objects"
                : "List JSON (pages of 500) → decode → store";
            relist.Add(Figures.Relist(name, stats.Mean / 1e6, allocated, targets));
        }
    }
    return (kinds, relist);
}

// The 1/5/15-minute load averages: how busy the machine was while it was measured.
static string LoadAverage()
{
    try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
    catch (IOException) { return "n/a"; }
    catch (UnauthorizedAccessException) { return "n/a"; }
}

static string ArtifactsDirectory()
{
    var configured = Environment.GetEnvironmentVariable("HOMEOPS_BENCH_ARTIFACTS");
    if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "HomeOps.Dashboard.sln"))) return Path.Combine(dir.FullName, "artifacts", "bench");
    return Path.Combine(Environment.CurrentDirectory, "artifacts", "bench");
}
