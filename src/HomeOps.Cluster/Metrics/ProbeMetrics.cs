using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Metrics;

/// <summary>
/// The black-box probes of the network path (<see cref="Kinds.ProbeTarget"/>): success, latency and the served
/// certificate's expiry per target, from the same snapshots the LoadBalancers tile reads. No series before the first
/// probe round, and none while probing is disabled (<c>homeops_source_*</c> says which).
/// </summary>
internal static class ProbeMetrics
{
    public static IEnumerable<MetricFamily> Build(ClusterState state, DateTimeOffset now)
    {
        var probes = state.Items(Kinds.ProbeTarget).Select(s => s.Details).OfType<ProbeDetails>()
            .OrderBy(p => p.Source, StringComparer.Ordinal).ThenBy(p => p.Target, StringComparer.Ordinal).ToList();

        var success = new MetricFamily("homeops_probe_success", MetricType.Gauge,
            "1 when the last black-box probe of the target (DNS, TCP, TLS, HTTP as far as its scheme goes) passed, else 0; step is the step that failed, or \"\".",
            "target", "source", "owner", "step");
        var latency = new MetricFamily("homeops_probe_duration_seconds", MetricType.Gauge,
            "How long the last probe of the target took, to the end or to the step that failed.", "target", "source");
        var age = new MetricFamily("homeops_probe_age_seconds", MetricType.Gauge,
            "Seconds since the last probe of the target (a growing age means the probe loop stopped).", "target", "source");
        var expiry = new MetricFamily("homeops_probe_certificate_expiry_seconds", MetricType.Gauge,
            "Seconds until the certificate the target served in the last TLS handshake expires (negative: expired).", "target", "source");
        foreach (var p in probes)
        {
            success.Add(p.Answered ? 1 : 0, p.Target, p.Source, p.Owner, p.FailedStep ?? "");
            latency.Add(Math.Round(p.LatencyMs / 1000, 4), p.Target, p.Source);
            age.Add(HealthMetrics.AgeSeconds(p.At, now), p.Target, p.Source);
            if (p.CertNotAfter is { } notAfter) expiry.Add(Math.Round((notAfter - now).TotalSeconds), p.Target, p.Source);
        }
        return [success, latency, age, expiry];
    }
}
