using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HomeOps.Benchmarks.Ingest;

/// <summary>Watch-event throughput of one kind.</summary>
public sealed record KindFigure(string Kind, int LineBytes, double EventsPerSecond, double NanosecondsPerEvent,
    double AllocatedBytesPerEvent, double? TargetEventsPerSecond, bool Pass);

/// <summary>One re-list scenario: milliseconds for the whole list to settle in the store.</summary>
public sealed record RelistFigure(string Scenario, int Objects, double Milliseconds, double AllocatedBytes, double TargetMilliseconds, bool Pass);

public sealed record MachineInfo(string Cpu, int Cores, string Dotnet, string Os, string Gc)
{
    public static MachineInfo Current() => new(CpuModel(), Environment.ProcessorCount, RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription, $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, " +
        $"{(AppContext.TryGetSwitch("System.GC.Concurrent", out var c) && !c ? "non-concurrent" : "concurrent")}");

    private static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}

/// <summary>The targets of issue #6 item 1, and the loose version the smoke run holds a loaded CI machine to.</summary>
public sealed record Targets(double EventsPerSecond, double RelistMilliseconds, string[] TargetKinds)
{
    /// <summary>
    /// ≥ 100,000 events/s for node- and volume-sized objects on one core (issue 18; issue 6 asked 50,000); a re-list of
    /// 5,000 settles in &lt; 100 ms.
    /// </summary>
    public static Targets Full => new(100_000, 100, ["Node", "LonghornVolume"]);

    /// <summary>
    /// A regression alarm, not a measurement: 10,000 events/s (one fifth of issue 6's target, kept when issue 18 raised
    /// the full one: the smoke runs in the default test run on shared machines) and five times the re-list target.
    /// </summary>
    public static Targets Smoke => Full with { EventsPerSecond = 10_000, RelistMilliseconds = Full.RelistMilliseconds * 5 };
}

public sealed record IngestReport(string Mode, DateTimeOffset Date, MachineInfo Machine, Targets Targets,
    IReadOnlyList<KindFigure> Kinds, IReadOnlyList<RelistFigure> Relist, string Command, double DurationSeconds,
    string Clock, string LoadAverage)
{
    public bool Pass => Kinds.All(k => k.Pass) && Relist.All(r => r.Pass);

    public IEnumerable<string> Misses() =>
        Kinds.Where(k => !k.Pass).Select(k => $"{k.Kind}: {k.EventsPerSecond:N0} events/s < target {k.TargetEventsPerSecond:N0}")
            .Concat(Relist.Where(r => !r.Pass).Select(r => $"{r.Scenario}: {r.Milliseconds:N1} ms > target {r.TargetMilliseconds:N0} ms"));

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file for people and scripts, not HTML
    };

    /// <summary>Writes ingest.json and ingest.md into <paramref name="directory"/>; returns their paths.</summary>
    public (string Json, string Markdown) Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "ingest.json");
        var md = Path.Combine(directory, "ingest.md");
        var doc = new { mode = Mode, date = Date, pass = Pass, misses = Misses().ToArray(), machine = Machine, targets = Targets,
            kinds = Kinds, relist = Relist, command = Command, durationSeconds = Math.Round(DurationSeconds, 1), clock = Clock,
            loadAverage = LoadAverage };
        File.WriteAllText(json, JsonSerializer.Serialize(doc, Json) + "\n");
        File.WriteAllText(md, Markdown());
        return (json, md);
    }

    public string Markdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"## Ingest throughput ({Mode})");
        sb.AppendLine();
        sb.AppendLine(inv, $"Watch-event line bytes → decode → health rule → batch of {Scenarios.Batch} → reducer, one thread, store holding {Scenarios.StoreObjects:N0} objects of the kind.");
        sb.AppendLine();
        sb.AppendLine("| Kind | Line bytes | Events/s | ns/event | Allocated B/event | Target | Result |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var k in Kinds)
            sb.AppendLine(inv, $"| {k.Kind} | {k.LineBytes:N0} | {k.EventsPerSecond:N0} | {k.NanosecondsPerEvent:N0} | {k.AllocatedBytesPerEvent:N0} | " +
                $"{(k.TargetEventsPerSecond is { } t ? $"≥ {t:N0}/s" : "—")} | {(k.TargetEventsPerSecond is null ? "info" : k.Pass ? "pass" : "**MISS**")} |");
        sb.AppendLine();
        sb.AppendLine("| Re-list scenario | Objects | ms | Allocated | Target | Result |");
        sb.AppendLine("|---|---:|---:|---:|---:|---|");
        foreach (var r in Relist)
            sb.AppendLine(inv, $"| {r.Scenario} | {r.Objects:N0} | {r.Milliseconds:N1} | {r.AllocatedBytes / (1024 * 1024):N1} MiB | < {r.TargetMilliseconds:N0} ms | {(r.Pass ? "pass" : "**MISS**")} |");
        sb.AppendLine();
        sb.AppendLine(inv, $"Machine: {Machine.Cpu}, {Machine.Cores} cores, {Machine.Dotnet}, {Machine.Os}, GC {Machine.Gc}. Date: {Date:yyyy-MM-dd HH:mm} UTC.");
        sb.AppendLine();
        sb.AppendLine(inv, $"Timed by {Clock}; load average (1/5/15 min) {LoadAverage}.");
        sb.AppendLine();
        sb.AppendLine(inv, $"Command: `{Command}` ({DurationSeconds:N0} s).");
        if (!Pass)
        {
            sb.AppendLine();
            foreach (var m in Misses()) sb.AppendLine(inv, $"- MISSED: {m}");
        }
        return sb.ToString();
    }
}
