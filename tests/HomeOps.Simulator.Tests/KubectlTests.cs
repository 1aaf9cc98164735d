using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;
using HomeOps.Simulator.Tests.Support;

namespace HomeOps.Simulator.Tests;

/// <summary>The real kubectl against the kubeconfig the simulator writes: discovery, get, patch, annotate, label.</summary>
public sealed class KubectlTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;
    private Kubectl _kubectl = null!;

    public async ValueTask InitializeAsync()
    {
        if (Kubectl.Binary is null) Assert.Skip("kubectl is not installed on this machine");
        _host = await SimulatorTestHost.StartAsync();
        _kubectl = new Kubectl(_host.KubeconfigPath);
    }

    public async ValueTask DisposeAsync()
    {
        _kubectl?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
    }

    private async Task<string> Ok(params string[] arguments)
    {
        var result = await _kubectl.RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', arguments)}: {result}");
        return result.Output;
    }

    private static string[] Rows(string table) =>
        table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).ToArray();

    [Fact]
    public async Task Get_nodes_lists_the_three_minis()
    {
        var output = await Ok("get", "nodes");
        Assert.Equal(["mini01", "mini02", "mini03"], Rows(output).Select(r => r.Split(' ')[0]));
    }

    [Fact]
    public async Task Get_nodes_prints_status_roles_and_version_and_shows_a_node_going_notready()
    {
        await Ok("patch", "node", "mini02", "--subresource=status", "--type=merge", "-p",
            """{"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady","message":"container runtime is down"}]}}""");
        var output = await Ok("get", "nodes");

        var header = output.Split('\n')[0];
        Assert.Equal(["NAME", "STATUS", "ROLES", "AGE", "VERSION"], header.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var rows = Rows(output).Select(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToDictionary(c => c[0]);
        Assert.Equal("NotReady", rows["mini02"][1]);
        Assert.Equal("Ready", rows["mini01"][1]);
        Assert.All(rows.Values, c => Assert.Equal(("control-plane", "v1.31.1"), (c[2], c[4])));
    }

    [Fact]
    public async Task Get_kustomizations_across_namespaces_shows_all_32()
    {
        var rows = Rows(await Ok("get", "kustomizations", "-A"));
        Assert.Equal(32, rows.Length);
        Assert.All(rows, r => Assert.StartsWith("flux-system ", r));
        Assert.Contains(rows, r => r.Contains(" infrastructure-longhorn "));
        // The CRD's printer columns: READY and the Ready message.
        Assert.All(rows, r => Assert.Contains(" True ", r));
    }

    [Fact]
    public async Task Get_longhorn_volumes_and_short_names_resolve_through_discovery()
    {
        var volumes = Rows(await Ok("get", "volumes.longhorn.io", "-A"));
        var nodes = Rows(await Ok("get", "lhn", "-n", "longhorn-system"));
        var pools = Rows(await Ok("get", "ippools"));

        Assert.Equal(_host.Cluster.List(Kinds.LonghornVolume).Items.Count, volumes.Length);
        Assert.Equal(3, nodes.Length);
        Assert.Equal(4, pools.Length);
    }

    [Fact]
    public async Task Get_as_json_returns_the_object()
    {
        var json = JsonNode.Parse(await Ok("get", "node", "mini01", "-o", "json"))!;
        Assert.Equal("Talos (v1.10.5)", json["status"]!["nodeInfo"]!["osImage"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patching_node_status_notready_shows_in_get()
    {
        var output = await Ok("patch", "node", "mini02", "--subresource=status", "--type=merge", "-p",
            """{"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady","message":"container runtime is down"}]}}""");
        var node = JsonNode.Parse(await Ok("get", "node", "mini02", "-o", "json"))!.AsObject();

        Assert.Contains("node/mini02 patched", output);
        Assert.Equal("False", node.Condition("Ready")!.String("status"));
        Assert.Equal("KubeletNotReady", node.Condition("Ready")!.String("reason"));
        Assert.Equal("False", _host.Cluster.Get(Kinds.Node, null, "mini02")!.Condition("Ready")!.String("status"));
    }

    [Fact]
    public async Task Merge_patch_suspends_a_kustomization()
    {
        var output = await Ok("patch", "kustomization", "apps-headlamp", "-n", "flux-system", "--type=merge", "-p", """{"spec":{"suspend":true}}""");
        var again = await Ok("patch", "kustomization", "apps-headlamp", "-n", "flux-system", "--type=merge", "-p", """{"spec":{"suspend":true}}""");

        Assert.Contains("kustomization.kustomize.toolkit.fluxcd.io/apps-headlamp patched", output);
        Assert.Contains("(no change)", again);
        var stored = _host.Cluster.Get(Kinds.Kustomization, "flux-system", "apps-headlamp")!;
        Assert.True(stored["spec"]!["suspend"]!.GetValue<bool>());
        Assert.Equal(2, stored.Generation());
    }

    [Fact]
    public async Task Annotate_requests_a_reconcile()
    {
        var output = await Ok("annotate", "kustomization", "infrastructure-longhorn", "-n", "flux-system",
            "reconcile.fluxcd.io/requestedAt=2026-11-25T12:00:00Z", "--overwrite");
        var value = await Ok("get", "kustomization", "infrastructure-longhorn", "-n", "flux-system",
            "-o", "jsonpath={.metadata.annotations.reconcile\\.fluxcd\\.io/requestedAt}");

        Assert.Contains("annotated", output);
        Assert.Equal("2026-11-25T12:00:00Z", value.Trim());
    }

    [Fact]
    public async Task Label_and_select_by_label()
    {
        await Ok("label", "node", "mini03", "homeops.dev/maintenance=true");
        await Ok("cordon", "mini03");
        var selected = Rows(await Ok("get", "nodes", "-l", "homeops.dev/maintenance=true"));
        var others = Rows(await Ok("get", "nodes", "-l", "homeops.dev/maintenance!=true"));

        Assert.Equal(["mini03"], selected.Select(r => r.Split(' ')[0]));
        Assert.Equal(2, others.Length);
        Assert.True(_host.Cluster.Get(Kinds.Node, null, "mini03")!["spec"]!["unschedulable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Api_resources_lists_only_the_served_kinds()
    {
        var rows = Rows(await Ok("api-resources"));
        Assert.Equal(Kinds.Kubernetes.Count, rows.Length); // watched kinds plus the metrics API's NodeMetrics
        var version = await Ok("version", "-o", "json");
        Assert.Equal("v1.31.1", JsonNode.Parse(version)!["serverVersion"]!["gitVersion"]!.GetValue<string>());
    }
}
