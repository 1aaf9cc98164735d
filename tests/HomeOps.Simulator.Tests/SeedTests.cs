using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Seed;
using HomeOps.Simulator.Store;
using HomeOps.Simulator.Tests.Support;

namespace HomeOps.Simulator.Tests;

/// <summary>The built-in seed is the home-ops cluster of the cluster brief.</summary>
public sealed class SeedTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await SimulatorTestHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private IReadOnlyList<JsonObject> All(KindInfo kind) => _host.Cluster.List(kind).Items;

    [Fact]
    public void Nodes_are_the_three_control_plane_mac_minis()
    {
        var nodes = All(Kinds.Node);
        Assert.Equal(["mini01", "mini02", "mini03"], nodes.Select(n => n.Name()));
        foreach (var (node, i) in nodes.Select((n, i) => (n, i)))
        {
            Assert.Equal("", node["metadata"]!["labels"]!["node-role.kubernetes.io/control-plane"]!.GetValue<string>());
            Assert.Equal(node.Name(), node["metadata"]!["labels"]!["kubernetes.io/hostname"]!.GetValue<string>());
            var info = node["status"]!["nodeInfo"]!;
            Assert.Equal("Talos (v1.10.5)", info.String("osImage"));
            Assert.Matches(@"^6\.12\.\d+-talos$", info.String("kernelVersion"));
            Assert.Equal("v1.31.1", info.String("kubeletVersion"));
            Assert.StartsWith("containerd://", info.String("containerRuntimeVersion"));
            var addresses = node["status"]!["addresses"]!.AsArray().Select(a => (a.String("type"), a.String("address"))).ToList();
            Assert.Contains(("InternalIP", $"172.29.51.1{i + 1}"), addresses);
            Assert.Contains(("InternalIP", $"fd47:25e1:2f96:51::1{i + 1}"), addresses);
            Assert.Contains(("Hostname", node.Name()), addresses);
            Assert.Equal("True", node.Condition("Ready")!.String("status"));
            Assert.Equal("CiliumIsUp", node.Condition("NetworkUnavailable")!.String("reason"));
            foreach (var pressure in new[] { "MemoryPressure", "DiskPressure", "PIDPressure" }) Assert.Equal("False", node.Condition(pressure)!.String("status"));
        }
    }

    [Fact]
    public void Flux_has_32_ready_kustomizations_with_the_real_dependency_graph()
    {
        var kustomizations = All(Kinds.Kustomization);
        Assert.Equal(32, kustomizations.Count);
        Assert.All(kustomizations, k =>
        {
            Assert.Equal("flux-system", k.Namespace());
            Assert.Equal("True", k.Condition("Ready")!.String("status"));
            Assert.Equal("ReconciliationSucceeded", k.Condition("Ready")!.String("reason"));
            Assert.Equal(k.Generation(), (long)ObjectJson.Number(k["status"]!["observedGeneration"]));
            Assert.Matches("^main@sha1:[0-9a-f]{40}$", k["status"]!.String("lastAppliedRevision"));
        });
        string[] DependsOn(string name) =>
            (kustomizations.Single(k => k.Name() == name)["spec"]!["dependsOn"] as JsonArray ?? []).Select(d => d.String("name")!).ToArray();
        Assert.Equal(["infrastructure-volume-snapshots", "infrastructure-cilium-bgp"], DependsOn("infrastructure-longhorn"));
        Assert.Equal(["infrastructure-ingress-nginx"], DependsOn("apps-dashboard"));
        Assert.Empty(DependsOn("infrastructure-sources"));
        Assert.Equal("30m", kustomizations.Single(k => k.Name() == "infrastructure-authentik-outpost-config")["spec"]!.String("interval"));
        Assert.Equal("./infrastructure/onepassword-connect", kustomizations.Single(k => k.Name() == "infrastructure-onepassword")["spec"]!.String("path"));
        // Every dependency names a Kustomization that exists.
        var names = kustomizations.Select(k => k.Name()).ToHashSet();
        Assert.All(kustomizations.SelectMany(k => DependsOn(k.Name())), d => Assert.Contains(d, names));
        // Blast radius from the brief §3.3: sources 30, external-secrets 23, onepassword 22, cert-manager 13.
        Assert.Equal(30, FluxCatalogue.DependentsOf("infrastructure-sources").Count);
        Assert.Equal(23, FluxCatalogue.DependentsOf("infrastructure-external-secrets").Count);
        Assert.Equal(22, FluxCatalogue.DependentsOf("infrastructure-onepassword").Count);
        Assert.Equal(13, FluxCatalogue.DependentsOf("infrastructure-cert-manager").Count);
    }

    [Fact]
    public void Git_repository_and_helm_releases_are_ready()
    {
        var repo = Assert.Single(All(Kinds.GitRepository));
        Assert.Equal("True", repo.Condition("Ready")!.String("status"));
        Assert.Equal(FluxCatalogue.Revision, repo["status"]!["artifact"]!.String("revision"));

        var releases = All(Kinds.HelmRelease);
        Assert.Equal(17, releases.Count);
        Assert.All(releases, r => Assert.Equal("True", r.Condition("Ready")!.String("status")));
        var longhorn = releases.Single(r => r.Name() == "longhorn");
        Assert.Equal("longhorn-system", longhorn.Namespace());
        Assert.Equal("1.10.1", longhorn["spec"]!["chart"]!["spec"]!.String("version"));
    }

    [Fact]
    public void Longhorn_volumes_nodes_and_backups_look_like_home_ops()
    {
        var volumes = All(Kinds.LonghornVolume);
        Assert.InRange(volumes.Count, 10, 14);
        Assert.True(volumes.Count(v => (v["spec"]!["diskSelector"] as JsonArray)!.Any(s => s!.GetValue<string>() == "ssd")) >= 8);
        Assert.Contains(volumes, v => v["status"]!["kubernetesStatus"].String("pvcName") == "redis-data-authentik-redis-master-0");
        Assert.Equal(3, volumes.Count(v => v["status"]!["kubernetesStatus"].String("namespace") == "postgresql-system"));
        Assert.Contains(volumes, v => v["status"].String("state") == "detached" && v["status"].String("robustness") == "unknown");
        Assert.All(volumes.Where(v => v["status"].String("state") == "attached"), v => Assert.Equal("healthy", v["status"].String("robustness")));

        var nodes = All(Kinds.LonghornNode);
        Assert.Equal(["mini01", "mini02", "mini03"], nodes.Select(n => n.Name()));
        foreach (var node in nodes)
        {
            var disks = node["spec"]!["disks"]!.AsObject();
            var usb = disks.Single(d => d.Key.StartsWith("usb-ssd-", StringComparison.Ordinal));
            Assert.Equal("/var/lib/longhorn-ssd", usb.Value.String("path"));
            Assert.Equal(107374182400, (long)ObjectJson.Number(usb.Value!["storageReserved"]));
            Assert.Equal(["ssd", "usb", "samsung-t5"], usb.Value!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
            Assert.Contains(disks, d => d.Value.String("path") == "/var/lib/longhorn/");
            var status = node["status"]!["diskStatus"]![usb.Key]!;
            Assert.Equal(1.000204886016e12, ObjectJson.Number(status["storageMaximum"]));
            Assert.Equal("True", node.Condition("Ready")!.String("status"));
        }

        var backups = All(Kinds.LonghornBackup);
        Assert.NotEmpty(backups);
        Assert.All(backups, b => Assert.Equal("Completed", b["status"].String("state")));
        Assert.All(volumes.Where(v => v["status"].String("lastBackup") is { Length: > 0 }),
            v => Assert.Contains(backups, b => b.Name() == v["status"].String("lastBackup")));
    }

    [Fact]
    public async Task Longhorn_disk_sizes_reach_clients_in_float_form()
    {
        using var http = _host.KubernetesClient();
        using var response = await http.GetAsync("/apis/longhorn.io/v1beta2/namespaces/longhorn-system/nodes/mini01", TestContext.Current.CancellationToken);
        var raw = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"storageMaximum\":1.000204886016e+12", raw);
    }

    [Fact]
    public void Bgp_sessions_are_established_to_the_udm_pro()
    {
        var policy = Assert.Single(All(Kinds.BgpPeeringPolicy));
        Assert.Equal("bgp-peering-policy", policy.Name());
        var router = policy["spec"]!["virtualRouters"]![0]!;
        Assert.Equal(64512, (int)ObjectJson.Number(router["localASN"]));
        Assert.Equal("172.29.51.1/32", router["neighbors"]![0].String("peerAddress"));
        Assert.Equal(64513, (int)ObjectJson.Number(router["neighbors"]![0]!["peerASN"]));

        var configs = All(Kinds.BgpNodeConfig);
        Assert.Equal(["mini01", "mini02", "mini03"], configs.Select(c => c.Name()));
        Assert.All(configs, c =>
        {
            var instance = c["status"]!["bgpInstances"]![0]!;
            Assert.Equal(64512, (int)ObjectJson.Number(instance["localASN"]));
            var peer = instance["peers"]![0]!;
            Assert.Equal("established", peer.String("peeringState"));
            Assert.Equal("172.29.51.1", peer.String("peerAddress"));
            Assert.Equal(64513, (int)ObjectJson.Number(peer["peerASN"]));
            Assert.NotNull(peer["establishedTime"]);
            Assert.NotEmpty(peer["routeCount"]!.AsArray());
        });

        var pools = All(Kinds.LoadBalancerIPPool);
        Assert.Equal(["bgp-default", "bgp-default-ipv6", "bgp-ingress", "bgp-reserved"], pools.Select(p => p.Name()));
        Assert.All(pools, p => Assert.Equal("False", p.Condition("cilium.io/PoolConflict")!.String("status")));
        Assert.Equal("172.29.52.200", pools.Single(p => p.Name() == "bgp-ingress")["spec"]!["blocks"]![0].String("start"));
    }
}
