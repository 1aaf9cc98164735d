using System.Text.Json;

namespace HomeOps.Benchmarks.Tests;

/// <summary>
/// Both benchmark programs, with smoke, as real processes: they exit 0 and write JSON artifacts with sane figures.
/// One collection: run one after the other, so neither measures on a machine the other is loading (2 cores).
/// </summary>
[Collection(Name)]
public sealed class BenchmarkSmokeTests
{
    public const string Name = "benchmark smoke";

    [Fact]
    public async Task The_live_benchmarks_smoke_exits_zero_with_sane_artifacts()
    {
        var run = await BenchmarkProgram.RunAsync("HomeOps.Benchmarks.Live", TimeSpan.FromMinutes(6), "all", "--smoke");
        TestContext.Current.TestOutputHelper?.WriteLine($"live smoke took {run.Duration.TotalSeconds:F1} s\n{run.Output}");
        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}:\n{run.Output}");

        var latency = Metrics(run, "latency");
        Assert.InRange(latency["latency.r100.k1.all.samples"], 1, 1_000_000);
        Assert.InRange(latency["latency.r100.k1.all.p50"], 0, 5_000);
        Assert.InRange(latency["latency.r100.k1.all.missed"], 0, 1_000_000);
        // The server apart from the browsers: the dashboard's own timestamps, the measured page, and the floor beside each.
        Assert.InRange(latency["latency.r100.k1.server.lastCircuit.samples"], 1, 1_000_000);
        Assert.InRange(latency["latency.r100.k1.server.ready.p50"], 0, 5_000);
        Assert.InRange(latency["latency.r100.k1.floor.hubSent.samples"], 1, 1_000_000);
        Assert.InRange(latency["latency.r100.k1.floor.hubClient.samples"], 1, 1_000_000);
        Assert.InRange(latency["latency.r100.k1.page.samples"], 1, 1_000_000);
        Assert.InRange(latency["latency.r100.k1.circuits"], 1, 1);

        var wire = Metrics(run, "wire");
        Assert.InRange(wire["wire.longhorn.receivedBytesPerSecond"], 1, 50_000_000);

        var firstPaint = Metrics(run, "first-paint");
        Assert.InRange(firstPaint["firstPaint.interactiveMs.median"], 1, 30_000);
        Assert.InRange(firstPaint["firstPaint.bytes.median"], 50_000, 50_000_000);

        var apiLoad = Metrics(run, "api-load");
        Assert.InRange(apiLoad["apiLoad.v1.watchesOpen"], 1, 100);
        Assert.InRange(apiLoad["apiLoad.v1.pollingRequestsPerMinute"], 1, 1_000_000);

        var memory = Metrics(run, "memory");
        Assert.InRange(memory["memory.c0.retainedBytes"], 1_000_000, 10_000_000_000);
        Assert.InRange(memory["memory.c0.workingSetBytes"], 10_000_000, 100_000_000_000);

        var scale = Metrics(run, "scale");
        Assert.InRange(scale["scale.r100.k2.all.samples"], 1, 1_000_000);

        foreach (var item in new[] { "latency", "wire", "first-paint", "api-load", "memory", "scale" })
            Assert.True(File.Exists(Path.Combine(run.Artifacts, item + ".md")), item + ".md missing");
    }

    [Fact]
    public async Task The_ingest_benchmark_smoke_exits_zero_with_sane_artifacts()
    {
        var run = await BenchmarkProgram.RunAsync("HomeOps.Benchmarks.Ingest", TimeSpan.FromMinutes(3), "--smoke");
        TestContext.Current.TestOutputHelper?.WriteLine($"ingest smoke took {run.Duration.TotalSeconds:F1} s\n{run.Output}");
        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}:\n{run.Output}");
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Artifacts, "ingest.json")));
        var numbers = Numbers(doc.RootElement).ToList();
        Assert.NotEmpty(numbers);
        Assert.Contains(numbers, n => n > 1000);   // an events-per-second figure, whatever its field is called
    }

    /// <summary>The item's machine-readable metrics; every one a finite number (an unusable measurement is null).</summary>
    private static Dictionary<string, double> Metrics(BenchmarkRun run, string item)
    {
        var path = Path.Combine(run.Artifacts, item + ".json");
        Assert.True(File.Exists(path), $"{item}.json missing:\n{run.Output}");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Empty(doc.RootElement.GetProperty("errors").EnumerateArray());
        Assert.NotEqual(JsonValueKind.Null, doc.RootElement.GetProperty("machine").ValueKind);
        return doc.RootElement.GetProperty("metrics").EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.Number)
            .ToDictionary(p => p.Name, p => p.Value.GetDouble());
    }

    private static IEnumerable<double> Numbers(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => [e.GetDouble()],
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Numbers(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Numbers),
        _ => [],
    };
}
