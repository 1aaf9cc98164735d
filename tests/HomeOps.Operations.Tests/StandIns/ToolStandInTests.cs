using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;
using HomeOps.Operations.Tests.Support;

namespace HomeOps.Operations.Tests.StandIns;

/// <summary>talosctl, flux and the interactive tasks, as real processes against a started simulator.</summary>
public sealed class ToolStandInTests : IAsyncLifetime
{
    private StandInRig _rig = null!;

    public async ValueTask InitializeAsync() => _rig = await StandInRig.StartAsync();

    public async ValueTask DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task Talosctl_reboot_takes_the_node_NotReady_and_waits_until_it_is_Ready_with_a_new_boot()
    {
        var bootId = _rig.Node("mini03")["status"]!["nodeInfo"].String("bootID");
        var sawDown = false;
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                if (_rig.ReadyStatus("mini03") != "True") sawDown = true;
                await Task.Delay(10);
            }
        });

        // As the safe-reboot workflow calls it: no KUBECONFIG, the simulator's own via HOMEOPS_SIM_KUBECONFIG.
        var r = await _rig.RunAsync(["talosctl", "reboot", "--nodes", "172.29.51.13", "--endpoints", "172.29.51.13", "--wait=true", "--timeout=15m"], passKubeconfig: false);
        await watching.CancelAsync();
        await watcher;

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("watching nodes: [172.29.51.13]", r.Stdout);
        Assert.Contains("172.29.51.13: post check passed", r.Stdout);
        Assert.True(sawDown, "mini03 was never seen NotReady during the reboot");
        Assert.True(_rig.IsReady("mini03"));
        Assert.NotEqual(bootId, _rig.Node("mini03")["status"]!["nodeInfo"].String("bootID"));
    }

    [Fact]
    public async Task Talosctl_reset_without_partition_labels_is_refused()
    {
        var r = await _rig.RunAsync(["talosctl", "reset", "--nodes", "172.29.51.12", "--graceful=false"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("refusing", r.Stderr);
        Assert.True(_rig.IsReady("mini02"));
    }

    [Fact]
    public async Task Emergency_recovery_asks_y_N_on_stdin_and_aborts_without_y()
    {
        // As the real task: `read -p … confirm` reads nothing, `[ "$confirm" = "y" ]` fails the command.
        var no = await _rig.RunAsync(["task", "cluster:emergency-recovery"]);
        Assert.Equal(201, no.ExitCode);
        Assert.Contains("task: Failed to run task \"cluster:emergency-recovery\": exit status 1", no.Stderr);
        Assert.DoesNotContain("Step 1", no.Stdout);

        var yes = await _rig.RunAsync(["task", "cluster:emergency-recovery"], stdin: "y\n");
        Assert.Equal(0, yes.ExitCode);
        Assert.Contains("Confirm emergency recovery (y/N): y", yes.Stdout);
        Assert.Contains("mini02", yes.Stdout);
    }

    [Fact]
    public async Task Flux_reconcile_with_source_bumps_the_applied_revision_and_a_suspended_object_is_refused()
    {
        var before = _rig.Simulator.Cluster.Get(Kinds.Kustomization, "flux-system", "flux-system")!["status"].String("lastAppliedRevision");
        var r = await _rig.RunAsync(["flux", "reconcile", "kustomization", "flux-system", "-n", "flux-system", "--with-source"]);

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("► annotating GitRepository flux-system in flux-system namespace", r.Stdout);
        Assert.Contains("✔ applied revision main@sha1:", r.Stdout);
        var k = _rig.Simulator.Cluster.Get(Kinds.Kustomization, "flux-system", "flux-system")!;
        var after = k["status"].String("lastAppliedRevision");
        Assert.NotEqual(before, after);
        Assert.Equal(_rig.Simulator.Cluster.Get(Kinds.GitRepository, "flux-system", "flux-system")!["status"]!["artifact"].String("revision"), after);
        Assert.NotNull(k["metadata"]!["annotations"]!["reconcile.fluxcd.io/requestedAt"]);

        var suspend = await _rig.RunAsync(["flux", "suspend", "kustomization", "flux-system"]);
        Assert.Equal(0, suspend.ExitCode);
        var refused = await _rig.RunAsync(["flux", "reconcile", "kustomization", "flux-system"]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("✗ resource is suspended", refused.Stderr);
    }

    [Fact]
    public async Task Task_exit_codes_follow_go_task()
    {
        var missing = await _rig.RunAsync(["task", "cluster:does-not-exist"]);
        Assert.Equal(200, missing.ExitCode);
        Assert.Contains("task: Task \"cluster:does-not-exist\" does not exist", missing.Stderr);

        File.Delete(Path.Combine(_rig.Checkout, "Taskfile.yml"));
        var noTaskfile = await _rig.RunAsync(["task", "cluster:status"]);
        Assert.Equal(100, noTaskfile.ExitCode);
        Assert.Contains("No Taskfile found", noTaskfile.Stderr);
    }

    [Fact]
    public async Task A_stand_in_given_a_real_clusters_kubeconfig_refuses_to_act()
    {
        var real = _rig.Dir.File("real-kubeconfig");
        await File.WriteAllTextAsync(real, """
            apiVersion: v1
            kind: Config
            clusters: [{name: home-ops, cluster: {server: "https://172.29.51.10:6443", insecure-skip-tls-verify: true}}]
            users: [{name: admin, user: {token: not-a-real-token}}]
            contexts: [{name: home-ops, context: {cluster: home-ops, user: admin}}]
            current-context: home-ops
            """, TestContext.Current.CancellationToken);

        var r = await _rig.RunAsync(["talosctl", "reboot", "--nodes", "172.29.51.12"], kubeconfig: real);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("act only on a simulator on loopback", r.Stderr);
        Assert.True(_rig.IsReady("mini02"));
    }

    [Fact]
    public async Task Recover_kubeconfig_writes_to_KUBECONFIG_from_the_node_given_and_fails_on_a_read_only_home()
    {
        // The task's default: ~/.kube/config. A HOME that cannot be written (the pod's read-only root) fails the task.
        var readOnly = await _rig.RunAsync(["task", "talos:recover-kubeconfig"], extraEnv: new Dictionary<string, string?> { ["HOME"] = "/proc/homeops-read-only" }, passKubeconfig: false);
        Assert.Equal(201, readOnly.ExitCode);
        Assert.Contains("read-only file system", readOnly.Stderr);

        // mini01 down: the hard-wired node fails; NODE_1_IP=mini02's address and a writable KUBECONFIG work.
        Assert.Equal(0, (await _rig.RunAsync(["talosctl", "reboot", "--nodes", "172.29.51.11", "--wait=false"])).ExitCode);
        var target = _rig.Dir.File("data/recovered/kubeconfig");
        var recovered = await _rig.RunAsync(["task", "talos:recover-kubeconfig", "NODE_1_IP=172.29.51.12"], passKubeconfig: false,
            extraEnv: new Dictionary<string, string?> { ["KUBECONFIG"] = target, ["HOME"] = "/proc/homeops-read-only" });
        Assert.Equal(0, recovered.ExitCode);
        Assert.Contains("talosctl kubeconfig --nodes 172.29.51.12 --endpoints 172.29.51.12 --force", recovered.Stderr);
        Assert.True(File.Exists(target));
    }
}
