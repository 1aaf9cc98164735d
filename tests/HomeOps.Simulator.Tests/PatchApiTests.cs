using HomeOps.Simulator.Tests.Support;

namespace HomeOps.Simulator.Tests;

/// <summary>Writes over raw HTTP: merge, strategic merge and JSON patch, the status subresource, PUT, POST, DELETE.</summary>
public sealed class PatchApiTests : IAsyncLifetime
{
    private const string Flux = "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations";
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
    public async Task Merge_patch_on_spec_bumps_generation_and_leaves_status_alone()
    {
        var before = await _http.GetObjectAsync($"{Flux}/apps-headlamp");

        var (status, after) = await _http.PatchAsync($"{Flux}/apps-headlamp",
            """{"spec":{"suspend":true},"status":{"observedGeneration":99}}""");

        Assert.Equal(200, status);
        Assert.True(after!["spec"]!["suspend"]!.GetValue<bool>());
        Assert.Equal(2, after["metadata"]!["generation"]!.GetValue<long>());
        // Kustomizations have a status subresource: a patch of the object ignores status.
        Assert.Equal(1, after["status"]!["observedGeneration"]!.GetValue<long>());
        Assert.Equal(before.Str("metadata", "uid"), after.Str("metadata", "uid"));
        Assert.Equal(before.Str("metadata", "creationTimestamp"), after.Str("metadata", "creationTimestamp"));
    }

    [Fact]
    public async Task Status_subresource_patch_changes_only_status()
    {
        var (status, after) = await _http.PatchAsync("/api/v1/nodes/mini02/status",
            """{"metadata":{"labels":{"sneaky":"yes"}},"spec":{"unschedulable":true},"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady","message":"container runtime is down"}]}}""");

        Assert.Equal(200, status);
        // RFC 7386: a merge patch replaces the whole list.
        var condition = Assert.Single(after!["status"]!["conditions"]!.AsArray());
        Assert.Equal("False", condition.Str("status"));
        Assert.Null(after["metadata"]!["labels"]!["sneaky"]);
        Assert.Null(after["spec"]!["unschedulable"]);
        Assert.Null(after["metadata"]!["generation"]);
    }

    [Fact]
    public async Task Strategic_merge_patch_on_a_node_merges_conditions_by_type()
    {
        var (status, after) = await _http.PatchAsync("/api/v1/nodes/mini03/status",
            """{"status":{"conditions":[{"type":"Ready","status":"Unknown","reason":"NodeStatusUnknown","message":"Kubelet stopped posting node status."}]}}""",
            "application/strategic-merge-patch+json");

        Assert.Equal(200, status);
        Assert.Equal(5, after!["status"]!["conditions"]!.AsArray().Count);
        Assert.Equal("Unknown", after.Condition("Ready").Str("status"));
        Assert.Equal("False", after.Condition("MemoryPressure").Str("status"));
    }

    [Fact]
    public async Task Strategic_merge_patch_on_a_custom_resource_is_415_like_the_api_server()
    {
        var (status, body) = await _http.PatchAsync($"{Flux}/apps-headlamp", """{"spec":{"suspend":true}}""", "application/strategic-merge-patch+json");
        Assert.Equal(415, status);
        Assert.Equal("UnsupportedMediaType", body.Str("reason"));
    }

    [Fact]
    public async Task Annotations_merge_in_and_null_removes_one()
    {
        await _http.PatchAsync($"{Flux}/infrastructure-longhorn", """{"metadata":{"annotations":{"reconcile.fluxcd.io/requestedAt":"2026-11-25T10:00:00Z","x":"y"}}}""");
        var (_, after) = await _http.PatchAsync($"{Flux}/infrastructure-longhorn", """{"metadata":{"annotations":{"x":null}}}""");

        var annotations = after!["metadata"]!["annotations"]!.AsObject();
        Assert.Equal("2026-11-25T10:00:00Z", annotations["reconcile.fluxcd.io/requestedAt"]!.GetValue<string>());
        Assert.False(annotations.ContainsKey("x"));
        // Metadata changes do not bump generation.
        Assert.Equal(1, after["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task Json_patch_adds_replaces_and_removes()
    {
        var (status, after) = await _http.PatchAsync($"{Flux}/apps-dashboard",
            """[{"op":"add","path":"/metadata/annotations","value":{"a~b/c":"1"}},{"op":"replace","path":"/spec/interval","value":"5m"},{"op":"remove","path":"/spec/wait"}]""",
            "application/json-patch+json");

        Assert.Equal(200, status);
        Assert.Equal("1", after!["metadata"]!["annotations"]!["a~b/c"]!.GetValue<string>());
        Assert.Equal("5m", after.Str("spec", "interval"));
        Assert.Null(after["spec"]!["wait"]);
    }

    [Fact]
    public async Task A_patch_that_changes_nothing_keeps_the_resource_version()
    {
        var before = await _http.GetObjectAsync($"{Flux}/apps-dashboard");
        var (_, after) = await _http.PatchAsync($"{Flux}/apps-dashboard", """{"spec":{"prune":true}}""");
        Assert.Equal(before.Str("metadata", "resourceVersion"), after.Str("metadata", "resourceVersion"));
    }

    [Fact]
    public async Task A_stale_resource_version_in_the_body_is_a_409_conflict()
    {
        var (status, body) = await _http.PatchAsync($"{Flux}/apps-dashboard", """{"metadata":{"resourceVersion":"1"},"spec":{"suspend":true}}""");
        Assert.Equal(409, status);
        Assert.Equal("Conflict", body.Str("reason"));
    }

    [Fact]
    public async Task Put_replaces_post_creates_and_delete_removes()
    {
        var current = await _http.GetObjectAsync($"{Flux}/apps-dashboard");
        current["spec"]!["path"] = "./apps/dashboard-v2";
        var (put, replaced) = await _http.SendAsync(HttpMethod.Put, $"{Flux}/apps-dashboard", current.ToJsonString());

        var created = """{"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"name":"apps-new"},"spec":{"path":"./apps/new","interval":"10m","prune":true,"sourceRef":{"kind":"GitRepository","name":"flux-system"}}}""";
        var (post, made) = await _http.SendAsync(HttpMethod.Post, Flux, created);
        var (again, _) = await _http.SendAsync(HttpMethod.Post, Flux, created);
        var (delete, _) = await _http.SendAsync(HttpMethod.Delete, $"{Flux}/apps-new");
        var (gone, _) = await _http.GetJsonAsync($"{Flux}/apps-new");

        Assert.Equal(200, put);
        Assert.Equal("./apps/dashboard-v2", replaced.Str("spec", "path"));
        Assert.Equal(2, replaced!["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal(201, post);
        Assert.Equal("flux-system", made.Str("metadata", "namespace"));
        Assert.Equal(1, made!["metadata"]!["generation"]!.GetValue<long>());
        Assert.False(string.IsNullOrEmpty(made.Str("metadata", "uid")));
        Assert.Equal(409, again);
        Assert.Equal(200, delete);
        Assert.Equal(404, gone);
    }

    [Fact]
    public async Task Patching_a_missing_object_is_404()
    {
        var (status, body) = await _http.PatchAsync("/api/v1/nodes/mini09", """{"metadata":{"labels":{"a":"b"}}}""");
        Assert.Equal(404, status);
        Assert.Equal("nodes \"mini09\" not found", body.Str("message"));
    }
}
