using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;
using HomeOps.Simulator.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace HomeOps.Simulator.Tests;

/// <summary>
/// Simulator:Api makes the API look like other clusters than the live one: a newer Cilium serving the BGPv2 kinds at
/// cilium.io/v2, a CRD that is not installed, a kind RBAC forbids — at start or while running.
/// </summary>
public sealed class ApiShapeTests
{
    private static IEnumerable<string> Resources(JsonObject list) =>
        list["resources"]!.AsArray().Select(r => r.Str("name")!);

    private static IEnumerable<string> GroupVersions(JsonObject groups, string group) =>
        groups["groups"]!.AsArray().Where(g => g.Str("name") == group)
            .SelectMany(g => g!["versions"]!.AsArray().Select(v => v.Str("version")!));

    [Fact]
    public async Task Newer_Cilium_serves_the_BGPv2_kinds_and_pools_at_v2_and_keeps_the_peering_policy_at_v2alpha1()
    {
        await using var host = await SimulatorTestHost.StartAsync(o => o.Api.CiliumVersion = "v2");
        using var http = host.KubernetesClient();

        var groups = await http.GetObjectAsync("/apis");
        var cilium = groups["groups"]!.AsArray().Single(g => g.Str("name") == "cilium.io")!;
        Assert.Equal(["v2", "v2alpha1"], GroupVersions(groups, "cilium.io"));
        Assert.Equal("cilium.io/v2", cilium.Str("preferredVersion", "groupVersion"));

        var v2 = await http.GetObjectAsync("/apis/cilium.io/v2");
        Assert.Equal(
            ["ciliumbgpadvertisements", "ciliumbgpclusterconfigs", "ciliumbgpnodeconfigs", "ciliumbgppeerconfigs", "ciliumloadbalancerippools"],
            Resources(v2).Where(n => !n.Contains('/')).Order());
        // The entries are the live cluster's, moved to v2: same short names and scope.
        var nodeConfigs = v2["resources"]!.AsArray().Single(r => r.Str("name") == "ciliumbgpnodeconfigs")!;
        Assert.Equal("v2", nodeConfigs.Str("version"));
        Assert.Equal(["cbgpnode"], nodeConfigs["shortNames"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["ciliumbgppeeringpolicies"], Resources(await http.GetObjectAsync("/apis/cilium.io/v2alpha1")));

        var list = await http.GetObjectAsync("/apis/cilium.io/v2/ciliumbgpnodeconfigs");
        Assert.Equal(["mini01", "mini02", "mini03"], list.Names());
        Assert.All(list["items"]!.AsArray(), i => Assert.Equal("cilium.io/v2", i.Str("apiVersion")));
        var (old, _) = await http.GetJsonAsync("/apis/cilium.io/v2alpha1/ciliumbgpnodeconfigs");
        Assert.Equal(404, old);
        Assert.Equal("cilium.io/v2", host.Cluster.Get(Kinds.BgpNodeConfig, null, "mini01")!.Str("apiVersion"));
    }

    [Fact]
    public async Task An_omitted_kind_is_absent_from_discovery_answers_404_and_appears_when_installed()
    {
        await using var host = await SimulatorTestHost.StartAsync(o => o.Api.Omit = ["CiliumBGPPeeringPolicy", "NodeMetrics"]);
        using var http = host.KubernetesClient();

        Assert.DoesNotContain("ciliumbgppeeringpolicies", Resources(await http.GetObjectAsync("/apis/cilium.io/v2alpha1")));
        Assert.DoesNotContain(
            (await http.GetObjectAsync("/apis"))["groups"]!.AsArray(), g => g.Str("name") == "metrics.k8s.io");
        var (status, body) = await http.GetJsonAsync("/apis/cilium.io/v2alpha1/ciliumbgppeeringpolicies");
        Assert.Equal(404, status);
        Assert.Equal("NotFound", body.Str("reason"));
        Assert.False(host.Api.IsServed(Kinds.BgpPeeringPolicy));

        // The CRD is installed while running: discovery and the collection answer, with the objects applied.
        host.Api.Install("CiliumBGPPeeringPolicy");
        Assert.Contains("ciliumbgppeeringpolicies", Resources(await http.GetObjectAsync("/apis/cilium.io/v2alpha1")));
        Assert.Equal(["bgp-peering-policy"], (await http.GetObjectAsync("/apis/cilium.io/v2alpha1/ciliumbgppeeringpolicies")).Names());

        host.Api.Omit("ciliumbgppeeringpolicies.cilium.io");
        Assert.Equal(404, (await http.GetJsonAsync("/apis/cilium.io/v2alpha1/ciliumbgppeeringpolicies")).Status);
    }

    [Fact]
    public async Task A_forbidden_kind_stays_in_discovery_and_answers_403_naming_the_verb_and_resource()
    {
        await using var host = await SimulatorTestHost.StartAsync(o => o.Api.Forbid = ["externalsecrets.external-secrets.io"]);
        using var http = host.KubernetesClient();

        Assert.Contains("externalsecrets", Resources(await http.GetObjectAsync("/apis/external-secrets.io/v1")));
        var (list, body) = await http.GetJsonAsync("/apis/external-secrets.io/v1/externalsecrets");
        var (watch, _) = await http.GetJsonAsync("/apis/external-secrets.io/v1/externalsecrets?watch=true");
        var (get, _) = await http.GetJsonAsync("/apis/external-secrets.io/v1/namespaces/authentik/externalsecrets/authentik-config");
        var (stores, _) = await http.GetJsonAsync("/apis/external-secrets.io/v1/clustersecretstores");

        Assert.Equal((403, 403, 403, 200), (list, watch, get, stores));
        Assert.Equal("Forbidden", body.Str("reason"));
        Assert.Contains("cannot list resource \"externalsecrets\" in API group \"external-secrets.io\" at the cluster scope", body.Str("message"));

        host.Api.Allow("ExternalSecret");
        Assert.Equal(200, (await http.GetJsonAsync("/apis/external-secrets.io/v1/externalsecrets")).Status);
    }

    [Fact]
    public async Task The_api_shape_binds_from_configuration_and_rejects_unknown_names()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulator:Api:CiliumVersion"] = "v2",
            ["Simulator:Api:Omit:0"] = "CiliumBGPPeeringPolicy.cilium.io",
            ["Simulator:Api:Forbid:0"] = "Node.longhorn.io",
        }).Build();
        var options = SimulatorOptions.FromConfiguration(configuration);
        var api = new ServedApi(options.Api);

        Assert.Equal("v2", api.CiliumVersion);
        Assert.False(api.IsServed(Kinds.BgpPeeringPolicy));
        Assert.True(api.IsForbidden(Kinds.LonghornNode));
        Assert.False(api.IsForbidden(Kinds.Node)); // "Node" alone is the core Node
        Assert.Equal("cilium.io/v2", api.Find(Kinds.LoadBalancerIPPool)!.ApiVersion);

        Assert.Throws<ArgumentException>(() => new ServedApi(new ApiOptions { Omit = ["ReplicaSet"] }));
        await Assert.ThrowsAsync<ArgumentException>(() => SimulatorTestHost.StartAsync(o => o.Api.CiliumVersion = "v3"));
    }

    [Fact]
    public async Task Node_metrics_are_served_like_metrics_server_without_watch_and_without_unready_nodes()
    {
        await using var host = await SimulatorTestHost.StartAsync();
        using var http = host.KubernetesClient();

        var discovery = await http.GetObjectAsync("/apis/metrics.k8s.io/v1beta1");
        Assert.Equal(["nodes"], Resources(discovery));
        var list = await http.GetObjectAsync("/apis/metrics.k8s.io/v1beta1/nodes");
        Assert.Equal("NodeMetricsList", list.Str("kind"));
        Assert.Equal(["mini01", "mini02", "mini03"], list.Names());
        foreach (var item in list["items"]!.AsArray())
        {
            Assert.EndsWith("n", item.Str("usage", "cpu"));
            Assert.EndsWith("Ki", item.Str("usage", "memory"));
            Assert.Equal("10.06s", item.Str("window"));
        }
        var one = await http.GetObjectAsync("/apis/metrics.k8s.io/v1beta1/nodes/mini02");
        Assert.Equal("mini02", one.Str("metadata", "name"));
        Assert.Equal(405, (await http.GetJsonAsync("/apis/metrics.k8s.io/v1beta1/nodes?watch=true")).Status);

        host.Scenarios.Trigger("node-notready"); // mini02's kubelet stops: metrics-server cannot scrape it
        Assert.Equal(["mini01", "mini03"], (await http.GetObjectAsync("/apis/metrics.k8s.io/v1beta1/nodes")).Names());
        Assert.Equal(404, (await http.GetJsonAsync("/apis/metrics.k8s.io/v1beta1/nodes/mini02")).Status);
    }
}
