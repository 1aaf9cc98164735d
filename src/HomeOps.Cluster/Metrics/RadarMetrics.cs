using System.Text;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Reports;

namespace HomeOps.Cluster.Metrics;

/// <summary>
/// The slow-burn radar as Prometheus gauges (docs/metrics.md, "Slow-burn radar"): seconds until each dated item expires,
/// and its verdict, both from one <see cref="ExpiryRadar"/>. An item without a date (a service-account token, a token that
/// does not expire, a credential that could not be read) has no expiry series but keeps its health series.
/// </summary>
public static class RadarMetrics
{
    public static IReadOnlyList<MetricFamily> Build(ExpiryRadar radar)
    {
        var expiry = new MetricFamily("homeops_expiry_seconds", MetricType.Gauge,
            "Seconds until the item expires (negative once expired): cert-manager Certificates, the dashboard's kubeconfig and talosconfig client certificates, the API server's serving certificate, Authentik tokens.",
            "source", "namespace", "name");
        var healthy = new MetricFamily("homeops_expiry_healthy", MetricType.Gauge,
            "1 when the radar's verdict for the item is Healthy, else 0 (inside its warning window, renewal overdue, expired, not Ready, or unknown).",
            "source", "namespace", "name");
        foreach (var item in radar.Items)
        {
            if (item.Left(radar.GeneratedAt) is { } left) expiry.Add(Math.Round(left.TotalSeconds, 3), item.Source, item.Namespace ?? "", item.Name);
            healthy.Add(item.Health == HealthStatus.Healthy ? 1 : 0, item.Source, item.Namespace ?? "", item.Name);
        }
        return [expiry, healthy];
    }

    public static string Format(ExpiryRadar radar)
    {
        var sb = new StringBuilder(1024);
        foreach (var family in Build(radar)) family.WriteTo(sb);
        return sb.ToString();
    }
}
