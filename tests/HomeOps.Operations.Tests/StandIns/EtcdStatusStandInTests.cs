using HomeOps.Cluster.Health;

namespace HomeOps.Operations.Tests.StandIns;

/// <summary>
/// Issue 13 i: the talosctl stand-in answers <c>etcd status</c> in the real tool's table (read by the same
/// <see cref="EtcdStatusTable"/> as the real output), and a reset or rebooting node's member is missing from it.
/// </summary>
public sealed class EtcdStatusStandInTests : IAsyncLifetime
{
    private static readonly string[] Ips = ["172.29.51.11", "172.29.51.12", "172.29.51.13"];
    private StandInRig _rig = null!;

    public async ValueTask InitializeAsync() => _rig = await StandInRig.StartAsync();

    public async ValueTask DisposeAsync() => await _rig.DisposeAsync();

    private Task<StandInRig.Result> StatusAsync() =>
        _rig.RunAsync(["talosctl", "etcd", "status", "--nodes", string.Join(',', Ips), "--endpoints", string.Join(',', Ips)], autoRejoin: false);

    [Fact]
    public async Task Etcd_status_is_healthy_on_the_running_cluster_and_not_after_a_partial_reset()
    {
        var healthy = await StatusAsync();
        Assert.Equal(0, healthy.ExitCode);
        var verdict = EtcdStatusTable.Evaluate(healthy.Stdout, healthy.Stderr, healthy.ExitCode, Ips);
        Assert.True(verdict.Healthy, verdict.Message + "\n" + healthy);
        Assert.Equal(3, verdict.Members.Length);
        Assert.Single(verdict.Members.Select(m => m.Leader).Distinct());

        var reset = await _rig.RunAsync(["task", "cluster:safe-reset", "CONFIRM=SAFE-RESET", "NODES=172.29.51.12"], autoRejoin: false);
        Assert.Equal(0, reset.ExitCode);
        var after = await StatusAsync();
        Assert.Equal(1, after.ExitCode);
        Assert.Contains("* 172.29.51.12: rpc error: code = Unavailable desc = etcd is not running on this node", after.Stderr);
        var broken = EtcdStatusTable.Evaluate(after.Stdout, after.Stderr, after.ExitCode, Ips);
        Assert.False(broken.Healthy);
        Assert.Contains("172.29.51.12 did not answer", broken.Message);
        Assert.Equal(2, broken.Members.Length);
    }
}
