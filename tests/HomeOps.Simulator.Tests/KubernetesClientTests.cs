using System.Net;
using System.Text.Json;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HomeOps.Simulator.Tests;

/// <summary>The dashboard reads the simulator with KubernetesClient 21 through the kubeconfig it writes: the same code path as a real cluster.</summary>
public sealed class KubernetesClientTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;
    private Kubernetes _client = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await SimulatorTestHost.StartAsync();
        _client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_host.KubeconfigPath));
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public void Kubeconfig_selects_the_simulator_context()
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(_host.KubeconfigPath);
        Assert.Equal(_host.KubernetesUri.GetLeftPart(UriPartial.Authority), config.Host.TrimEnd('/'));
        Assert.Equal("home-ops-simulator", config.CurrentContext);
        Assert.Equal(_host.KubernetesToken, config.AccessToken);
    }

    [Fact]
    public async Task Lists_the_three_nodes_with_talos_and_dual_stack_addresses()
    {
        var nodes = await _client.CoreV1.ListNodeAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["mini01", "mini02", "mini03"], nodes.Items.Select(n => n.Metadata.Name));
        Assert.True(long.Parse(nodes.Metadata.ResourceVersion) > 0);
        var mini02 = nodes.Items[1];
        Assert.Equal("Talos (v1.10.5)", mini02.Status.NodeInfo.OsImage);
        Assert.Equal("v1.31.1", mini02.Status.NodeInfo.KubeletVersion);
        Assert.Contains(mini02.Status.Addresses, a => a.Type == "InternalIP" && a.Address == "172.29.51.12");
        Assert.Contains(mini02.Status.Addresses, a => a.Type == "InternalIP" && a.Address == "fd47:25e1:2f96:51::12");
        Assert.True(mini02.Metadata.Labels.ContainsKey("node-role.kubernetes.io/control-plane"));
        Assert.Equal("True", mini02.Status.Conditions.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public async Task Lists_custom_objects_namespaced_and_cluster_scoped()
    {
        var ct = TestContext.Current.CancellationToken;
        var k = Kinds.Kustomization;
        var kustomizations = (JsonElement)await _client.CustomObjects.ListNamespacedCustomObjectAsync(k.Group, k.Version, "flux-system", k.Plural, cancellationToken: ct);
        Assert.Equal("KustomizationList", kustomizations.GetProperty("kind").GetString());
        Assert.Equal(32, kustomizations.GetProperty("items").GetArrayLength());

        var p = Kinds.LoadBalancerIPPool;
        var pools = (JsonElement)await _client.CustomObjects.ListClusterCustomObjectAsync(p.Group, p.Version, p.Plural, cancellationToken: ct);
        Assert.Equal(["bgp-default", "bgp-default-ipv6", "bgp-ingress", "bgp-reserved"],
            pools.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()));

        var v = Kinds.LonghornVolume;
        var volumes = (JsonElement)await _client.CustomObjects.ListClusterCustomObjectAsync(v.Group, v.Version, v.Plural, cancellationToken: ct);
        Assert.InRange(volumes.GetProperty("items").GetArrayLength(), 10, 14);
    }

    [Fact]
    public async Task Watches_nodes_from_the_list_version_and_sees_a_status_patch()
    {
        var ct = TestContext.Current.CancellationToken;
        var list = await _client.CoreV1.ListNodeAsync(cancellationToken: ct);
        using var watchCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        watchCts.CancelAfter(TimeSpan.FromSeconds(15));
        var events = new List<(WatchEventType Type, V1Node Node)>();
        var sawBookmark = false;

        var patch = new V1Patch("""{"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady","message":"container runtime is down"}]}}""",
            V1Patch.PatchType.StrategicMergePatch);
        await foreach (var (type, node) in _client.CoreV1.WatchListNodeAsync(resourceVersion: list.Metadata.ResourceVersion,
                           allowWatchBookmarks: true, cancellationToken: watchCts.Token))
        {
            if (type == WatchEventType.Bookmark)
            {
                sawBookmark = true;
                // The stream is live: now change a node and expect to see it.
                if (events.Count == 0) await _client.CoreV1.PatchNodeStatusAsync(patch, "mini02", cancellationToken: ct);
                continue;
            }
            events.Add((type, node));
            if (node.Metadata.Name == "mini02") break;
        }

        Assert.True(sawBookmark);
        var (eventType, changed) = Assert.Single(events);
        Assert.Equal(WatchEventType.Modified, eventType);
        var ready = changed.Status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal("False", ready.Status);
        Assert.Equal("KubeletNotReady", ready.Reason);
        // Strategic merge keeps the other conditions (merged by type).
        Assert.Equal(5, changed.Status.Conditions.Count);
        Assert.True(long.Parse(changed.Metadata.ResourceVersion) > long.Parse(list.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Watches_custom_objects_and_sees_a_merge_patch()
    {
        var ct = TestContext.Current.CancellationToken;
        var k = Kinds.Kustomization;
        var list = (JsonElement)await _client.CustomObjects.ListNamespacedCustomObjectAsync(k.Group, k.Version, "flux-system", k.Plural, cancellationToken: ct);
        var rv = list.GetProperty("metadata").GetProperty("resourceVersion").GetString();
        using var watchCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        watchCts.CancelAfter(TimeSpan.FromSeconds(15));

        var patched = false;
        JsonElement? seen = null;
        await foreach (var (type, obj) in _client.CustomObjects.WatchListNamespacedCustomObjectAsync(k.Group, k.Version, "flux-system", k.Plural,
                           resourceVersion: rv, allowWatchBookmarks: true, cancellationToken: watchCts.Token))
        {
            if (type == WatchEventType.Bookmark && !patched)
            {
                patched = true;
                await _client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"spec":{"suspend":true}}""", V1Patch.PatchType.MergePatch),
                    k.Group, k.Version, "flux-system", k.Plural, "apps-headlamp", cancellationToken: ct);
                continue;
            }
            if (type != WatchEventType.Modified) continue;
            seen = (JsonElement)obj;
            break;
        }

        Assert.NotNull(seen);
        Assert.Equal("apps-headlamp", seen.Value.GetProperty("metadata").GetProperty("name").GetString());
        Assert.True(seen.Value.GetProperty("spec").GetProperty("suspend").GetBoolean());
        Assert.Equal(2, seen.Value.GetProperty("metadata").GetProperty("generation").GetInt64());
    }

    [Fact]
    public async Task Watch_from_an_expired_version_reports_410_through_onError_and_ends()
    {
        var ct = TestContext.Current.CancellationToken;
        var list = await _client.CoreV1.ListNodeAsync(cancellationToken: ct);
        _host.Faults.ExpireHistory();

        Exception? error = null;
        var items = 0;
        await foreach (var _ in _client.CoreV1.WatchListNodeAsync(resourceVersion: list.Metadata.ResourceVersion,
                           onError: e => error = e, cancellationToken: ct))
        {
            items++;
        }

        Assert.Equal(0, items);
        var status = Assert.IsType<KubernetesException>(error).Status;
        Assert.Equal(410, status.Code);
        Assert.Equal("Expired", status.Reason);
    }

    [Fact]
    public async Task List_at_an_expired_version_throws_HttpOperationException_Gone()
    {
        var ct = TestContext.Current.CancellationToken;
        var list = await _client.CoreV1.ListNodeAsync(cancellationToken: ct);
        _host.Faults.ExpireHistory();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CoreV1.ListNodeAsync(resourceVersion: list.Metadata.ResourceVersion, cancellationToken: ct));
        Assert.Equal(HttpStatusCode.Gone, error.Response.StatusCode);
        Assert.Contains("\"reason\":\"Expired\"", error.Response.Content);
    }
}
