using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HomeOps.Benchmarks.Live.Report;

/// <summary>A target of issue 6 and whether this run met it. Smoke runs record targets without enforcing them.</summary>
public sealed record TargetCheck(string Name, string Target, string Measured, bool Met);

public sealed record ResultTable(string Title, IReadOnlyList<string> Columns, List<IReadOnlyList<string>> Rows);

/// <summary>The result of one benchmark item: tables for people, metrics for programs, targets for the exit code.</summary>
public sealed class BenchReport(string item, string title)
{
    public string Item { get; } = item;
    public string Title { get; } = title;
    public MachineInfo? Machine { get; set; }
    public string Command { get; set; } = "";
    public bool Smoke { get; set; }
    public string Dashboard { get; set; } = "";
    public double DurationSeconds { get; set; }
    public List<ResultTable> Tables { get; } = [];
    public SortedDictionary<string, double?> Metrics { get; } = new(StringComparer.Ordinal);
    public List<TargetCheck> Targets { get; } = [];
    public List<string> Notes { get; } = [];

    /// <summary>Problems with the measurement itself (no samples, nothing received): fail even a smoke run.</summary>
    public List<string> Errors { get; } = [];

    [JsonIgnore] public bool TargetsMet => Targets.All(t => t.Met);

    public void Metric(string name, double value) => Metrics[name] = double.IsFinite(value) ? Math.Round(value, 3) : null;

    public void Check(string name, string target, double measured, double limit, string unit, bool atMost = true)
    {
        var met = double.IsFinite(measured) && (atMost ? measured <= limit : measured >= limit);
        Targets.Add(new TargetCheck(name, target, $"{F(measured)} {unit}".Trim(), met));
    }

    public void Require(bool condition, string error)
    {
        if (!condition) Errors.Add(error);
    }

    public static string F(double v, int digits = 1) =>
        double.IsFinite(v) ? v.ToString("N" + digits, CultureInfo.InvariantCulture) : "n/a";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public (string JsonPath, string MarkdownPath) Write(string directory)
    {
        var json = Path.Combine(directory, Item + ".json");
        var md = Path.Combine(directory, Item + ".md");
        File.WriteAllText(json, JsonSerializer.Serialize(this, Json));
        File.WriteAllText(md, ToMarkdown());
        return (json, md);
    }

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"## {Title}").AppendLine();
        sb.AppendLine($"- Machine: {Machine}");
        sb.AppendLine($"- Command: `{Command}`{(Smoke ? " (smoke: short windows, targets not enforced)" : "")}");
        sb.AppendLine($"- Dashboard: {Dashboard}");
        sb.AppendLine($"- Duration: {F(DurationSeconds)} s").AppendLine();
        foreach (var t in Tables)
        {
            sb.AppendLine($"**{t.Title}**").AppendLine();
            sb.AppendLine("| " + string.Join(" | ", t.Columns) + " |");
            sb.AppendLine("|" + string.Concat(t.Columns.Select(_ => "---|")));
            foreach (var r in t.Rows) sb.AppendLine("| " + string.Join(" | ", r) + " |");
            sb.AppendLine();
        }
        if (Targets.Count > 0)
        {
            sb.AppendLine("| Target | Goal | Measured | Met |").AppendLine("|---|---|---|---|");
            foreach (var t in Targets) sb.AppendLine($"| {t.Name} | {t.Target} | {t.Measured} | {(t.Met ? "yes" : "**no**")} |");
            sb.AppendLine();
        }
        foreach (var n in Notes) sb.AppendLine($"- {n}");
        foreach (var e in Errors) sb.AppendLine($"- ERROR: {e}");
        return sb.ToString();
    }
}
