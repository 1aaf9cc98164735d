using System.Text.Json.Nodes;
using static HomeOps.Simulator.Seed.SeedConditions;

namespace HomeOps.Simulator.Seed;

/// <summary>
/// The secrets pipeline (cluster brief §3.5, §6.3): the <c>onepassword-connect</c> ClusterSecretStore (vault
/// Automation) and ExternalSecrets named as in the repository, all synced. The secret-store-fails scenario breaks them.
/// </summary>
internal static class SecretsSeed
{
    public const string ApiVersion = "external-secrets.io/v1";
    public const string StoreName = "onepassword-connect";

    /// <summary>(namespace, name, target Secret, refresh interval, 1Password item).</summary>
    public static readonly IReadOnlyList<(string Namespace, string Name, string Target, string Refresh, string Item)> ExternalSecrets =
    [
        ("authentik", "authentik-admin-token-enhanced", "authentik-admin-token", "5m", "Authentik Admin API Token - home-ops"),
        ("authentik-proxy", "authentik-admin-token-enhanced", "authentik-admin-token-enhanced", "15m", "Authentik Admin API Token - home-ops"),
        ("authentik-proxy", "authentik-external-outpost-token", "authentik-external-outpost-token", "15m", "Authentik External Outpost Token - home-ops"),
        ("authentik", "authentik-radius-token", "authentik-radius-token", "5m", "Authentik Outpost RADIUS Token - home-ops"),
        ("authentik", "authentik-config", "authentik-config", "1h", "Authentik Configuration - home-ops"),
        ("authentik", "authentik-database-credentials", "authentik-database-credentials", "1h", "PostgreSQL Authentik User - home-ops"),
        ("longhorn-system", "longhorn-s3-backup-credentials", "longhorn-s3-backup-credentials", "1h", "Longhorn S3 Backup - home-ops"),
        ("kube-system", "cilium-bgp-auth", "cilium-bgp-auth", "1h", "BGP Authentication - home-ops"),
        ("cloudflare-tunnel", "cloudflare-tunnel-credentials", "cloudflare-tunnel-credentials", "1h", "Cloudflare Tunnel - home-ops"),
    ];

    public static IEnumerable<JsonObject> Build(SeedClock clock)
    {
        yield return Store(clock);
        foreach (var e in ExternalSecrets) yield return ExternalSecret(clock, e.Namespace, e.Name, e.Target, e.Refresh, e.Item);
    }

    private static JsonObject Store(SeedClock clock) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "ClusterSecretStore",
        ["metadata"] = new JsonObject
        {
            ["creationTimestamp"] = clock.Created(TimeSpan.FromMinutes(8)),
            ["generation"] = 1,
            ["labels"] = new JsonObject { ["kustomize.toolkit.fluxcd.io/name"] = "infrastructure-onepassword", ["kustomize.toolkit.fluxcd.io/namespace"] = "flux-system" },
            ["name"] = StoreName,
            ["uid"] = SeedIds.Uid("eso/" + StoreName),
        },
        ["spec"] = new JsonObject
        {
            ["provider"] = new JsonObject
            {
                ["onepassword"] = new JsonObject
                {
                    ["auth"] = new JsonObject
                    {
                        ["secretRef"] = new JsonObject
                        {
                            ["connectTokenSecretRef"] = new JsonObject { ["key"] = "token", ["name"] = "onepassword-connect-token", ["namespace"] = "onepassword-connect" },
                        },
                    },
                    ["connectHost"] = "http://onepassword-connect.onepassword-connect.svc.cluster.local:8080",
                    ["vaults"] = new JsonObject { ["Automation"] = 1 },
                },
            },
        },
        ["status"] = new JsonObject
        {
            ["capabilities"] = "ReadOnly",
            ["conditions"] = new JsonArray(Condition("Ready", "True", "Valid", "store validated", clock.Created(TimeSpan.FromMinutes(9)))),
        },
    };

    private static JsonObject ExternalSecret(SeedClock clock, string ns, string name, string target, string refresh, string item) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "ExternalSecret",
        ["metadata"] = new JsonObject
        {
            ["creationTimestamp"] = clock.Created(TimeSpan.FromMinutes(40)),
            ["generation"] = 1,
            ["name"] = name,
            ["namespace"] = ns,
            ["uid"] = SeedIds.Uid($"eso/{ns}/{name}"),
        },
        ["spec"] = new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject
            {
                ["remoteRef"] = new JsonObject { ["key"] = item, ["property"] = item.Contains("Token") ? "token" : "password" },
                ["secretKey"] = item.Contains("Token") ? "token" : "password",
            }),
            ["refreshInterval"] = refresh,
            ["secretStoreRef"] = new JsonObject { ["kind"] = "ClusterSecretStore", ["name"] = StoreName },
            ["target"] = new JsonObject { ["creationPolicy"] = "Owner", ["name"] = target },
        },
        ["status"] = new JsonObject
        {
            ["binding"] = new JsonObject { ["name"] = target },
            ["conditions"] = new JsonArray(Condition("Ready", "True", "SecretSynced", "secret synced", clock.Created(TimeSpan.FromMinutes(41)))),
            ["refreshTime"] = clock.Ago(TimeSpan.FromMinutes(2)),
            ["syncedResourceVersion"] = "1-" + SeedIds.Hex($"eso/{ns}/{name}", 32),
        },
    };
}
