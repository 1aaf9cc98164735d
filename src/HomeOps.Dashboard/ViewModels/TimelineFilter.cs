using HomeOps.Cluster.Model;
using HomeOps.Operations.Timeline;

namespace HomeOps.Dashboard.ViewModels;

/// <summary>The /timeline page's filters (area, object, period) and the query they make.</summary>
public sealed class TimelineFilter
{
    /// <summary>The periods the page offers, as (value, label); the value is what <see cref="TimelineSince"/> parses.</summary>
    public static readonly (string Value, string Label)[] Periods =
        [("15m", "15 minutes"), ("1h", "1 hour"), ("6h", "6 hours"), ("24h", "24 hours"), ("7d", "7 days"), ("30d", "30 days")];

    /// <summary>The areas to filter by: the overview's areas and the dashboard's own actions.</summary>
    public static readonly string[] AreaChoices = [.. Enum.GetNames<Area>(), TimelineEntry.OperationsArea];

    public string? Area { get; set; }
    public string? Object { get; set; }
    public string Period { get; set; } = "24h";

    public const int Take = 500;

    public TimelineQuery ToQuery(DateTimeOffset now) => new(
        Area: string.IsNullOrWhiteSpace(Area) ? null : Area,
        Object: string.IsNullOrWhiteSpace(Object) ? null : Object.Trim(),
        From: now - (TimelineSince.TryParse(Period, out var span) ? span : TimeSpan.FromHours(24)),
        Take: Take);
}
