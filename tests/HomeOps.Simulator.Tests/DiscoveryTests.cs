using HomeOps.Cluster.Model;
using HomeOps.Simulator.Tests.Support;

namespace HomeOps.Simulator.Tests;

/// <summary>Discovery advertises exactly what is served, with the live cluster's names, short names and verbs.</summary>
public sealed class DiscoveryTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await SimulatorTestHost.StartAsync();
        _http = _host.KubernetesClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Core_api_versions_list_v1()
    {
        var api = await _http.GetObjectAsync("/api");
        Assert.Equal("APIVersions", api.Str("kind"));
        Assert.Equal(["v1"], api["versions"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task Group_list_advertises_only_the_served_groups_and_versions()
    {
        var groups = await _http.GetObjectAsync("/apis");

        Assert.Equal("APIGroupList", groups.Str("kind"));
        var advertised = groups["groups"]!.AsArray()
            .SelectMany(g => g!["versions"]!.AsArray().Select(v => v.Str("groupVersion")!))
            .Order().ToList();
        var served = Kinds.Kubernetes.Where(k => k.Group.Length > 0).Select(k => k.ApiVersion).Distinct().Order().ToList();
        Assert.Equal(served, advertised);
        Assert.Contains("cilium.io/v2alpha1", advertised);
        Assert.DoesNotContain("cilium.io/v2", advertised);
    }

    [Fact]
    public async Task Every_advertised_group_version_answers_with_its_resource_list()
    {
        foreach (var groupVersion in Kinds.Kubernetes.Select(k => k.ApiVersion).Distinct())
        {
            var url = groupVersion == "v1" ? "/api/v1" : $"/apis/{groupVersion}";
            var list = await _http.GetObjectAsync(url);
            Assert.Equal("APIResourceList", list.Str("kind"));
            Assert.Equal(groupVersion, list.Str("groupVersion"));
            var names = list["resources"]!.AsArray().Select(r => r.Str("name")!).ToList();
            var expected = Kinds.Kubernetes.Where(k => k.ApiVersion == groupVersion).Select(k => k.Plural);
            Assert.Equal(expected.Order(), names.Where(n => !n.Contains('/')).Order());
            // Subresources: status, and pods/log (served by PodLogs).
            Assert.All(names.Where(n => n.Contains('/') && n != "pods/log"), n => Assert.EndsWith("/status", n));
        }
    }

    [Fact]
    public async Task Resource_lists_keep_the_real_short_names_verbs_and_scope()
    {
        var flux = await _http.GetObjectAsync("/apis/kustomize.toolkit.fluxcd.io/v1");
        var kustomizations = flux["resources"]!.AsArray().Single(r => r.Str("name") == "kustomizations")!;
        Assert.Equal(["ks"], kustomizations["shortNames"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.True(kustomizations["namespaced"]!.GetValue<bool>());
        Assert.Contains("watch", kustomizations["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));

        var cilium = await _http.GetObjectAsync("/apis/cilium.io/v2alpha1");
        var policies = cilium["resources"]!.AsArray().Single(r => r.Str("name") == "ciliumbgppeeringpolicies")!;
        Assert.False(policies["namespaced"]!.GetValue<bool>());
        Assert.DoesNotContain(cilium["resources"]!.AsArray(), r => r.Str("name") == "ciliumbgppeeringpolicies/status");
    }

    [Fact]
    public async Task Group_document_and_version_are_served()
    {
        var group = await _http.GetObjectAsync("/apis/longhorn.io");
        var version = await _http.GetObjectAsync("/version");
        var (unknown, _) = await _http.GetJsonAsync("/apis/policy");
        var (unknownVersion, _) = await _http.GetJsonAsync("/apis/cilium.io/v2");

        Assert.Equal("APIGroup", group.Str("kind"));
        Assert.Equal("longhorn.io/v1beta2", group.Str("preferredVersion", "groupVersion"));
        Assert.Equal("v1.31.1", version.Str("gitVersion"));
        Assert.Equal(404, unknown);
        Assert.Equal(404, unknownVersion);
    }
}
