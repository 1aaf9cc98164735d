using HomeOps.Cluster.Model;
using HomeOps.Simulator.Seed;
using HomeOps.Simulator.Store;
using HomeOps.Simulator.Tests.Support;

namespace HomeOps.Simulator.Tests;

/// <summary><c>Simulator:SeedDirectory</c>: start from real <c>kubectl get -o json</c> dumps instead of the built-in seed.</summary>
public sealed class SeedDirectoryTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("homeops-seed-test-");

    public void Dispose() => _directory.Delete(recursive: true);

    private void Write(string name, string json) => File.WriteAllText(Path.Combine(_directory.FullName, name), json);

    private static string FixturesDirectory()
    {
        var directory = AppContext.BaseDirectory;
        while (directory is not null && !Directory.Exists(Path.Combine(directory, "tests", "fixtures"))) directory = Path.GetDirectoryName(directory);
        return Path.Combine(directory ?? throw new DirectoryNotFoundException("tests/fixtures"), "tests", "fixtures");
    }

    [Fact]
    public async Task Loads_single_objects_generic_lists_and_typed_lists_and_skips_unserved_kinds()
    {
        File.Copy(Path.Combine(FixturesDirectory(), "longhorn", "volume-attached-healthy.json"), Path.Combine(_directory.FullName, "volume.json"));
        File.Copy(Path.Combine(FixturesDirectory(), "talos-node", "node-ready-talos-v1.7.2-dualstack-synth.json"), Path.Combine(_directory.FullName, "node.json"));
        Write("list.json", """
            {"apiVersion":"v1","kind":"List","items":[
              {"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"name":"apps","namespace":"flux-system","generation":4},"spec":{"suspend":true},"status":{"observedGeneration":3}},
              {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"not-served","namespace":"default"}}
            ]}
            """);
        Write("nodelist.json", """{"apiVersion":"v1","kind":"NodeList","metadata":{"resourceVersion":"5"},"items":[{"metadata":{"name":"worker-9"},"spec":{}}]}""");
        Write("bgpv2.json", """{"apiVersion":"cilium.io/v2","kind":"CiliumBGPNodeConfig","metadata":{"name":"worker-9"},"spec":{}}""");
        Write("notes.txt", "not json, not loaded");

        await using var host = await SimulatorTestHost.StartAsync(o => o.SeedDirectory = _directory.FullName);

        Assert.Equal(["talos-test01", "worker-9"], host.Cluster.List(Kinds.Node).Items.Select(n => n.Name()).Order());
        var kustomization = Assert.Single(host.Cluster.List(Kinds.Kustomization).Items);
        Assert.Equal(4, kustomization.Generation());
        Assert.Equal("pvc-08b5eeb9-33be-4571-ac04-8f1c6e9f7d48", Assert.Single(host.Cluster.List(Kinds.LonghornVolume).Items).Name());
        Assert.Equal("cilium.io/v2alpha1", Assert.Single(host.Cluster.List(Kinds.BgpNodeConfig).Items).String("apiVersion"));
        Assert.Empty(host.Cluster.List(Kinds.HelmRelease).Items);

        // The loaded objects are served like any other.
        using var http = host.KubernetesClient();
        var nodes = await http.GetObjectAsync("/api/v1/nodes");
        Assert.Equal(2, nodes["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Scenarios_without_their_objects_do_not_apply()
    {
        Write("node.json", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"other"}}""");
        await using var host = await SimulatorTestHost.StartAsync(o => o.SeedDirectory = _directory.FullName);

        var error = Assert.Throws<InvalidOperationException>(() => host.Scenarios.Trigger("node-notready"));
        Assert.Contains("node-notready", error.Message);
        // The Authentik scenarios still apply, so the sequence still moves.
        Assert.Contains(host.Scenarios.Step().Scenario, new[] { "outpost-silent", "token-expiry" });
    }

    [Fact]
    public async Task A_malformed_file_fails_the_start_with_a_message_naming_it()
    {
        Write("good.json", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"ok"}}""");
        Write("broken.json", """{"apiVersion":"v1","kind":"Node","metadata":{"name":""");

        var error = await Assert.ThrowsAsync<SeedLoadException>(() => SimulatorTestHost.StartAsync(o => o.SeedDirectory = _directory.FullName));

        Assert.Contains("broken.json", error.Message);
        Assert.Contains("not valid JSON", error.Message);
    }

    [Theory]
    [InlineData("""[1,2,3]""", "no \"kind\"")]
    [InlineData("""{"apiVersion":"v1","kind":"List","items":{}}""", "\"items\" is not an array")]
    [InlineData("""{"apiVersion":"v1","kind":"Node","metadata":{}}""", "no metadata.name")]
    public async Task Files_that_are_not_kubernetes_objects_are_named_in_the_error(string json, string expected)
    {
        Write("odd.json", json);
        var error = await Assert.ThrowsAsync<SeedLoadException>(() => SimulatorTestHost.StartAsync(o => o.SeedDirectory = _directory.FullName));
        Assert.Contains("odd.json", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task A_missing_directory_is_an_error()
    {
        var error = await Assert.ThrowsAsync<SeedLoadException>(() => SimulatorTestHost.StartAsync(o => o.SeedDirectory = Path.Combine(_directory.FullName, "nope")));
        Assert.Contains("does not exist", error.Message);
    }
}
