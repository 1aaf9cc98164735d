using System.Net;
using System.Net.Sockets;
using HomeOps.Cluster.Sources.Probes;
using HomeOps.Cluster.State;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HomeOps.Operations.Tests;

/// <summary>
/// Issue 13 c: the dashboard's own reachability probe of the ingress VIP. The address comes from the Service's
/// LB-IPAM status in the store, the probe is a TCP connect through an injectable prober, and the
/// <c>ingress-vip-reachable</c> gate decides only on a fresh probe of the address the Service has now.
/// </summary>
public sealed class IngressVipProbeTests
{
    private const string Ns = "ingress-nginx-internal";
    private const string Svc = "ingress-nginx-internal-controller";
    private static readonly (string, string)[] VipArgs = [("namespace", Ns), ("name", Svc), ("address", "172.29.52.200")];

    private sealed class ScriptedProber(bool reachable) : IReachabilityProber
    {
        public List<(string Address, int Port)> Probes { get; } = [];
        public bool Reachable { get; set; } = reachable;

        public Task<ReachabilityAnswer> ProbeAsync(string address, int port, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Probes.Add((address, port));
            return Task.FromResult(new ReachabilityAnswer(Reachable, Reachable ? "connected" : "timed out (not announced)"));
        }
    }

    private static (ClusterStore Store, ReachabilityBoard Board, GateRegistry Gates, IngressVipProbe Probe, ScriptedProber Prober, FakeTimeProvider Time)
        Rig(ClusterBuilder cluster, bool reachable)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T16:00:00Z"));
        var store = cluster.BuildStore();
        var board = new ReachabilityBoard();
        var prober = new ScriptedProber(reachable);
        var probe = new IngressVipProbe(store, prober, board, time, NullLogger<IngressVipProbe>.Instance);
        return (store, board, GateRegistry.CreateDefault(board), probe, prober, time);
    }

    private static GateResult Eval(GateRegistry gates, ClusterState state, DateTimeOffset now, params (string K, string V)[] args) =>
        gates.Evaluate("ingress-vip-reachable", args.ToDictionary(a => a.K, a => a.V), state, now);

    [Fact]
    public async Task The_probe_connects_to_the_address_LB_IPAM_assigned_and_the_gate_follows_its_answer()
    {
        var (store, board, gates, probe, prober, time) = Rig(ClusterBuilder.HomeOps().LoadBalancer(Ns, Svc, "172.29.52.200"), reachable: true);

        // Nothing probed yet: the gate cannot decide (and never passes on no evidence).
        Assert.Equal(GateOutcome.Unknown, Eval(gates, store.Value, time.GetUtcNow(), VipArgs).Outcome);

        var record = await probe.ProbeOnceAsync(TestContext.Current.CancellationToken);
        Assert.Equal([("172.29.52.200", 443)], prober.Probes);
        Assert.True(record!.Reachable);
        var pass = Eval(gates, store.Value, time.GetUtcNow(), VipArgs);
        Assert.Equal(GateOutcome.Passed, pass.Outcome);
        Assert.Contains("172.29.52.200:443 reachable", pass.Message);

        prober.Reachable = false;
        await probe.ProbeOnceAsync(TestContext.Current.CancellationToken);
        var fail = Eval(gates, store.Value, time.GetUtcNow(), VipArgs);
        Assert.Equal(GateOutcome.Failed, fail.Outcome);
        Assert.Contains("not announced", fail.Message);
        Assert.True(fail.Blocks);

        // A probe older than the probe's max age is no evidence.
        prober.Reachable = true;
        await probe.ProbeOnceAsync(TestContext.Current.CancellationToken);
        time.Advance(board.Options.MaxAge + TimeSpan.FromSeconds(1));
        var stale = Eval(gates, store.Value, time.GetUtcNow(), VipArgs);
        Assert.Equal(GateOutcome.Unknown, stale.Outcome);
        Assert.Contains("stale probe", stale.Message);
    }

    [Fact]
    public async Task No_address_means_nothing_is_probed_and_a_probe_of_an_old_address_does_not_count()
    {
        var (store, board, gates, probe, prober, time) = Rig(ClusterBuilder.HomeOps().LoadBalancer(Ns, Svc), reachable: true);
        var record = await probe.ProbeOnceAsync(TestContext.Current.CancellationToken);
        Assert.Empty(prober.Probes);
        Assert.Null(record!.Address);
        Assert.Contains("<pending>", record.Detail);
        Assert.Equal(GateOutcome.Failed, Eval(gates, store.Value, time.GetUtcNow(), VipArgs).Outcome);

        // The Service moved to another address after a reachable probe of the old one: undecided until probed again.
        // (Each change is added twice so that the object gets a new resourceVersion, as a real update would.)
        ClusterBuilder.HomeOps().LoadBalancer(Ns, Svc).LoadBalancer(Ns, Svc, "172.29.52.200").Apply(store);
        Assert.True((await probe.ProbeOnceAsync(TestContext.Current.CancellationToken))!.Reachable);
        Assert.Equal(GateOutcome.Passed, Eval(gates, store.Value, time.GetUtcNow(), VipArgs).Outcome);
        ClusterBuilder.HomeOps().LoadBalancer(Ns, Svc).LoadBalancer(Ns, Svc).LoadBalancer(Ns, Svc, "172.29.52.210").Apply(store);
        Assert.Equal(GateOutcome.Unknown, Eval(gates, store.Value, time.GetUtcNow(), ("namespace", Ns), ("name", Svc)).Outcome);
        Assert.Equal(GateOutcome.Failed, Eval(gates, store.Value, time.GetUtcNow(), VipArgs).Outcome);

        // Stale Service data: the gate does not decide, the probe does not guess.
        var stale = ClusterBuilder.HomeOps().LoadBalancer(Ns, Svc, "172.29.52.200").Feed(HomeOps.Cluster.Model.Kinds.Service, HomeOps.Cluster.Model.FeedState.Reconnecting);
        stale.Apply(store);
        Assert.Null(await probe.ProbeOnceAsync(TestContext.Current.CancellationToken));
        Assert.Equal(GateOutcome.Unknown, Eval(gates, store.Value, time.GetUtcNow(), VipArgs).Outcome);
        _ = board;
    }

    [Fact]
    public async Task Before_deciding_the_gate_has_the_probe_connect_again_so_a_step_is_not_judged_on_a_probe_from_before_it()
    {
        // The ResetAndRebuild failure: the background probe's last round ran before phase 3 made the nodes Ready; phase
        // 6's gate read that answer (still younger than MaxAge) instead of the network after the step.
        var (store, board, _, probe, prober, time) = Rig(ClusterBuilder.HomeOps().LoadBalancer(Ns, Svc, "172.29.52.200"), reachable: false);
        var ct = TestContext.Current.CancellationToken;
        await probe.ProbeOnceAsync(ct);
        time.Advance(TimeSpan.FromSeconds(5));
        prober.Reachable = true;
        var args = VipArgs.ToDictionary(a => a.Item1, a => a.Item2);

        // Without the probe to call, the gate can only read the old round.
        var boardOnly = GateRegistry.CreateDefault(board);
        await boardOnly.RefreshAsync("ingress-vip-reachable", args, store.Value, ct);
        Assert.Equal(GateOutcome.Failed, boardOnly.Evaluate("ingress-vip-reachable", args, store.Value, time.GetUtcNow()).Outcome);
        Assert.Single(prober.Probes);

        var gates = GateRegistry.CreateDefault(board, vipProbe: probe);
        await gates.RefreshAsync("ingress-vip-reachable", args, store.Value, ct);
        Assert.Equal(2, prober.Probes.Count);
        var now = gates.Evaluate("ingress-vip-reachable", args, store.Value, time.GetUtcNow());
        Assert.Equal(GateOutcome.Passed, now.Outcome);

        // A gate with a wait re-evaluates on every change: a probe younger than MinRefresh is reused, not repeated.
        time.Advance(IngressVipReachableGate.MinRefresh - TimeSpan.FromSeconds(1));
        await gates.RefreshAsync("ingress-vip-reachable", args, store.Value, ct);
        Assert.Equal(2, prober.Probes.Count);
        time.Advance(TimeSpan.FromSeconds(1));
        await gates.RefreshAsync("ingress-vip-reachable", args, store.Value, ct);
        Assert.Equal(3, prober.Probes.Count);

        // Another Service than the one the probe watches: no probe, and the gate says why it cannot decide.
        var other = new Dictionary<string, string> { ["namespace"] = "kube-system", ["name"] = "other" };
        await gates.RefreshAsync("ingress-vip-reachable", other, store.Value, ct);
        Assert.Equal(3, prober.Probes.Count);
        Assert.Equal(GateOutcome.Unknown, gates.Evaluate("ingress-vip-reachable", other, store.Value, time.GetUtcNow()).Outcome);
    }

    [Fact]
    public void Without_a_probe_in_the_process_the_gate_is_unknown_never_passed()
    {
        var gates = GateRegistry.CreateDefault();
        var r = Eval(gates, ClusterBuilder.HomeOps().LoadBalancer(Ns, Svc, "172.29.52.200").Build(), DateTimeOffset.UtcNow, VipArgs);
        Assert.Equal(GateOutcome.Unknown, r.Outcome);
    }

    [Fact]
    public async Task The_tcp_prober_connects_for_real_and_reports_refused_and_timeout()
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var prober = new TcpReachabilityProber();
        var open = await prober.ProbeAsync("127.0.0.1", port, TimeSpan.FromSeconds(5), ct);
        Assert.True(open.Reachable, open.Detail);

        listener.Stop();
        var refused = await prober.ProbeAsync("127.0.0.1", port, TimeSpan.FromSeconds(5), ct);
        Assert.False(refused.Reachable);
        Assert.Contains("refused", refused.Detail);

        // TEST-NET-1 is never routed: no route, a firewall's refusal or the timeout — unreachable whichever this host gives.
        var unrouted = await prober.ProbeAsync("192.0.2.1", 443, TimeSpan.FromMilliseconds(300), ct);
        Assert.False(unrouted.Reachable, unrouted.Detail);

        Assert.False((await prober.ProbeAsync("not-an-ip", 443, TimeSpan.FromSeconds(1), ct)).Reachable);
    }
}
