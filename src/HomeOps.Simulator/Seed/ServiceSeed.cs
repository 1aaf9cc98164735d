using System.Text.Json.Nodes;

namespace HomeOps.Simulator.Seed;

/// <summary>
/// v1 Services of home-ops that matter to LB-IPAM (cluster brief §5.3): the ingress controllers with their pool label
/// and address, Grafana and Alertmanager in bgp-default, and the Longhorn UI carrying only the pool <b>annotation</b> —
/// the label-versus-annotation mistake that left LoadBalancers pending — so it has no address. Plus the ClusterIP
/// <c>default/kubernetes</c> Service, which the dashboard must ignore.
/// </summary>
internal static class ServiceSeed
{
    public const string PoolKey = "io.cilium/lb-ipam-pool";
    public const string LonghornFrontend = "longhorn-frontend";

    public static IEnumerable<JsonObject> Build(SeedClock clock)
    {
        yield return ClusterIp(clock, "default", "kubernetes", "10.96.0.1", new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = 6443 });
        yield return LoadBalancer(clock, "ingress-nginx-internal", "ingress-nginx-internal-controller", "bgp-ingress", label: true, "172.29.52.200", Web());
        yield return LoadBalancer(clock, "ingress-nginx", "ingress-nginx-controller", "bgp-ingress", label: true, "172.29.52.201", Web());
        yield return LoadBalancer(clock, "monitoring", "kube-prometheus-stack-grafana", "bgp-default", label: true, "172.29.52.101",
            [Port("http-web", 80)]);
        yield return LoadBalancer(clock, "monitoring", "kube-prometheus-stack-alertmanager", "bgp-default", label: true, "172.29.52.103",
            [Port("http-web", 9093)]);
        yield return LoadBalancer(clock, HomeOpsTopology.LonghornNamespace, LonghornFrontend, "bgp-default", label: false, address: null,
            [Port("http", 80)]);
    }

    private static JsonObject[] Web() => [Port("http", 80), Port("https", 443)];

    private static JsonObject Port(string name, int port) => new()
    {
        ["name"] = name, ["port"] = port, ["protocol"] = "TCP", ["targetPort"] = name,
    };

    private static JsonObject LoadBalancer(SeedClock clock, string ns, string name, string pool, bool label, string? address, JsonObject[] ports)
    {
        var metadata = Metadata(clock, ns, name);
        // Every chart sets the annotation; only the fixed ones also set the label that pools actually select on.
        metadata["annotations"] = new JsonObject { [PoolKey] = pool };
        if (label) metadata["labels"] = new JsonObject { [PoolKey] = pool, ["app.kubernetes.io/name"] = name };
        else metadata["labels"] = new JsonObject { ["app.kubernetes.io/name"] = name };
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["allocateLoadBalancerNodePorts"] = true,
                ["clusterIP"] = $"10.96.{SeedIds.Guid(name).ToByteArray()[0]}.{SeedIds.Guid(name).ToByteArray()[1]}",
                ["externalTrafficPolicy"] = "Cluster",
                ["ipFamilies"] = new JsonArray("IPv4"),
                ["ipFamilyPolicy"] = "SingleStack",
                ["ports"] = new JsonArray([.. ports]),
                ["selector"] = new JsonObject { ["app.kubernetes.io/name"] = name },
                ["type"] = "LoadBalancer",
            },
            ["status"] = new JsonObject
            {
                ["loadBalancer"] = address is null
                    ? new JsonObject()
                    : new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = address, ["ipMode"] = "VIP" }) },
            },
        };
    }

    private static JsonObject ClusterIp(SeedClock clock, string ns, string name, string clusterIp, JsonObject port) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = Metadata(clock, ns, name),
        ["spec"] = new JsonObject
        {
            ["clusterIP"] = clusterIp,
            ["ports"] = new JsonArray(port),
            ["type"] = "ClusterIP",
        },
        ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() },
    };

    private static JsonObject Metadata(SeedClock clock, string ns, string name) => new()
    {
        ["creationTimestamp"] = clock.Created(TimeSpan.FromMinutes(30)),
        ["name"] = name,
        ["namespace"] = ns,
        ["uid"] = SeedIds.Uid($"service/{ns}/{name}"),
    };
}
