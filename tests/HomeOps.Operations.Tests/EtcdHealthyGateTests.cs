using HomeOps.Cluster.Health;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace HomeOps.Operations.Tests;

/// <summary>
/// Issue 13 i: <c>etcd-healthy</c> reads etcd's health from Talos (fetched before each evaluation, through the
/// gate waiter), for the control-plane nodes' IPs from the live Node list; no fresh answer is Unknown, never Passed.
/// </summary>
public sealed class EtcdHealthyGateTests
{
    private sealed class ScriptedSource : IEtcdStatusSource
    {
        public Queue<EtcdHealth> Answers { get; } = new();
        public List<IReadOnlyList<string>> Asked { get; } = [];

        public Task<EtcdHealth> ReadAsync(IReadOnlyList<string> nodeIps, CancellationToken cancellationToken)
        {
            Asked.Add(nodeIps);
            return Task.FromResult(Answers.Count > 1 ? Answers.Dequeue() : Answers.Peek());
        }
    }

    private static readonly Dictionary<string, string> Three = new() { ["count"] = "3" };

    private static EtcdHealth Healthy => new(true, "etcd healthy: 3 of 3", [
        new("172.29.51.11", "a", "a", 1, 2, false, ""), new("172.29.51.12", "b", "a", 1, 2, false, ""), new("172.29.51.13", "c", "a", 1, 2, false, "")]);

    [Fact]
    public async Task The_gate_asks_talos_for_the_live_control_plane_nodes_and_follows_the_answer()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var source = new ScriptedSource();
        source.Answers.Enqueue(new(false, "etcd not healthy: 172.29.51.12 did not answer (etcd is not running on this node)", []));
        source.Answers.Enqueue(Healthy);
        var gates = GateRegistry.CreateDefault(etcd: source);
        gates.Register(new EtcdHealthyGate(source, time));
        var state = ClusterBuilder.HomeOps().Build();

        // Not asked yet: undecided.
        Assert.Equal(GateOutcome.Unknown, gates.Evaluate("etcd-healthy", Three, state, time.GetUtcNow()).Outcome);

        await gates.RefreshAsync("etcd-healthy", Three, state, TestContext.Current.CancellationToken);
        Assert.Equal(["172.29.51.11", "172.29.51.12", "172.29.51.13"], Assert.Single(source.Asked));
        var failed = gates.Evaluate("etcd-healthy", Three, state, time.GetUtcNow());
        Assert.Equal(GateOutcome.Failed, failed.Outcome);
        Assert.Contains("172.29.51.12 did not answer", failed.Message);

        // Asked again only after a few seconds (the waiter re-evaluates on every store change).
        await gates.RefreshAsync("etcd-healthy", Three, state, TestContext.Current.CancellationToken);
        Assert.Single(source.Asked);
        time.Advance(TimeSpan.FromSeconds(5));
        await gates.RefreshAsync("etcd-healthy", Three, state, TestContext.Current.CancellationToken);
        Assert.Equal(GateOutcome.Passed, gates.Evaluate("etcd-healthy", Three, state, time.GetUtcNow()).Outcome);

        // An answer older than a minute is no evidence.
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(GateOutcome.Unknown, gates.Evaluate("etcd-healthy", Three, state, time.GetUtcNow()).Outcome);
    }

    [Fact]
    public async Task A_waiting_gate_fetches_until_etcd_is_healthy_again()
    {
        var source = new ScriptedSource();
        source.Answers.Enqueue(new(false, "etcd not healthy: 172.29.51.13 did not answer", []));
        source.Answers.Enqueue(Healthy);
        var gates = GateRegistry.CreateDefault(etcd: source);
        var store = ClusterBuilder.HomeOps().BuildStore();
        var waiter = new GateWaiter(gates, new ClusterStoreStateSource(store), TimeProvider.System, TimeSpan.FromMilliseconds(200));
        var r = await waiter.EvaluateAsync("etcd-healthy", Three, TimeSpan.FromSeconds(30), false, TestContext.Current.CancellationToken);
        Assert.Equal(GateOutcome.Passed, r.Outcome);
        Assert.True(source.Asked.Count >= 2);
    }

    [Fact]
    public void Without_a_source_or_with_too_few_nodes_the_gate_never_passes()
    {
        var state = ClusterBuilder.HomeOps().Build();
        Assert.Equal(GateOutcome.Unknown, GateRegistry.CreateDefault().Evaluate("etcd-healthy", Three, state, DateTimeOffset.UtcNow).Outcome);
        var four = new Dictionary<string, string> { ["count"] = "4" };
        Assert.Equal(GateOutcome.Failed, GateRegistry.CreateDefault(etcd: new ScriptedSource()).Evaluate("etcd-healthy", four, state, DateTimeOffset.UtcNow).Outcome);
    }
}
