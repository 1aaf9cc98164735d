using System.Net;
using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Sources.Probes;

/// <summary>
/// Section <c>Cluster:Probes:Network</c>: the black-box probes of what users reach (every LB-IPAM VIP of a LoadBalancer
/// Service, and the configured hosts), run from the dashboard at a bounded rate. Env-var form:
/// <c>Cluster__Probes__Network__Interval</c>, <c>Cluster__Probes__Network__Hosts__0</c>, …
/// </summary>
public sealed class NetworkProbeOptions
{
    public const string Section = "Cluster:Probes:Network";

    public bool Enabled { get; set; } = true;

    /// <summary>One round probes every target once; a VIP that stops answering shows within one interval.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The whole probe of one target (DNS + TCP + TLS + HTTP) is cut off here.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this many probes at once (the bounded rate: at most MaxConcurrency / Timeout connections per second).</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>At most this many targets per round (VIPs first, then hosts); the rest are left out and logged.</summary>
    public int MaxTargets { get; set; } = 64;

    /// <summary>Host names to probe over HTTPS on 443 (DNS, TCP, TLS valid for the name, HTTP status).</summary>
    public string[] Hosts { get; set; } = [];

    /// <summary>
    /// Also probe every host of every Ingress (<c>spec.rules[].host</c>; https when <c>spec.tls</c> covers it, else http),
    /// resolved through DNS as a user's browser would. Off where the hosts cannot resolve (the simulator).
    /// </summary>
    public bool IngressHosts { get; set; } = true;

    /// <summary>
    /// <c>address:port=ip:port</c>: open the connection to the right-hand side instead (the simulator's loopback targets,
    /// a port-forward). Every step is still real; only where the TCP connection goes changes. Empty in production.
    /// </summary>
    public string[] Redirects { get; set; } = [];

    /// <summary>The parsed <see cref="Redirects"/> (target "address:port" → endpoint); throws on a malformed entry.</summary>
    public IReadOnlyDictionary<string, IPEndPoint> RedirectMap()
    {
        var map = new Dictionary<string, IPEndPoint>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in Redirects)
        {
            var eq = entry.IndexOf('=');
            if (eq <= 0 || !IPEndPoint.TryParse(entry[(eq + 1)..].Trim(), out var to) || to.Port == 0)
                throw new FormatException($"'{entry}' is not address:port=ip:port");
            map[entry[..eq].Trim()] = to;
        }
        return map;
    }
}

/// <summary>Refuses to start with probe settings that cannot work (a timeout longer than the interval, a malformed redirect).</summary>
internal sealed class NetworkProbeOptionsValidation : IValidateOptions<NetworkProbeOptions>
{
    public ValidateOptionsResult Validate(string? name, NetworkProbeOptions o)
    {
        var problems = new List<string>();
        if (o.Interval < TimeSpan.FromSeconds(1)) problems.Add("Interval must be at least 1 s");
        if (o.Timeout <= TimeSpan.Zero || o.Timeout >= o.Interval) problems.Add("Timeout must be positive and shorter than Interval");
        if (o.MaxConcurrency is < 1 or > 32) problems.Add("MaxConcurrency must be 1–32");
        if (o.MaxTargets is < 1 or > 1000) problems.Add("MaxTargets must be 1–1000");
        try { o.RedirectMap(); }
        catch (FormatException e) { problems.Add($"Redirects: {e.Message}"); }
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Select(p => $"{NetworkProbeOptions.Section}: {p}"));
    }
}
