namespace HomeOps.Cluster.Metrics;

/// <summary>
/// Configuration section <c>Metrics</c>: who may read <c>/metrics</c>. The endpoint has its own authorization because
/// Prometheus cannot sign in through Authentik. Two independent locks, use either or both:
/// a bearer token, and a dedicated port that only the monitoring namespace may reach (NetworkPolicy).
/// </summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>When set, requests need <c>Authorization: Bearer &lt;token&gt;</c> (else 401). Empty = open. Secret: never logged.</summary>
    public string BearerToken { get; set; } = "";

    /// <summary>
    /// When above 0, <c>/metrics</c> answers only on connections to this local port (else 404), so the public ingress,
    /// which forwards to the app port, can never reach it. The port must be one Kestrel listens on (ASPNETCORE_HTTP_PORTS).
    /// </summary>
    public int Port { get; set; }

    public override string ToString() => $"BearerToken={(string.IsNullOrEmpty(BearerToken) ? "(none)" : "(set)")}, Port={Port}";
}
