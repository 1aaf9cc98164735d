using HomeOps.Cluster.Reports;

namespace HomeOps.Cli.Output;

/// <summary>
/// The table's radar section: the slow-burn radar's verdict line, one line per item soonest first (the same
/// <see cref="ExpiryRadar"/> as <c>/radar</c> and <c>/api/v1/radar</c>), then each source's status.
/// </summary>
public static class RadarLines
{
    public static void Write(ExpiryRadar radar, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine(Terminal.Clean($"radar: {radar.Health} — {radar.Verdict} ({radar.Count} {radar.CountLabel})", 400));
        foreach (var i in radar.Items)
        {
            var left = i.Left(radar.GeneratedAt) switch
            {
                null => "no date",
                { } l when l <= TimeSpan.Zero => $"expired {HomeOps.Cluster.Model.Freshness.Age(-l)} ago",
                { } l => $"in {HomeOps.Cluster.Model.Freshness.Age(l)}",
            };
            output.WriteLine(Terminal.Clean($"radar {i.Source} {i.DisplayName}: {i.Health} ({left}) — {i.Message}", 400));
        }
        foreach (var s in radar.Sources.Where(s => s.Items == 0))
            output.WriteLine(Terminal.Clean($"radar {s.Source}: {s.Status}", 400));
    }
}
