using System.Text.Json;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.Tests.Health;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>Which version each kind is read at, decided from the live home-ops cluster's real discovery documents.</summary>
public sealed class ApiDiscoveryRulesTests
{
    /// <summary>servergroups.json plus every captured resource list, as GET /apis and GET /apis/g/v answer them.</summary>
    private static (ServedGroups Groups, Dictionary<string, GroupVersionResources> Lists) LiveCluster()
    {
        var groups = ServedGroups.Parse(Fixtures.Load("discovery/servergroups.json"));
        var lists = new Dictionary<string, GroupVersionResources>(StringComparer.Ordinal);
        foreach (var file in Fixtures.AllJsonFiles().Where(f => f.StartsWith("discovery/", StringComparison.Ordinal) && f.EndsWith("/serverresources.json", StringComparison.Ordinal)))
        {
            var doc = Fixtures.Load(file);
            lists[doc.GetProperty("groupVersion").GetString()!] = GroupVersionResources.Parse(doc);
        }
        return (groups, lists);
    }

    [Fact]
    public void On_the_live_cluster_every_kind_is_served_and_the_BGP_kinds_at_v2alpha1()
    {
        var (groups, lists) = LiveCluster();
        var chosen = Kinds.Kubernetes.ToDictionary(k => k.Key, k => DiscoveryRules.Choose(k, groups, lists));

        // The capture kept only the group versions the dashboard read at the time: apps/v1 and batch/v1 (the workload
        // kinds of issue 16), cert-manager.io/v1 (Certificates, the radar of issue 15) and networking.k8s.io/v1 (the
        // Ingresses whose hosts the network probe reaches, issue 15) are listed as served groups but their resource lists
        // were not captured.
        var uncaptured = chosen.Values.Where(a => !lists.ContainsKey(a.Kind.ApiVersion)).ToList();
        Assert.Equal(["apps/v1", "batch/v1", "cert-manager.io/v1", "networking.k8s.io/v1"], uncaptured.Select(a => a.Kind.ApiVersion).Distinct().Order(StringComparer.Ordinal));
        Assert.All(uncaptured, a => Assert.Equal(KindServing.Unknown, a.Serving));
        Assert.All(chosen.Values.Except(uncaptured), a => Assert.Equal(KindServing.Served, a.Serving));
        Assert.Equal("events.k8s.io/v1", chosen[Kinds.Event.Key].Kind.ApiVersion);
        Assert.Equal("v1", chosen[Kinds.Pod.Key].Kind.ApiVersion);
        // cilium.io/v2 is served and preferred there, but it carries no BGP kind: discovery must look further.
        foreach (var kind in new[] { Kinds.BgpPeeringPolicy, Kinds.BgpNodeConfig, Kinds.BgpClusterConfig, Kinds.BgpPeerConfig, Kinds.BgpAdvertisement, Kinds.LoadBalancerIPPool })
            Assert.Equal("cilium.io/v2alpha1", chosen[kind.Key].Kind.ApiVersion);
        Assert.Equal("kustomize.toolkit.fluxcd.io/v1", chosen[Kinds.Kustomization.Key].Kind.ApiVersion);
        Assert.Equal("helm.toolkit.fluxcd.io/v2", chosen[Kinds.HelmRelease.Key].Kind.ApiVersion);
        Assert.Equal("source.toolkit.fluxcd.io/v1", chosen[Kinds.GitRepository.Key].Kind.ApiVersion);
        Assert.Equal("longhorn.io/v1beta2", chosen[Kinds.LonghornVolume.Key].Kind.ApiVersion);
        Assert.Equal("external-secrets.io/v1", chosen[Kinds.ExternalSecret.Key].Kind.ApiVersion);
        Assert.Equal("metrics.k8s.io/v1beta1", chosen[Kinds.NodeMetrics.Key].Kind.ApiVersion);
        Assert.Equal("v1", chosen[Kinds.Service.Key].Kind.ApiVersion);
        Assert.Equal("v1", chosen[Kinds.Node.Key].Kind.ApiVersion);
    }

    [Fact]
    public void When_both_v2_and_v2alpha1_serve_a_kind_v2_wins()
    {
        var groups = ServedGroups.Parse(Json("""{"groups":[{"name":"cilium.io","versions":[{"version":"v2alpha1"},{"version":"v2"}],"preferredVersion":{"version":"v2alpha1"}}]}"""));
        var lists = new Dictionary<string, GroupVersionResources>
        {
            ["cilium.io/v2"] = Resources(("ciliumbgpnodeconfigs", "CiliumBGPNodeConfig")),
            ["cilium.io/v2alpha1"] = Resources(("ciliumbgpnodeconfigs", "CiliumBGPNodeConfig"), ("ciliumbgppeeringpolicies", "CiliumBGPPeeringPolicy")),
        };

        Assert.Equal("cilium.io/v2", DiscoveryRules.Choose(Kinds.BgpNodeConfig, groups, lists).Kind.ApiVersion);
        // Only v2alpha1 has the v1 policy, even though v2 is preferred for the group.
        Assert.Equal("cilium.io/v2alpha1", DiscoveryRules.Choose(Kinds.BgpPeeringPolicy, groups, lists).Kind.ApiVersion);
    }

    [Fact]
    public void A_missing_group_or_resource_is_not_served_and_says_which_resource()
    {
        var groups = ServedGroups.Parse(Json("""{"groups":[{"name":"cilium.io","versions":[{"version":"v2"}]}]}"""));
        var lists = new Dictionary<string, GroupVersionResources> { ["cilium.io/v2"] = Resources(("ciliumnodes", "CiliumNode")) };

        var noGroup = DiscoveryRules.Choose(Kinds.ExternalSecret, groups, lists);
        var noResource = DiscoveryRules.Choose(Kinds.BgpPeeringPolicy, groups, lists);

        Assert.Equal(KindServing.NotServed, noGroup.Serving);
        Assert.Contains("externalsecrets.external-secrets.io", noGroup.Message);
        Assert.Equal(KindServing.NotServed, noResource.Serving);
        Assert.Contains("ciliumbgppeeringpolicies.cilium.io", noResource.Message);
        Assert.Contains("not installed", noResource.Message);
    }

    [Fact]
    public void A_group_version_that_cannot_be_read_leaves_the_kind_unknown_instead_of_switching_on_a_guess()
    {
        // metrics-server down: /apis lists metrics.k8s.io, but its group version answers 503.
        var groups = ServedGroups.Parse(Json("""{"groups":[{"name":"metrics.k8s.io","versions":[{"version":"v1beta1"}]},{"name":"cilium.io","versions":[{"version":"v2"},{"version":"v2alpha1"}]}]}"""));
        var lists = new Dictionary<string, GroupVersionResources>
        {
            ["metrics.k8s.io/v1beta1"] = GroupVersionResources.Failed("discovery of /apis/metrics.k8s.io/v1beta1 failed: API error 503"),
            ["cilium.io/v2"] = GroupVersionResources.Failed("discovery of /apis/cilium.io/v2 failed: API error 503"),
            ["cilium.io/v2alpha1"] = Resources(("ciliumbgpnodeconfigs", "CiliumBGPNodeConfig")),
        };

        var metrics = DiscoveryRules.Choose(Kinds.NodeMetrics, groups, lists);
        var nodeConfig = DiscoveryRules.Choose(Kinds.BgpNodeConfig, groups, lists);

        Assert.Equal((KindServing.Unknown, "metrics.k8s.io/v1beta1"), (metrics.Serving, metrics.Kind.ApiVersion));
        Assert.Contains("503", metrics.Message);
        // v2 might serve it: the known v2alpha1 is the best guess for a first start, but not a "served" answer.
        Assert.Equal((KindServing.Unknown, "cilium.io/v2alpha1"), (nodeConfig.Serving, nodeConfig.Kind.ApiVersion));
        Assert.False(new DiscoveryResult(new Dictionary<string, KindAvailability> { [Kinds.NodeMetrics.Key] = metrics }, null).Complete);
    }

    [Fact]
    public void Subresources_are_not_kinds_and_the_kind_name_must_match()
    {
        var list = Resources(("nodes", "NodeMetrics"), ("volumes/status", "Volume"));
        Assert.True(list.Serves(Kinds.NodeMetrics));
        Assert.False(list.Serves(Kinds.Node)); // same plural, another kind
        Assert.False(list.Serves(Kinds.LonghornVolume));
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static GroupVersionResources Resources(params (string Name, string Kind)[] resources) =>
        GroupVersionResources.Parse(JsonSerializer.SerializeToElement(new { resources = resources.Select(r => new { name = r.Name, kind = r.Kind }) }));
}
