using HomeOps.Simulator.Tests.Support;

namespace HomeOps.Simulator.Tests;

/// <summary>List and get over raw HTTP: shapes, resourceVersions, selectors, errors as Status objects.</summary>
public sealed class ListApiTests : IAsyncLifetime
{
    private const string Kustomizations = "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations";
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
    public async Task Node_list_has_the_list_kind_a_resource_version_and_typed_items()
    {
        var list = await _http.GetObjectAsync("/api/v1/nodes");

        Assert.Equal("NodeList", list.Str("kind"));
        Assert.Equal("v1", list.Str("apiVersion"));
        Assert.Equal(_host.Cluster.ResourceVersion.ToString(), list.Str("metadata", "resourceVersion"));
        Assert.Equal(["mini01", "mini02", "mini03"], list.Names());
        Assert.All(list["items"]!.AsArray(), item =>
        {
            Assert.Equal("Node", item.Str("kind"));
            Assert.Equal("v1", item.Str("apiVersion"));
            Assert.False(string.IsNullOrEmpty(item.Str("metadata", "uid")));
            Assert.True(long.Parse(item.Str("metadata", "resourceVersion")!) <= _host.Cluster.ResourceVersion);
        });
    }

    [Fact]
    public async Task Namespaced_kinds_list_per_namespace_and_across_namespaces()
    {
        var inFlux = await _http.GetObjectAsync(Kustomizations);
        var all = await _http.GetObjectAsync("/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations");
        var elsewhere = await _http.GetObjectAsync("/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/default/kustomizations");

        Assert.Equal(32, inFlux["items"]!.AsArray().Count);
        Assert.Equal(32, all["items"]!.AsArray().Count);
        Assert.Empty(elsewhere["items"]!.AsArray());
        var releases = await _http.GetObjectAsync("/apis/helm.toolkit.fluxcd.io/v2/namespaces/longhorn-system/helmreleases");
        Assert.Equal(["longhorn"], releases.Names());
    }

    [Fact]
    public async Task The_resource_version_grows_with_every_write()
    {
        var before = long.Parse((await _http.GetObjectAsync("/api/v1/nodes")).Str("metadata", "resourceVersion")!);
        var (status, patched) = await _http.PatchAsync("/api/v1/nodes/mini01", """{"metadata":{"labels":{"rack":"shelf"}}}""");
        var after = await _http.GetObjectAsync("/api/v1/nodes");

        Assert.Equal(200, status);
        Assert.Equal(before + 1, long.Parse(patched.Str("metadata", "resourceVersion")!));
        Assert.Equal(before + 1, long.Parse(after.Str("metadata", "resourceVersion")!));
    }

    [Theory]
    [InlineData("kubernetes.io/hostname=mini02", new[] { "mini02" })]
    [InlineData("kubernetes.io/hostname==mini02", new[] { "mini02" })]
    [InlineData("kubernetes.io/hostname!=mini02", new[] { "mini01", "mini03" })]
    [InlineData("node-role.kubernetes.io/control-plane,kubernetes.io/os=linux", new[] { "mini01", "mini02", "mini03" })]
    [InlineData("kubernetes.io/hostname in (mini01,mini03)", new[] { "mini01", "mini03" })]
    [InlineData("!node-role.kubernetes.io/control-plane", new string[0])]
    [InlineData("kubernetes.io/os=linux,kubernetes.io/hostname!=mini01", new[] { "mini02", "mini03" })]
    public async Task Label_selectors_filter_lists(string selector, string[] expected)
    {
        var list = await _http.GetObjectAsync("/api/v1/nodes?labelSelector=" + Uri.EscapeDataString(selector));
        Assert.Equal(expected, list.Names());
    }

    [Fact]
    public async Task A_table_is_served_when_kubectl_asks_for_one()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nodes");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json");
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var table = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal("Table", table.Str("kind"));
        Assert.Equal("meta.k8s.io/v1", table.Str("apiVersion"));
        Assert.Equal(["Name", "Status", "Roles", "Age", "Version"],
            table["columnDefinitions"]!.AsArray().Where(c => c!["priority"]!.GetValue<int>() == 0).Select(c => c.Str("name")!));
        var row = table["rows"]![0]!;
        Assert.Equal(["mini01", "Ready", "control-plane"], row["cells"]!.AsArray().Take(3).Select(c => c!.GetValue<string>()));
        Assert.Equal("PartialObjectMetadata", row["object"].Str("kind"));
        Assert.Equal("mini01", row["object"].Str("metadata", "name"));
    }

    [Fact]
    public async Task A_malformed_label_selector_is_a_400_status()
    {
        var (status, body) = await _http.GetJsonAsync("/api/v1/nodes?labelSelector=" + Uri.EscapeDataString("a=b=c=,=x"));
        Assert.Equal(400, status);
        Assert.Equal("BadRequest", body.Str("reason"));
    }

    [Fact]
    public async Task Field_selector_on_metadata_name_selects_one_object()
    {
        var list = await _http.GetObjectAsync(Kustomizations + "?fieldSelector=metadata.name%3Dinfrastructure-longhorn");
        Assert.Equal(["infrastructure-longhorn"], list.Names());
    }

    [Fact]
    public async Task Get_returns_the_object_and_a_missing_one_is_a_404_status()
    {
        var found = await _http.GetObjectAsync(Kustomizations + "/infrastructure-longhorn");
        var (status, missing) = await _http.GetJsonAsync(Kustomizations + "/no-such-thing");

        Assert.Equal("Kustomization", found.Str("kind"));
        Assert.Equal(404, status);
        Assert.Equal("Status", missing.Str("kind"));
        Assert.Equal("Failure", missing.Str("status"));
        Assert.Equal("NotFound", missing.Str("reason"));
        Assert.Equal(404, missing!["code"]!.GetValue<int>());
        Assert.Equal("kustomizations.kustomize.toolkit.fluxcd.io \"no-such-thing\" not found", missing.Str("message"));
    }

    [Theory]
    [InlineData("/api/v1/configmaps")]
    [InlineData("/api/v1/namespaces/default/nodes")]
    [InlineData("/apis/cilium.io/v2/ciliumbgpnodeconfigs")]
    [InlineData("/apis/networking.k8s.io/v1/ingressclasses")]
    [InlineData("/apis/longhorn.io/v1beta2/namespaces/longhorn-system/replicas")]
    [InlineData("/apis/longhorn.io/v1beta2/namespaces/longhorn-system/volumes/x/scale")]
    public async Task Unserved_resources_are_404(string url)
    {
        var (status, body) = await _http.GetJsonAsync(url);
        Assert.Equal(404, status);
        Assert.Equal("NotFound", body.Str("reason"));
    }

    [Fact]
    public async Task Requests_without_the_kubeconfig_token_get_a_401_status()
    {
        using var anonymous = new HttpClient { BaseAddress = _host.BaseUri };
        using var wrong = new HttpClient { BaseAddress = _host.BaseUri };
        wrong.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-token");

        var (noToken, body) = await anonymous.GetJsonAsync("/api/v1/nodes");
        var (badToken, _) = await wrong.GetJsonAsync("/apis");

        Assert.Equal(401, noToken);
        Assert.Equal(401, badToken);
        Assert.Equal("Unauthorized", body.Str("reason"));
    }

    [Fact]
    public async Task A_list_at_an_expired_resource_version_is_a_410_status()
    {
        var rv = (await _http.GetObjectAsync("/api/v1/nodes")).Str("metadata", "resourceVersion");
        Assert.Equal(200, (await _http.GetJsonAsync($"/api/v1/nodes?resourceVersion={rv}")).Status);

        _host.Faults.ExpireHistory();
        var (status, body) = await _http.GetJsonAsync($"/api/v1/nodes?resourceVersion={rv}");
        var (zero, _) = await _http.GetJsonAsync("/api/v1/nodes?resourceVersion=0");

        Assert.Equal(410, status);
        Assert.Equal("Expired", body.Str("reason"));
        Assert.StartsWith($"too old resource version: {rv} (", body.Str("message"));
        Assert.Equal(200, zero);
    }

    [Fact]
    public async Task Counters_count_lists_per_kind()
    {
        var before = _host.Faults.Counters.ListRequestsFor(Cluster.Model.Kinds.LonghornVolume);
        await _http.GetObjectAsync("/apis/longhorn.io/v1beta2/volumes");
        await _http.GetObjectAsync("/apis/longhorn.io/v1beta2/namespaces/longhorn-system/volumes");

        Assert.Equal(before + 2, _host.Faults.Counters.ListRequestsFor(Cluster.Model.Kinds.LonghornVolume));
        Assert.True(_host.Faults.ListRequests >= 2);
    }

    [Fact]
    public async Task Injected_failures_answer_the_next_requests_then_stop()
    {
        _host.Faults.FailNextRequests(1, System.Net.HttpStatusCode.ServiceUnavailable, Cluster.Model.Kinds.Node);

        var (first, body) = await _http.GetJsonAsync("/api/v1/nodes");
        var (second, _) = await _http.GetJsonAsync("/api/v1/nodes");

        Assert.Equal(503, first);
        Assert.Equal("Status", body.Str("kind"));
        Assert.Equal(200, second);
    }
}
