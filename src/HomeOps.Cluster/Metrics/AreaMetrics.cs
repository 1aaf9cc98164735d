using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Metrics;

/// <summary>
/// Each overview area's verdict, from the same <see cref="IAreaRollup"/> objects the tiles, the API, the hub and the CLI
/// read: so an alert on <c>homeops_area_health</c> fires exactly when the tile turns red (a missing node included).
/// </summary>
internal static class AreaMetrics
{
    public static IEnumerable<MetricFamily> Build(IReadOnlyList<IAreaRollup> areas)
    {
        var health = new MetricFamily("homeops_area_health", MetricType.Gauge,
            "One-hot: 1 for the area's current verdict (as its overview tile shows it), 0 for the other five.", "area", "health");
        var ok = new MetricFamily("homeops_area_ok", MetricType.Gauge,
            "The n of the area's n/total count (nodes Ready, Kustomizations Ready, volumes OK, ...); absent while BGP session state is unknown.", "area");
        var total = new MetricFamily("homeops_area_total", MetricType.Gauge,
            "The total of the area's n/total count.", "area");
        foreach (var area in areas)
        {
            foreach (var h in Enum.GetValues<HealthStatus>())
                health.Add(area.Health == h ? 1 : 0, area.Area, h.ToString());
            if (area is not BgpRollup { SessionStateKnown: false }) ok.Add(area.Ok, area.Area);
            total.Add(area.Total, area.Area);
        }
        return [health, ok, total];
    }
}
