using System.Text;
using HomeOps.Cluster.Areas;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Metrics;

/// <summary>
/// Renders the health model as a Prometheus text exposition (format 0.0.4), so Alertmanager can page on exactly what
/// the dashboard shows. Pure: the same state and time give the same bytes. Families always appear in this order, each
/// with its HELP and TYPE lines even when it has no samples. See docs/metrics.md for every family and example alerts.
/// </summary>
public static class HealthMetrics
{
    /// <param name="expectedNodes"><c>Cluster:ExpectedNodes</c>: an absent one is a node that is not Ready and a Failed Nodes area.</param>
    public static IReadOnlyList<MetricFamily> Build(ClusterState state, IReadOnlyList<string> expectedNodes, DateTimeOffset now) =>
    [
        .. NodeMetrics.Build(AreaRollups.Nodes(state, expectedNodes)),
        .. FluxMetrics.Build(state),
        .. ObjectHealthMetrics.Build(state),
        .. LonghornMetrics.Build(state, now),
        .. BgpMetrics.Build(state),
        .. ProbeMetrics.Build(state, now),
        .. AuthentikMetrics.Build(state, now),
        .. SourceMetrics.Build(state, now),
        .. AreaMetrics.Build(AreaRollups.All(state, expectedNodes)),
    ];

    public static string Format(ClusterState state, IReadOnlyList<string> expectedNodes, DateTimeOffset now)
    {
        var sb = new StringBuilder(16 * 1024);
        foreach (var family in Build(state, expectedNodes, now))
            family.WriteTo(sb);
        return sb.ToString();
    }

    /// <summary>Seconds from <paramref name="then"/> to <paramref name="now"/>, never negative (clock skew), millisecond precision.</summary>
    internal static double AgeSeconds(DateTimeOffset then, DateTimeOffset now) =>
        Math.Round(Math.Max(0, (now - then).TotalSeconds), 3);
}
