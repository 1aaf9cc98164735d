using HomeOps.Cluster.Model;
using HomeOps.Cluster.Talos;
using HomeOps.Simulator.OpsCommands;

namespace HomeOps.Operations.Tests.StandIns;

/// <summary>
/// Issue 15: the Talos feed's poll against the simulator's talosctl stand-in (real processes, the same table shapes as
/// the real captures), consistent with the simulated cluster: all running; a rebooting node's apid unreachable and
/// its etcd member missing meanwhile, then back; a reset node in maintenance mode (read with --insecure) whose stale
/// member still counts as a voter that is not healthy.
/// </summary>
public sealed class TalosFeedStandInTests : IAsyncLifetime
{
    private static readonly (string Name, string Ip)[] Nodes = [("mini01", "172.29.51.11"), ("mini02", "172.29.51.12"), ("mini03", "172.29.51.13")];
    private StandInRig _rig = null!;

    public async ValueTask InitializeAsync() => _rig = await StandInRig.StartAsync();

    public async ValueTask DisposeAsync() => await _rig.DisposeAsync();

    /// <summary>talosctl = the stand-in, started as a process, as the dashboard's runner starts it.</summary>
    private sealed class RigTalosctl(StandInRig rig) : ITalosctl
    {
        public async Task<TalosctlResult> RunAsync(IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var r = await rig.RunAsync(["talosctl", .. args], autoRejoin: false);
            return new TalosctlResult(r.Stdout, r.Stderr, r.ExitCode);
        }
    }

    private Task<TalosReport> PollAsync(TalosReport? previous = null) =>
        TalosPoll.RunAsync(new RigTalosctl(_rig), [.. Nodes.Select(n => new TalosTarget(n.Ip, n.Name, _rig.ReadyStatus(n.Name), ""))],
            previous ?? TalosReport.Connecting(DateTimeOffset.UtcNow), TimeProvider.System, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

    [Fact]
    public async Task The_running_simulated_cluster_is_healthy_with_three_voting_members_and_one_leader()
    {
        var report = await PollAsync();
        Assert.True(report.IsLive, report.Freshness.LastError);
        Assert.Equal(HealthStatus.Healthy, report.Verdict.Health);
        Assert.All(report.Nodes, n => Assert.Equal(("running", true, HealthStatus.Healthy), (n.Stage, n.Reachable, n.Verdict.Health)));
        Assert.All(report.Nodes, n => Assert.Equal(["apid", "containerd", "cri", "etcd", "kubelet", "machined", "trustd"], n.Services.Select(s => s.Id)));
        var etcd = report.Etcd!;
        Assert.Equal(["mini01", "mini02", "mini03"], etcd.Members.Select(m => m.Hostname));
        Assert.Equal((3, 3), (etcd.Quorum.Voters, etcd.Quorum.Healthy));
        Assert.Equal(etcd.Members[0].Id, etcd.Leader);
        Assert.All(etcd.Status, s => Assert.Equal("21 MB", s.DbSize));
        Assert.Empty(etcd.Alarms);
    }

    [Fact]
    public async Task A_rebooting_node_is_unreachable_for_talos_meanwhile_and_answers_again_after()
    {
        using var cluster = SimClusterClient.FromKubeconfig(_rig.Simulator.KubeconfigPath);
        var sim = new SimNodes(cluster);
        await sim.GoDownAsync("mini02", reset: false, TestContext.Current.CancellationToken);

        var during = await PollAsync();
        var mini02 = Assert.Single(during.Nodes, n => n.Name == "mini02");
        Assert.False(mini02.Reachable);
        Assert.Equal(HealthStatus.Failed, mini02.Verdict.Health);
        Assert.Contains("connection refused", mini02.Error);
        Assert.Equal((3, 2), (during.Etcd!.Quorum.Voters, during.Etcd.Quorum.Healthy));
        Assert.True(during.Etcd.Quorum.HasQuorum);

        await sim.ReadyAsync("mini02", newBoot: true, TestContext.Current.CancellationToken);
        var after = await PollAsync(during);
        Assert.True(Assert.Single(after.Nodes, n => n.Name == "mini02").Reachable);
        Assert.Equal((3, 3), (after.Etcd!.Quorum.Voters, after.Etcd.Quorum.Healthy));
    }

    [Fact]
    public async Task A_reset_node_is_in_maintenance_mode_as_read_from_talos_and_its_stale_member_is_not_healthy()
    {
        var reset = await _rig.RunAsync(["task", "cluster:safe-reset", "CONFIRM=SAFE-RESET", "NODES=172.29.51.12"], autoRejoin: false);
        Assert.Equal(0, reset.ExitCode);

        var report = await PollAsync();
        var mini02 = Assert.Single(report.Nodes, n => n.Name == "mini02");
        Assert.True(mini02.InMaintenance, mini02.Verdict.Message);
        Assert.Equal("Maintenance", mini02.Verdict.Reason);
        // --graceful=false does not leave etcd: the member is still listed, a voter that does not answer.
        Assert.Contains(report.Etcd!.Members, m => m.Hostname == "mini02");
        Assert.Equal((3, 2), (report.Etcd.Quorum.Voters, report.Etcd.Quorum.Healthy));
        Assert.Contains("not healthy: mini02", report.Etcd.Quorum.Message);
    }

    /// <summary>The simulator's re-bootstrap of reset nodes (<see cref="NodeRejoin"/>), run in-process at a fast pace.</summary>
    private async Task RejoinAsync(params string[] nodes)
    {
        var env = new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = _rig.Simulator.KubeconfigPath,
            [ToolConsole.PaceVariable] = "0.05",
        };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var io = new ToolConsole(TextReader.Null, stdout, stderr, env, Path.GetTempPath());
        var code = await NodeRejoin.RunAsync(["--nodes", string.Join(",", nodes), "--after", "0"], io, TestContext.Current.CancellationToken);
        Assert.True(code == 0, $"{stdout}\n{stderr}");
    }

    [Fact]
    public async Task A_reset_node_leaves_the_etcd_member_list_when_re_bootstrapped_and_rejoins_as_a_new_member()
    {
        var before = await PollAsync();
        var oldId = Assert.Single(before.Etcd!.Members, m => m.Hostname == "mini02").Id;
        var reset = await _rig.RunAsync(["task", "cluster:safe-reset", "CONFIRM=SAFE-RESET", "NODES=172.29.51.12"], autoRejoin: false);
        Assert.Equal(0, reset.ExitCode);
        // Reset with --graceful=false: still listed (stale) until removed.
        Assert.Contains((await PollAsync()).Etcd!.Members, m => m.Id == oldId);

        // The operator removes the stale member through a surviving node (the etcd:remove-member workflow's command):
        // mini02 leaves the list while it is still in maintenance mode.
        var removed = await _rig.RunAsync(["talosctl", "etcd", "remove-member", oldId, "--nodes", "172.29.51.11"], autoRejoin: false);
        Assert.Equal(0, removed.ExitCode);
        var left = await PollAsync();
        Assert.DoesNotContain(left.Etcd!.Members, m => m.Hostname == "mini02");
        Assert.Equal((2, 2), (left.Etcd.Quorum.Voters, left.Etcd.Quorum.Healthy));

        await RejoinAsync("mini02");
        var after = await PollAsync(left);
        var rejoined = Assert.Single(after.Etcd!.Members, m => m.Hostname == "mini02");
        Assert.NotEqual(oldId, rejoined.Id);
        Assert.Equal((3, 3), (after.Etcd.Quorum.Voters, after.Etcd.Quorum.Healthy));
        Assert.Equal(HealthStatus.Healthy, after.Verdict.Health);
        Assert.Equal("running", Assert.Single(after.Nodes, n => n.Name == "mini02").Stage);
    }

    [Fact]
    public async Task The_re_bootstrap_alone_removes_the_stale_member_and_the_node_rejoins()
    {
        var oldId = Assert.Single((await PollAsync()).Etcd!.Members, m => m.Hostname == "mini03").Id;
        Assert.Equal(0, (await _rig.RunAsync(["task", "cluster:safe-reset", "CONFIRM=SAFE-RESET", "NODES=172.29.51.13"], autoRejoin: false)).ExitCode);
        await RejoinAsync("mini03");
        var after = await PollAsync();
        Assert.DoesNotContain(after.Etcd!.Members, m => m.Id == oldId);
        Assert.Contains(after.Etcd.Members, m => m.Hostname == "mini03");
        Assert.Equal((3, 3), (after.Etcd.Quorum.Voters, after.Etcd.Quorum.Healthy));
    }

    [Fact]
    public async Task After_a_full_cluster_reset_etcd_is_gone_and_comes_back_when_the_nodes_are_re_bootstrapped()
    {
        Assert.Equal(0, (await _rig.RunAsync(["task", "cluster:safe-reset", "CONFIRM=SAFE-RESET", "NODES=172.29.51.11,172.29.51.12,172.29.51.13"], autoRejoin: false)).ExitCode);
        var gone = await PollAsync();
        Assert.All(gone.Nodes, n => Assert.True(n.InMaintenance, n.Verdict.Message));
        Assert.Empty(gone.Etcd!.Members);
        Assert.False(gone.Etcd.Quorum.Known);

        var env = new Dictionary<string, string?> { ["KUBECONFIG"] = _rig.Simulator.KubeconfigPath, [ToolConsole.PaceVariable] = "0.05" };
        var io = new ToolConsole(TextReader.Null, TextWriter.Null, TextWriter.Null, env, Path.GetTempPath());
        using var cluster = SimClusterClient.FromKubeconfig(_rig.Simulator.KubeconfigPath);
        await NodeRejoin.RebootstrapAsync(new TaskEnvironment(io, cluster, new Dictionary<string, string>(), yes: true),
            // The etcd part of the full re-bootstrap (its Flux restore is not what this test is about).
            [.. Nodes.Select(n => n.Name)], fullCluster: false, TestContext.Current.CancellationToken);
        var back = await PollAsync(gone);
        Assert.Equal(["mini01", "mini02", "mini03"], back.Etcd!.Members.Select(m => m.Hostname).Order());
        Assert.Equal((3, 3), (back.Etcd.Quorum.Voters, back.Etcd.Quorum.Healthy));
    }
}
