using System.Text.Json;
using HomeOps.Simulator;

namespace HomeOps.Cli.Tests;

/// <summary><c>homeops status</c> against a Kubernetes API: the embedded simulator, in the CLI's process or in this one.</summary>
public sealed class StatusFromClusterTests
{
    [Fact]
    public async Task The_simulator_mode_lists_the_three_minis_and_the_exit_code_follows_the_verdicts()
    {
        var result = await CliProcess.RunAsync("status", "--simulator", "--output", "json");
        using var doc = JsonDocument.Parse(result.Stdout);
        var rows = doc.RootElement.GetProperty("entries").EnumerateArray().ToList();
        var nodes = rows.Where(r => r.GetProperty("kind").GetString() == "Node" && r.GetProperty("apiVersion").GetString() == "v1")
            .Select(r => r.GetProperty("name").GetString()).Order().ToList();
        Assert.Equal(["mini01", "mini02", "mini03"], nodes);
        Assert.Contains(rows, r => r.GetProperty("kind").GetString() == "Kustomization" && r.GetProperty("name").GetString() == "flux-system");
        Assert.Equal(32, rows.Count(r => r.GetProperty("kind").GetString() == "Kustomization"));
        Assert.Contains(rows, r => r.GetProperty("kind").GetString() == "CiliumBGPPeeringPolicy");

        var allOk = rows.All(r => r.GetProperty("health").GetString() is "Healthy" or "Suspended");
        Assert.True(result.ExitCode == (allOk ? 0 : 1), result.ToString());
    }

    [Fact]
    public async Task An_expected_node_that_is_gone_fails_the_nodes_area_in_json_and_table_and_the_exit_code()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Scenarios = { Enabled = false } }, cancellationToken: ct);
        sim.Cluster.Delete(HomeOps.Cluster.Model.Kinds.Node, null, "mini03");

        var json = await CliProcess.RunAsync("status", "--kubeconfig", sim.KubeconfigPath, "--output", "json");
        using var doc = JsonDocument.Parse(json.Stdout);
        var nodes = doc.RootElement.GetProperty("areas").EnumerateArray().Single(a => a.GetProperty("area").GetString() == "Nodes");
        Assert.Equal("Failed", nodes.GetProperty("worst").GetString());
        Assert.Equal("2/3", nodes.GetProperty("count").GetString());
        Assert.Equal(1, json.ExitCode);

        var table = await CliProcess.RunAsync("status", "--kubeconfig", sim.KubeconfigPath);
        Assert.Contains(table.Stdout.Split('\n'), l => l.StartsWith("Nodes ", StringComparison.Ordinal) && l.Contains("Failed") && l.Contains("missing: mini03"));
        Assert.Equal(1, table.ExitCode);

        // Told that two nodes is the cluster, the same state is Healthy.
        var two = await CliProcess.RunAsync("status", "--kubeconfig", sim.KubeconfigPath, "--output", "json", "--expected-nodes", "mini01,mini02");
        using var twoDoc = JsonDocument.Parse(two.Stdout);
        Assert.Equal("Healthy", twoDoc.RootElement.GetProperty("areas").EnumerateArray()
            .Single(a => a.GetProperty("area").GetString() == "Nodes").GetProperty("worst").GetString());
    }

    [Fact]
    public async Task A_kubeconfig_source_reads_the_cluster_it_points_at()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions(), cancellationToken: TestContext.Current.CancellationToken);
        // Break one node the way the kubelet reports it: the CLI must see it and exit 1.
        var node = sim.Cluster.Get(HomeOps.Cluster.Model.Kinds.Node, null, "mini02")!;
        var ready = node["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready")!;
        ready["status"] = "False";
        ready["reason"] = "KubeletNotReady";
        ready["message"] = "container runtime is down";
        sim.Cluster.Upsert(node);

        var result = await CliProcess.RunAsync("status", "--kubeconfig", sim.KubeconfigPath, "--output", "json");
        Assert.True(result.ExitCode == 1, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var mini02 = doc.RootElement.GetProperty("entries").EnumerateArray().Single(r =>
            r.GetProperty("kind").GetString() == "Node" && r.GetProperty("apiVersion").GetString() == "v1" && r.GetProperty("name").GetString() == "mini02");
        Assert.Equal(("Failed", "KubeletNotReady"), (mini02.GetProperty("health").GetString(), mini02.GetProperty("reason").GetString()));

        // With no source option, $KUBECONFIG is used.
        var viaEnv = await CliProcess.RunAsync(["status"], new Dictionary<string, string?> { ["KUBECONFIG"] = sim.KubeconfigPath });
        Assert.True(viaEnv.ExitCode == 1, viaEnv.ToString());
        Assert.Contains("Nodes: 2/3 healthy, 1 failed", viaEnv.Stdout);
    }

    [Fact]
    public async Task A_kind_that_is_not_served_is_skipped_and_a_forbidden_kind_is_reported()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions(), cancellationToken: TestContext.Current.CancellationToken);
        sim.Faults.FailNextRequests(1, System.Net.HttpStatusCode.Forbidden, HomeOps.Cluster.Model.Kinds.LonghornBackup);
        sim.Faults.FailNextRequests(10, System.Net.HttpStatusCode.NotFound, HomeOps.Cluster.Model.Kinds.BgpAdvertisement);

        var result = await CliProcess.RunAsync("status", "--kubeconfig", sim.KubeconfigPath, "--output", "json");
        Assert.True(result.ExitCode == 1, result.ToString()); // the cluster may be healthy, but the answer is incomplete
        Assert.Contains("CiliumBGPAdvertisement (cilium.io): not installed", result.Stderr);
        Assert.Matches("error: Backup \\(longhorn.io/v1beta2\\): forbidden", result.Stderr);
        using var doc = JsonDocument.Parse(result.Stdout);
        var kinds = doc.RootElement.GetProperty("entries").EnumerateArray().Select(r => r.GetProperty("kind").GetString()).ToHashSet();
        Assert.DoesNotContain("Backup", kinds);
        Assert.DoesNotContain("CiliumBGPAdvertisement", kinds);
        Assert.Contains("Volume", kinds);
    }

    [Fact]
    public async Task An_unknown_context_or_a_missing_kubeconfig_is_bad_input()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions(), cancellationToken: TestContext.Current.CancellationToken);
        var context = await CliProcess.RunAsync("status", "--kubeconfig", sim.KubeconfigPath, "--context", "no-such-context");
        Assert.True(context.ExitCode == 2, context.ToString());
        Assert.Contains("no-such-context", context.Stderr);

        var missing = await CliProcess.RunAsync("status", "--kubeconfig", "/nonexistent/kubeconfig");
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("/nonexistent/kubeconfig", missing.Stderr);
    }
}
