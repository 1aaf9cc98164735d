using System.Globalization;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Reports;

namespace HomeOps.Dashboard.ViewModels;

/// <summary>One radar item as a row: the Cluster verdict, its date and time left, formatted. Derives no health.</summary>
public sealed record RadarRow(string Key, string Source, string Name, string Expires, string Left, HealthStatus Health, string Reason, string Message)
{
    public string TestId => RowIds.For("radar", Key);
}

/// <summary>The radar page and tile: rows in the radar's order (soonest first) and the sources' status lines.</summary>
public static class RadarView
{
    public static IReadOnlyList<RadarRow> Rows(ExpiryRadar radar) =>
        [.. radar.Items.Select(i => new RadarRow($"{i.Source}/{i.DisplayName}", SourceTitle(radar, i.Source), i.DisplayName,
            i.ExpiresAt is { } at ? at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "—",
            Left(i.Left(radar.GeneratedAt)), i.Health, i.Reason, i.Message))];

    /// <summary>"in 6 d", "expired 3 h ago", "—" without a date.</summary>
    public static string Left(TimeSpan? left) => left switch
    {
        null => "—",
        { } l when l <= TimeSpan.Zero => $"expired {Freshness.Age(-l)} ago",
        { } l => $"in {Freshness.Age(l)}",
    };

    private static string SourceTitle(ExpiryRadar radar, string source) =>
        radar.Sources.FirstOrDefault(s => s.Source == source)?.Title ?? source;
}
