using System.Text.Json.Nodes;
using static HomeOps.Simulator.Seed.SeedConditions;

namespace HomeOps.Simulator.Seed;

/// <summary>
/// cert-manager Certificates (cluster brief §8.2): what ingress-shim makes of the Ingresses' <c>cert-manager.io/cluster-issuer</c>
/// annotations, all Ready. Let's Encrypt ones are 90-day certificates renewed 30 days before they expire; the self-signed
/// <c>authentik-proxy-tls</c> has a short custom duration and sits inside the radar's warning window, so the slow-burn
/// radar has something to show on the quick start (issue 15).
/// </summary>
internal static class CertificateSeed
{
    public const string ApiVersion = "cert-manager.io/v1";

    /// <summary>(namespace, name, secret, host, issuer, issued this long ago, duration, renew before).</summary>
    public static readonly IReadOnlyList<(string Namespace, string Name, string Secret, string Host, string Issuer, TimeSpan IssuedAgo, TimeSpan Duration, TimeSpan RenewBefore)> Certificates =
    [
        ("headlamp", "headlamp-tls", "headlamp-tls", "headlamp.k8s.home.geoffdavis.com", "letsencrypt-prod", TimeSpan.FromDays(12), TimeSpan.FromDays(90), TimeSpan.FromDays(30)),
        ("kubernetes-dashboard", "dashboard-internal-tls", "dashboard-internal-tls", "dashboard-internal.k8s.home.geoffdavis.com", "letsencrypt-prod", TimeSpan.FromDays(33), TimeSpan.FromDays(90), TimeSpan.FromDays(30)),
        ("authentik", "authentik-tls", "authentik-tls", "authentik.k8s.home.geoffdavis.com", "selfsigned-issuer", TimeSpan.FromDays(40), TimeSpan.FromDays(365), TimeSpan.FromDays(30)),
        ("authentik-proxy", "authentik-proxy-tls", "authentik-proxy-tls", "longhorn.k8s.home.geoffdavis.com", "selfsigned-issuer", TimeSpan.FromDays(24), TimeSpan.FromDays(30), TimeSpan.FromDays(2)),
    ];

    public static IEnumerable<JsonObject> Build(SeedClock clock)
    {
        foreach (var c in Certificates) yield return Certificate(clock, c.Namespace, c.Name, c.Secret, c.Host, c.Issuer, c.IssuedAgo, c.Duration, c.RenewBefore);
    }

    private static JsonObject Certificate(SeedClock clock, string ns, string name, string secret, string host, string issuer, TimeSpan issuedAgo,
        TimeSpan duration, TimeSpan renewBefore) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "Certificate",
        ["metadata"] = new JsonObject
        {
            ["creationTimestamp"] = clock.Created(TimeSpan.FromMinutes(20)),
            ["generation"] = 1,
            ["name"] = name,
            ["namespace"] = ns,
            ["uid"] = SeedIds.Uid($"cert/{ns}/{name}"),
        },
        ["spec"] = new JsonObject
        {
            ["dnsNames"] = new JsonArray(host),
            ["duration"] = $"{(int)duration.TotalHours}h0m0s",
            ["issuerRef"] = new JsonObject { ["group"] = "cert-manager.io", ["kind"] = "ClusterIssuer", ["name"] = issuer },
            ["renewBefore"] = $"{(int)renewBefore.TotalHours}h0m0s",
            ["secretName"] = secret,
        },
        ["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(Condition("Ready", "True", "Ready", "Certificate is up to date and has not expired",
                clock.Ago(issuedAgo), observedGeneration: 1)),
            ["notAfter"] = clock.Ago(issuedAgo - duration),
            ["notBefore"] = clock.Ago(issuedAgo),
            ["renewalTime"] = clock.Ago(issuedAgo - duration + renewBefore),
            ["revision"] = 1,
        },
    };
}
