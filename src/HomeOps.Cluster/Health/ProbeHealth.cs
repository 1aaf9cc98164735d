using System.Collections.Immutable;
using System.Globalization;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Health;

/// <summary>Where a probe target comes from: an LB-IPAM address of a LoadBalancer Service, or a host of an Ingress.</summary>
public static class ProbeSources
{
    public const string Vip = "vip";
    public const string IngressHost = "ingress-host";
}

/// <summary>The step of a probe that failed, in the order they run: resolve, connect, TLS handshake, HTTP request.</summary>
public static class ProbeSteps
{
    public const string Dns = "dns";
    public const string Tcp = "tcp";
    public const string Tls = "tls";
    public const string Http = "http";
}

/// <summary>
/// The last black-box probe of one target, from the dashboard's own network position.
/// <see cref="FailedStep"/> is null when every step passed; <see cref="TlsValid"/> is null when TLS was not judged
/// (plain HTTP, or a bare VIP: an IP address is not a name a certificate is issued for, so only the handshake counts).
/// </summary>
public sealed record ProbeDetails(
    string Target,
    string Source,
    string Owner,
    string Address,
    int Port,
    string Scheme,
    string? FailedStep,
    string Detail,
    bool? TlsValid,
    int? HttpStatus,
    double LatencyMs,
    DateTimeOffset? CertNotAfter,
    DateTimeOffset At) : IResourceDetails
{
    /// <summary>The target answered (TCP connected, and TLS/HTTP as far as its scheme goes).</summary>
    public bool Answered => FailedStep is null;
}

/// <summary>
/// The verdict of one probe target (one truth: the LoadBalancers tile, the page, the API, /metrics and the CLI read it).
/// DNS, TCP or TLS failing → Failed (users cannot reach it); HTTP 5xx → Degraded (the path works, the backend does
/// not); a certificate that expires within <see cref="CertificateWarning"/> → Degraded; otherwise Healthy.
/// </summary>
public static class ProbeHealth
{
    public static readonly TimeSpan CertificateWarning = TimeSpan.FromDays(14);

    public static Verdict Rule(ProbeDetails d)
    {
        if (d.FailedStep is { } step)
        {
            var reason = step switch
            {
                ProbeSteps.Dns => "DnsFailed",
                ProbeSteps.Tcp => "NotAnswering",
                ProbeSteps.Tls => "TlsFailed",
                _ => "HttpFailed",
            };
            return new Verdict(step == ProbeSteps.Http ? HealthStatus.Degraded : HealthStatus.Failed, reason, $"{d.Target}: {d.Detail}", d.At);
        }
        var latency = $"{d.LatencyMs.ToString("0", CultureInfo.InvariantCulture)} ms";
        if (d.HttpStatus is >= 500)
            return new Verdict(HealthStatus.Degraded, "HttpError", $"{d.Target}: HTTP {d.HttpStatus} in {latency}", d.At);
        if (d.CertNotAfter is { } notAfter && notAfter - d.At < CertificateWarning)
            return new Verdict(HealthStatus.Degraded, "CertificateExpiresSoon",
                $"{d.Target}: certificate expires {notAfter:yyyy-MM-dd HH:mm} UTC ({Freshness.Age(notAfter - d.At)} left)", d.At);
        var what = d.HttpStatus is { } code ? $"HTTP {code}" : d.Scheme == "https" ? "TLS handshake" : "TCP connect";
        return new Verdict(HealthStatus.Healthy, "Answering", $"{d.Target}: {what} in {latency}", d.At);
    }

    /// <summary>
    /// The snapshot of one probe result. The key is stable per target (source, target), the resourceVersion changes with
    /// each probe so that the latency shown stays the last one.
    /// </summary>
    public static ResourceSnapshot Snapshot(ProbeDetails d)
    {
        var slash = d.Owner.IndexOf('/');
        var meta = new ObjectMeta($"probe/{d.Source}/{d.Target}", d.Target, slash > 0 ? d.Owner[..slash] : null,
            d.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), 0, null, ObjectMeta.NoLabels,
            ImmutableDictionary<string, string>.Empty.Add("homeops/owner", d.Owner));
        return new ResourceSnapshot(Kinds.ProbeTarget, meta, d, Rule(d), [], "");
    }
}
