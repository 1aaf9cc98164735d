using HomeOps.Simulator.Network;
using HomeOps.Simulator.OpsCommands;

namespace HomeOps.Operations.Tests.StandIns;

/// <summary>
/// Issue 13 c, the simulator's side: the ingress VIP answers the dashboard's probe only when the simulated cluster
/// would route it — assigned by LB-IPAM, announced by an established BGP session of a Ready node, port exposed —
/// so that a phased rebuild (Cilium with BGP off) is unreachable until apps:deploy-cilium, as on the real LAN.
/// </summary>
public sealed class SimulatedNetworkProberTests : IAsyncLifetime
{
    private StandInRig _rig = null!;

    public async ValueTask InitializeAsync() => _rig = await StandInRig.StartAsync();

    public async ValueTask DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task The_vip_answers_only_while_it_is_assigned_announced_and_served()
    {
        var ct = TestContext.Current.CancellationToken;
        var prober = new SimulatedNetworkProber(_rig.Simulator.KubeconfigPath);
        var timeout = TimeSpan.FromSeconds(3);

        var up = await prober.ProbeAsync("172.29.52.200", 443, timeout, ct);
        Assert.True(up.Reachable, up.Detail);
        Assert.Contains("announced by mini01, mini02, mini03", up.Detail);

        var refused = await prober.ProbeAsync("172.29.52.200", 8443, timeout, ct);
        Assert.False(refused.Reachable);
        Assert.Contains("connection refused", refused.Detail);

        var nobody = await prober.ProbeAsync("172.29.52.250", 443, timeout, ct);
        Assert.False(nobody.Reachable);
        Assert.Contains("no Service holds the address", nobody.Detail);

        // BGP down on every node (phase 3's Cilium has BGP off): assigned but not announced → the connect times out.
        using var cluster = SimClusterClient.FromKubeconfig(_rig.Simulator.KubeconfigPath);
        var nodes = new SimNodes(cluster);
        foreach (var n in new[] { "mini01", "mini02", "mini03" }) await nodes.BgpSessionAsync(n, established: false, ct);
        var down = await prober.ProbeAsync("172.29.52.200", 443, timeout, ct);
        Assert.False(down.Reachable);
        Assert.Contains("timed out after 3 s", down.Detail);
        Assert.Contains("not announced", down.Detail);

        // apps:deploy-cilium turns BGP on: the VIP is routed again.
        var cilium = await _rig.RunAsync(["task", "apps:deploy-cilium"]);
        Assert.Equal(0, cilium.ExitCode);
        Assert.True((await prober.ProbeAsync("172.29.52.200", 443, timeout, ct)).Reachable);
    }
}
