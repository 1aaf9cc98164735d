using HomeOps.Cluster.Model;
using HomeOps.Simulator.Tests.Support;

namespace HomeOps.Simulator.Tests;

/// <summary>The seed's LoadBalancer Services and secrets pipeline, and the scenario that breaks the store.</summary>
public sealed class SecretsAndServicesSeedTests : IAsyncLifetime
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
    public async Task LoadBalancer_services_carry_the_pool_label_or_only_the_annotation()
    {
        var services = (await _http.GetObjectAsync("/api/v1/services"))["items"]!.AsArray();
        string? Ip(string name) => services.Single(s => s.Str("metadata", "name") == name)!["status"]!["loadBalancer"]!["ingress"]?[0].Str("ip");
        string? Label(string name) => services.Single(s => s.Str("metadata", "name") == name)!["metadata"]!["labels"]?["io.cilium/lb-ipam-pool"]?.GetValue<string>();

        Assert.Equal("172.29.52.200", Ip("ingress-nginx-internal-controller"));
        Assert.Equal("bgp-ingress", Label("ingress-nginx-internal-controller"));
        Assert.Equal("172.29.52.201", Ip("ingress-nginx-controller"));
        Assert.Null(Ip("longhorn-frontend"));
        Assert.Null(Label("longhorn-frontend"));
        Assert.Equal("bgp-default", services.Single(s => s.Str("metadata", "name") == "longhorn-frontend")!
            ["metadata"]!["annotations"]!["io.cilium/lb-ipam-pool"]!.GetValue<string>());
        Assert.Equal("ClusterIP", services.Single(s => s.Str("metadata", "name") == "kubernetes")!.Str("spec", "type"));
    }

    [Fact]
    public async Task The_store_is_valid_and_the_external_secrets_synced_until_the_store_fails_and_recovers()
    {
        var store = await _http.GetObjectAsync("/apis/external-secrets.io/v1/clustersecretstores/onepassword-connect");
        Assert.Equal(("True", "Valid"), (store.Condition("Ready").Str("status"), store.Condition("Ready").Str("reason")));
        var secrets = await _http.GetObjectAsync("/apis/external-secrets.io/v1/externalsecrets");
        Assert.Contains("authentik-admin-token-enhanced", secrets.Names());
        Assert.Contains("longhorn-s3-backup-credentials", secrets.Names());
        Assert.Contains("cilium-bgp-auth", secrets.Names());
        Assert.All(secrets["items"]!.AsArray(), s => Assert.Equal("True", s!.Condition("Ready").Str("status")));

        var outcome = _host.Scenarios.Trigger("secret-store-fails");
        Assert.Equal(1 + secrets["items"]!.AsArray().Count, outcome.Touched.Count);
        store = await _http.GetObjectAsync("/apis/external-secrets.io/v1/clustersecretstores/onepassword-connect");
        Assert.Equal(("False", "ValidationFailed"), (store.Condition("Ready").Str("status"), store.Condition("Ready").Str("reason")));
        Assert.Contains("credentials file is not version 2", store.Condition("Ready").Str("message"));
        var failed = await _http.GetObjectAsync("/apis/external-secrets.io/v1/namespaces/authentik/externalsecrets/authentik-config");
        Assert.Equal(("False", "SecretSyncedError"), (failed.Condition("Ready").Str("status"), failed.Condition("Ready").Str("reason")));

        _host.Scenarios.Recover("secret-store-fails");
        var synced = await _http.GetObjectAsync("/apis/external-secrets.io/v1/namespaces/authentik/externalsecrets/authentik-config");
        Assert.Equal("True", synced.Condition("Ready").Str("status"));
        Assert.NotEqual(failed.Str("status", "syncedResourceVersion"), synced.Str("status", "syncedResourceVersion"));
        Assert.Equal(Kinds.ClusterSecretStore.Key, outcome.Touched[0].Kind.Key);
    }
}
