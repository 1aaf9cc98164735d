using System.Text.Json.Nodes;
using HomeOps.Simulator.Seed;

namespace HomeOps.Simulator.Authentik;

/// <summary>One connected outpost replica, as the outpost health endpoint lists it.</summary>
internal sealed record OutpostInstance(string OutpostId, string Hostname, string Uid, int HelloPhaseSeconds);

/// <summary>
/// The Authentik side of home-ops (cluster brief §6.2): the embedded outpost (no providers since they moved),
/// the external proxy outpost carrying the seven proxy providers, the RADIUS outpost, their replicas, and tokens.
/// </summary>
internal static class AuthentikSeed
{
    public const string Version = "2025.12.4";
    public const string EmbeddedOutpostId = "26d1a2cc-cdc3-42b1-84a0-9f3dbc6b6083";
    public const string ExternalOutpostId = "3f0970c5-d6a3-43b2-9a36-d74665c6b24e";
    public static readonly string RadiusOutpostId = SeedIds.Uid("authentik/radius-outpost");

    private const string InternalHost = "http://authentik-server.authentik.svc.cluster.local:80";
    private const string BrowserHost = "https://authentik.k8s.home.geoffdavis.com";

    // Provider pks 2..8 of the proxy catalogue (charts/authentik-proxy-config), all on the external outpost.
    private static readonly (int Pk, string Slug, string Name)[] ProxyProviders =
    [
        (2, "longhorn", "Longhorn"),
        (3, "grafana", "Grafana"),
        (4, "prometheus", "Prometheus"),
        (5, "alertmanager", "Alertmanager"),
        (6, "hubble", "Hubble"),
        (7, "homeassistant", "Home Assistant"),
        (8, "dashboard", "Kubernetes Dashboard"),
    ];

    public static List<JsonObject> Outposts() =>
    [
        Outpost(EmbeddedOutpostId, "authentik Embedded Outpost", "proxy", [], BrowserHost + "/", "",
            managed: "goauthentik.io/outposts/embedded"),
        Outpost(ExternalOutpostId, "k8s-external-proxy-outpost", "proxy",
            ProxyProviders.Select(p => ProxyProvider(p.Pk, p.Slug, p.Name)).ToList(), InternalHost, BrowserHost, managed: null),
        Outpost(RadiusOutpostId, "radius-outpost", "radius", [RadiusProvider()], InternalHost, "", managed: null),
    ];

    public static List<OutpostInstance> Instances() =>
    [
        new(EmbeddedOutpostId, "authentik-server-7c9d8b6f5d-4xk2p", SeedIds.Hex("instance/embedded/1", 32), 2),
        new(EmbeddedOutpostId, "authentik-server-7c9d8b6f5d-n8w5r", SeedIds.Hex("instance/embedded/2", 32), 7),
        new(ExternalOutpostId, "authentik-proxy-5f7b9c8d6-h2m4q", SeedIds.Hex("instance/external/1", 32), 4),
        new(ExternalOutpostId, "authentik-proxy-5f7b9c8d6-t9z3x", SeedIds.Hex("instance/external/2", 32), 9),
        new(RadiusOutpostId, "ak-outpost-radius-outpost-6b8c7d9f4-p5v7k", SeedIds.Hex("instance/radius/1", 32), 5),
    ];

    private static JsonObject Outpost(string id, string name, string type, List<JsonObject> providers, string host, string browserHost, string? managed)
    {
        var pks = new JsonArray();
        var objs = new JsonArray();
        foreach (var provider in providers)
        {
            pks.Add(provider["pk"]!.GetValue<int>());
            objs.Add(provider);
        }
        return new JsonObject
        {
            ["pk"] = id,
            ["name"] = name,
            ["type"] = type,
            ["providers"] = pks,
            ["providers_obj"] = objs,
            ["service_connection"] = null,
            ["service_connection_obj"] = null,
            ["token_identifier"] = $"ak-outpost-{id.Replace("-", "")}-api",
            ["config"] = new JsonObject
            {
                ["authentik_host"] = host,
                ["authentik_host_insecure"] = false,
                ["authentik_host_browser"] = browserHost,
                ["log_level"] = "info",
                ["object_naming_template"] = "ak-outpost-%(name)s",
                ["refresh_interval"] = "minutes=5",
                ["kubernetes_replicas"] = 2,
                ["kubernetes_namespace"] = type == "radius" ? "authentik" : "authentik-proxy",
                ["kubernetes_service_type"] = type == "radius" ? "LoadBalancer" : "ClusterIP",
                ["kubernetes_ingress_annotations"] = new JsonObject(),
                ["kubernetes_ingress_secret_name"] = "authentik-outpost-tls",
                ["kubernetes_disabled_components"] = new JsonArray(),
                ["kubernetes_image_pull_secrets"] = new JsonArray(),
            },
            ["managed"] = managed,
        };
    }

    private static JsonObject ProxyProvider(int pk, string slug, string name) => new()
    {
        ["pk"] = pk,
        ["name"] = $"Provider for {name}",
        ["component"] = "ak-provider-proxy-form",
        ["assigned_application_slug"] = slug,
        ["assigned_application_name"] = name,
        ["verbose_name"] = "Proxy Provider",
        ["verbose_name_plural"] = "Proxy Providers",
        ["meta_model_name"] = "authentik_providers_proxy.proxyprovider",
    };

    private static JsonObject RadiusProvider() => new()
    {
        ["pk"] = 9,
        ["name"] = "radius-provider",
        ["component"] = "ak-provider-radius-form",
        ["assigned_application_slug"] = "radius-app",
        ["assigned_application_name"] = "radius-app",
        ["verbose_name"] = "Radius Provider",
        ["verbose_name_plural"] = "Radius Providers",
        ["meta_model_name"] = "authentik_providers_radius.radiusprovider",
    };
}
