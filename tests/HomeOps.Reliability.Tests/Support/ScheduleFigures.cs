using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HomeOps.Reliability.Tests.Support;

/// <summary>The figures of a run of fault schedules, for the artifacts file and docs/reliability.md.</summary>
internal sealed class ScheduleFigures
{
    public required IReadOnlyList<ScheduleOutcome> Outcomes { get; init; }
    public required int Workers { get; init; }
    public required double WallSeconds { get; init; }
    public required string Command { get; init; }

    public int Schedules => Outcomes.Count;
    public int Failed => Outcomes.Count(o => !o.Passed);

    public IReadOnlyDictionary<string, long> FaultsByType =>
        Outcomes.SelectMany(o => o.Injected)
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Value), StringComparer.Ordinal);

    public long FaultsTotal => FaultsByType.Values.Sum();

    public object ToJson() => new
    {
        generatedAt = DateTimeOffset.UtcNow,
        command = Command,
        environment = new { Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription },
        workers = Workers,
        wallSeconds = Math.Round(WallSeconds, 1),
        schedules = Schedules,
        failed = Failed,
        seeds = new { first = Outcomes.Count == 0 ? 0 : Outcomes.Min(o => o.Seed), last = Outcomes.Count == 0 ? 0 : Outcomes.Max(o => o.Seed) },
        faultsInjected = FaultsTotal,
        faultsByType = FaultsByType,
        writes = Outcomes.Sum(o => o.Writes),
        objectsCompared = Outcomes.Sum(o => o.ObjectsCompared),
        objectsLost = Outcomes.Sum(o => o.Lost),
        objectsPhantom = Outcomes.Sum(o => o.Phantom),
        objectsStale = Outcomes.Sum(o => o.Stale),
        unreadableLinesSeenByInformers = Outcomes.Sum(o => o.UnreadableLines),
        livePeriodsChecked = Outcomes.Sum(o => o.LivePeriods),
        listWatchRequests = Outcomes.Sum(o => o.Requests),
        watchSessions = Outcomes.Sum(o => o.Sessions),
        convergenceMs = Percentiles(Outcomes.Where(o => !double.IsNaN(o.ConvergedMs)).Select(o => o.ConvergedMs)),
        liveAfterWatchEndedMs = Percentiles(Outcomes.Select(o => o.MaxLiveLagMs)),
        scheduleDurationMs = Percentiles(Outcomes.Select(o => o.DurationMs)),
        failures = Outcomes.Where(o => !o.Passed).Take(20).Select(o => o.Failure),
    };

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"| Figure | Value |");
        text.AppendLine("|---|---|");
        text.AppendLine(inv, $"| schedules run (seeds {Outcomes.Min(o => o.Seed)}–{Outcomes.Max(o => o.Seed)}) | {Schedules} ({Failed} failed) |");
        text.AppendLine(inv, $"| wall time ({Workers} workers, {Environment.ProcessorCount} cores) | {WallSeconds:0.0} s |");
        text.AppendLine(inv, $"| faults injected | {FaultsTotal} |");
        text.AppendLine(inv, $"| writes during faults | {Outcomes.Sum(o => o.Writes)} |");
        text.AppendLine(inv, $"| objects compared with the simulator | {Outcomes.Sum(o => o.ObjectsCompared)} |");
        text.AppendLine(inv, $"| objects lost / phantom / stale | {Outcomes.Sum(o => o.Lost)} / {Outcomes.Sum(o => o.Phantom)} / {Outcomes.Sum(o => o.Stale)} |");
        text.AppendLine(inv, $"| live periods checked against the server's watch sessions | {Outcomes.Sum(o => o.LivePeriods)} |");
        var conv = Outcomes.Where(o => !double.IsNaN(o.ConvergedMs)).Select(o => o.ConvergedMs).Order().ToList();
        if (conv.Count > 0) text.AppendLine(inv, $"| convergence after faults stop (p50 / p95 / max) | {P(conv, 50):0} / {P(conv, 95):0} / {conv[^1]:0} ms |");
        var lag = Outcomes.Select(o => o.MaxLiveLagMs).Order().ToList();
        if (lag.Count > 0) text.AppendLine(inv, $"| still \"live\" after a watch ended (p95 / max of per-schedule max) | {P(lag, 95):0} / {lag[^1]:0} ms |");
        text.AppendLine();
        text.AppendLine("| Fault | Injected |");
        text.AppendLine("|---|---|");
        foreach (var (name, count) in FaultsByType) text.AppendLine(inv, $"| {name} | {count} |");
        return text.ToString();
    }

    public string Write(string baseName)
    {
        var json = JsonSerializer.Serialize(ToJson(), Artifacts.Json);
        Artifacts.Write(baseName + ".md", ToMarkdown());
        return Artifacts.Write(baseName + ".json", json);
    }

    private static object Percentiles(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return new { };
        return new { p50 = Math.Round(P(sorted, 50), 1), p95 = Math.Round(P(sorted, 95), 1), max = Math.Round(sorted[^1], 1) };
    }

    private static double P(IReadOnlyList<double> sorted, int percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
