using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Model;

namespace HomeOps.Cli.Output;

/// <summary>
/// The human view: one aligned table (KIND NAMESPACE NAME HEALTH REASON MESSAGE), grouped by overview area, each
/// group headed by a summary line ("Nodes: 3/3 healthy"). Messages are cut to one line.
/// </summary>
public static class TableWriter
{
    private const int MaxName = 60;
    private const int MaxReason = 32;
    private const int MaxMessage = 140;

    public static void Write(IReadOnlyList<StatusRow> rows, IReadOnlyList<IAreaRollup> areas, TextWriter output)
    {
        WriteObjects(rows, output);
        WriteAreas(areas, output);
    }

    /// <summary>The areas' verdicts as the overview tiles show them, e.g. "Nodes  Failed  2/3 nodes Ready  missing: mini03".</summary>
    public static void WriteAreas(IReadOnlyList<IAreaRollup> areas, TextWriter output)
    {
        output.WriteLine();
        var cells = areas.Select(a => new[]
        {
            a.Area,
            a.Health.ToString(),
            $"{a.Count} {a.CountLabel}",
            a is NodesRollup { Missing.Count: > 0 } n ? Terminal.Clean($"missing: {string.Join(", ", n.Missing)}", MaxMessage) : "",
        }).ToList();
        string[] header = ["AREA", "HEALTH", "COUNT", ""];
        var widths = Enumerable.Range(0, header.Length - 1).Select(c => Math.Max(header[c].Length, cells.Max(r => r[c].Length))).ToArray();
        WriteLine(output, header, widths);
        foreach (var line in cells) WriteLine(output, line, widths);
    }

    private static void WriteObjects(IReadOnlyList<StatusRow> rows, TextWriter output)
    {
        if (rows.Count == 0)
        {
            output.WriteLine("No objects found.");
            return;
        }
        string[] header = ["KIND", "NAMESPACE", "NAME", "HEALTH", "REASON", "MESSAGE"];
        var cells = rows.Select(r => new[]
        {
            Terminal.Clean(r.Snapshot.Kind.Kind),
            Terminal.Clean(r.Snapshot.Meta.Namespace ?? "-", MaxName),
            Terminal.Clean(r.Snapshot.Meta.Name.Length == 0 ? "(unnamed)" : r.Snapshot.Meta.Name, MaxName),
            r.Snapshot.Verdict.Health.ToString(),
            Terminal.Clean(r.Snapshot.Verdict.Reason, MaxReason),
            Terminal.Clean(r.DisplayMessage, MaxMessage),
        }).ToList();
        var widths = Enumerable.Range(0, header.Length - 1)
            .Select(c => Math.Max(header[c].Length, cells.Max(row => row[c].Length)))
            .ToArray();

        WriteLine(output, header, widths);
        foreach (var group in rows.Select((r, i) => (Row: r, Cells: cells[i])).GroupBy(x => x.Row.Snapshot.Kind.Area))
        {
            output.WriteLine();
            output.WriteLine(Summary(group.Key, group.Select(g => g.Row.Snapshot).ToList()));
            if (group.Key == Area.Bgp)
                foreach (var line in BgpSessionLines.For(group.Select(g => g.Row.Snapshot))) output.WriteLine(Terminal.Clean(line, 400));
            foreach (var (_, line) in group) WriteLine(output, line, widths);
        }
    }

    /// <summary>"Flux: 30/32 healthy, 1 suspended, 1 degraded".</summary>
    public static string Summary(Area area, IReadOnlyCollection<ResourceSnapshot> items)
    {
        var healthy = items.Count(i => i.Verdict.Health == HealthStatus.Healthy);
        var others = Enum.GetValues<HealthStatus>()
            .Where(h => h != HealthStatus.Healthy)
            .Select(h => (Health: h, Count: items.Count(i => i.Verdict.Health == h)))
            .Where(x => x.Count > 0)
            .Select(x => $", {x.Count} {x.Health.ToString().ToLowerInvariant()}");
        return $"{AreaName(area)}: {healthy}/{items.Count} healthy{string.Concat(others)}";
    }

    public static string AreaName(Area area) => area switch
    {
        Area.Bgp => "BGP",
        _ => area.ToString(),
    };

    private static void WriteLine(TextWriter output, string[] cells, int[] widths)
    {
        var parts = cells.Select((c, i) => i < widths.Length ? c.PadRight(widths[i]) : c);
        output.WriteLine(string.Join("  ", parts).TrimEnd());
    }
}
