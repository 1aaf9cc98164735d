namespace HomeOps.Cluster.Sources.Probes;

/// <summary>
/// Section <c>Cluster:Probes:IngressVip</c>: the dashboard probes the ingress VIP that LB-IPAM assigned to the ingress
/// Service (its <c>status.loadBalancer.ingress</c>, never a configured address) with a TCP connect, from where the
/// dashboard runs. Env-var form: <c>Cluster__Probes__IngressVip__Port</c>.
/// </summary>
public sealed class IngressVipProbeOptions
{
    public const string Section = "Cluster:Probes:IngressVip";

    public bool Enabled { get; set; } = true;

    public string Namespace { get; set; } = "ingress-nginx-internal";

    public string Service { get; set; } = "ingress-nginx-internal-controller";

    public int Port { get; set; } = 443;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A result older than this is not evidence (the probe loop stopped or lags).</summary>
    public TimeSpan MaxAge => Interval * 3 + Timeout;
}
