using System.Text.Json.Nodes;

namespace HomeOps.Simulator.Seed;

/// <summary>
/// <c>networking.k8s.io/v1</c> Ingresses of home-ops on the internal ingress controller (cluster brief §9: the
/// <c>*.k8s.home.geoffdavis.com</c> hosts): the Kubernetes dashboard, and Longhorn and Grafana behind the Authentik
/// proxy outpost. Each carries the controller's VIP in <c>status.loadBalancer.ingress</c>, as ingress-nginx publishes it.
/// </summary>
internal static class IngressSeed
{
    public const string Domain = "k8s.home.geoffdavis.com";
    public const string ControllerAddress = "172.29.52.200";

    public static IEnumerable<JsonObject> Build(SeedClock clock)
    {
        yield return Ingress(clock, "kubernetes-dashboard", "kubernetes-dashboard", $"dashboard.{Domain}", "kubernetes-dashboard-kong-proxy", 443);
        yield return Ingress(clock, "authentik", "longhorn-proxy", $"longhorn.{Domain}", "ak-outpost-authentik-proxy-outpost", 9000);
        yield return Ingress(clock, "authentik", "grafana-proxy", $"grafana.{Domain}", "ak-outpost-authentik-proxy-outpost", 9000);
    }

    private static JsonObject Ingress(SeedClock clock, string ns, string name, string host, string service, int port) => new()
    {
        ["apiVersion"] = "networking.k8s.io/v1",
        ["kind"] = "Ingress",
        ["metadata"] = new JsonObject
        {
            ["creationTimestamp"] = clock.Created(TimeSpan.FromMinutes(25)),
            ["name"] = name,
            ["namespace"] = ns,
            ["uid"] = SeedIds.Uid($"ingress/{ns}/{name}"),
            ["annotations"] = new JsonObject { ["cert-manager.io/cluster-issuer"] = "letsencrypt-production" },
        },
        ["spec"] = new JsonObject
        {
            ["ingressClassName"] = "nginx-internal",
            ["rules"] = new JsonArray(new JsonObject
            {
                ["host"] = host,
                ["http"] = new JsonObject
                {
                    ["paths"] = new JsonArray(new JsonObject
                    {
                        ["path"] = "/",
                        ["pathType"] = "Prefix",
                        ["backend"] = new JsonObject
                        {
                            ["service"] = new JsonObject { ["name"] = service, ["port"] = new JsonObject { ["number"] = port } },
                        },
                    }),
                },
            }),
            ["tls"] = new JsonArray(new JsonObject { ["hosts"] = new JsonArray(host), ["secretName"] = $"{name}-tls" }),
        },
        ["status"] = new JsonObject
        {
            ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = ControllerAddress }) },
        },
    };
}
