using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Tests.Support;

namespace HomeOps.Operations.Tests;

public class GateTests
{
    private static readonly GateRegistry Gates = GateRegistry.CreateDefault();

    private static GateResult Eval(ClusterBuilder b, string gate, params (string K, string V)[] args) =>
        Gates.Evaluate(gate, args.ToDictionary(a => a.K, a => a.V), b.Build(), DateTimeOffset.UtcNow);

    [Fact]
    public void Nodes_ready_counts_the_Ready_condition_not_text()
    {
        Assert.Equal(GateOutcome.Passed, Eval(ClusterBuilder.HomeOps(), "nodes-ready", ("count", "3")).Outcome);

        // mini02's Ready condition is False with a reason that contains "Ready": a grep would count it.
        var b = ClusterBuilder.HomeOps().Node("mini02", "False", "172.29.51.12", reason: "KubeletNotReady");
        var r = Eval(b, "nodes-ready", ("count", "3"));
        Assert.Equal(GateOutcome.Failed, r.Outcome);
        Assert.Contains("2 of 3 nodes Ready", r.Message);
        Assert.Contains("mini02 (Ready=False (KubeletNotReady))", r.Message);
    }

    [Fact]
    public void Ready_Unknown_is_not_Ready()
    {
        var b = ClusterBuilder.HomeOps().Node("mini03", "Unknown", "172.29.51.13", reason: "NodeStatusUnknown");
        Assert.Equal(GateOutcome.Failed, Eval(b, "nodes-ready", ("count", "3")).Outcome);
        Assert.Equal(GateOutcome.Failed, Eval(b, "node-ready", ("node", "mini03")).Outcome);
        Assert.Equal(GateOutcome.Passed, Eval(b, "node-not-ready", ("node", "mini03")).Outcome);
        Assert.Equal(GateOutcome.Failed, Eval(b, "node-not-ready", ("node", "mini01")).Outcome);
    }

    [Fact]
    public void A_node_that_is_gone_counts_as_not_ready()
    {
        var b = ClusterBuilder.HomeOps().Remove(Kinds.Node, "mini02");
        Assert.Equal(GateOutcome.Passed, Eval(b, "node-not-ready", ("node", "mini02")).Outcome);
        Assert.Equal(GateOutcome.Failed, Eval(b, "node-ready", ("node", "mini02")).Outcome);
        Assert.Equal(GateOutcome.Failed, Eval(b, "nodes-registered", ("count", "3")).Outcome);
    }

    [Fact]
    public void Registered_NotReady_nodes_pass_nodes_registered()
    {
        var b = new ClusterBuilder().Node("mini01", "False", "172.29.51.11").Node("mini02", "False", "172.29.51.12").Node("mini03", "False", "172.29.51.13");
        Assert.Equal(GateOutcome.Passed, Eval(b, "nodes-registered", ("count", "3")).Outcome);
        Assert.Equal(GateOutcome.Failed, Eval(b, "nodes-ready", ("count", "3")).Outcome);
    }

    [Fact]
    public void A_gate_over_stale_data_says_so_and_does_not_pass()
    {
        var b = ClusterBuilder.HomeOps().Feed(Kinds.Node, FeedState.Reconnecting);
        var r = Eval(b, "nodes-ready", ("count", "3"));
        Assert.Equal(GateOutcome.Unknown, r.Outcome);
        Assert.True(r.Blocks);
        Assert.Contains("not live", r.Message);
        Assert.Contains("stale", r.Message);

        var connecting = ClusterBuilder.HomeOps().Feed(Kinds.Kustomization, FeedState.Connecting);
        Assert.Equal(GateOutcome.Unknown, Eval(connecting, "kustomization-ready", ("name", "flux-system")).Outcome);
    }

    [Fact]
    public void Kustomization_ready_reads_Ready_and_treats_suspended_and_old_generations_as_not_ready()
    {
        Assert.Equal(GateOutcome.Passed, Eval(ClusterBuilder.HomeOps(), "kustomization-ready", ("name", "flux-system")).Outcome);
        var suspended = ClusterBuilder.HomeOps().Kustomization("flux-system", "flux-system", "True", "ReconciliationSucceeded", suspended: true);
        var s = Eval(suspended, "kustomization-ready", ("name", "flux-system"), ("namespace", "flux-system"));
        Assert.Equal(GateOutcome.Failed, s.Outcome);
        Assert.Contains("suspended", s.Message);
        var old = ClusterBuilder.HomeOps().Kustomization("flux-system", "flux-system", "True", "ReconciliationSucceeded", generation: 3, observed: 2);
        Assert.Equal(GateOutcome.Unknown, Eval(old, "kustomization-ready", ("name", "flux-system")).Outcome);
        Assert.Equal(GateOutcome.Failed, Eval(ClusterBuilder.HomeOps(), "kustomization-ready", ("name", "apps")).Outcome);
    }

    [Fact]
    public void All_kustomizations_ready_names_the_failing_ones_and_lists_suspended_ones_separately()
    {
        var b = ClusterBuilder.HomeOps()
            .Kustomization("flux-system", "infrastructure-authentik", "False", "DependencyNotReady")
            .Kustomization("flux-system", "apps-headlamp", "True", "ReconciliationSucceeded", suspended: true);
        var r = Eval(b, "all-kustomizations-ready");
        Assert.Equal(GateOutcome.Failed, r.Outcome);
        Assert.Contains("infrastructure-authentik (DependencyNotReady)", r.Message);
        Assert.Contains("suspended (not checked): apps-headlamp", r.Message);
        Assert.Equal(GateOutcome.Failed, Eval(new ClusterBuilder(), "all-kustomizations-ready").Outcome);
    }

    [Fact]
    public void HelmRelease_ready_and_stalled()
    {
        var ok = ClusterBuilder.HomeOps().HelmRelease("longhorn-system", "longhorn", "True", "UpgradeSucceeded");
        Assert.Equal(GateOutcome.Passed, Eval(ok, "helmrelease-ready", ("namespace", "longhorn-system"), ("name", "longhorn")).Outcome);
        var stalled = ClusterBuilder.HomeOps().HelmRelease("longhorn-system", "longhorn", "False", "InstallFailed", stalled: true);
        var r = Eval(stalled, "helmrelease-ready", ("namespace", "longhorn-system"), ("name", "longhorn"));
        Assert.Equal(GateOutcome.Failed, r.Outcome);
        Assert.Contains("Stalled", r.Message);
    }

    [Fact]
    public void Bgp_peers_established_fails_with_an_explanation_when_no_peer_is_known()
    {
        var v1Only = ClusterBuilder.HomeOps().BgpPeeringPolicy("bgp-peering-policy");
        var r = Eval(v1Only, "bgp-peers-established");
        Assert.Equal(GateOutcome.Failed, r.Outcome);
        Assert.Contains("no BGP peers known", r.Message);
        Assert.Contains("BGPv1", r.Message);
        Assert.Contains("apps:deploy-cilium", r.Message);

        var notInstalled = ClusterBuilder.HomeOps().Feed(Kinds.BgpNodeConfig, FeedState.NotInstalled);
        Assert.Equal(GateOutcome.Failed, Eval(notInstalled, "bgp-peers-established").Outcome);
    }

    [Fact]
    public void Bgp_peers_established_needs_every_peer_of_every_node_config()
    {
        var up = ClusterBuilder.HomeOps().BgpNodeConfig("mini01", "established").BgpNodeConfig("mini02", "established");
        Assert.Equal(GateOutcome.Passed, Eval(up, "bgp-peers-established").Outcome);
        var oneDown = up.BgpNodeConfig("mini03", "active");
        var r = Eval(oneDown, "bgp-peers-established");
        Assert.Equal(GateOutcome.Failed, r.Outcome);
        Assert.Contains("2 of 3 BGP sessions established", r.Message);
        Assert.Contains("mini03→172.29.51.1 (active)", r.Message);
    }

    [Fact]
    public void Longhorn_gates_read_conditions_and_robustness()
    {
        Assert.Equal(GateOutcome.Passed, Eval(ClusterBuilder.HomeOps(), "longhorn-nodes-ready").Outcome);
        Assert.Equal(GateOutcome.Failed, Eval(ClusterBuilder.HomeOps().LonghornNode("mini02", false), "longhorn-nodes-ready").Outcome);

        var idle = ClusterBuilder.HomeOps().Volume("pvc-old", "detached", "unknown", 2, "", null);
        Assert.Equal(GateOutcome.Passed, Eval(idle, "volumes-healthy").Outcome);
        var degraded = ClusterBuilder.HomeOps().Volume("pvc-db", "attached", "degraded", 2, "mini03", null, pvc: ("database", "pg-1"));
        var r = Eval(degraded, "volumes-healthy");
        Assert.Equal(GateOutcome.Failed, r.Outcome);
        Assert.Contains("pvc-db [database/pg-1] (attached, degraded)", r.Message);
    }

    [Fact]
    public void Pods_running_is_honestly_not_observable()
    {
        var r = Eval(ClusterBuilder.HomeOps(), "pods-running", ("namespace", "longhorn-system"));
        Assert.Equal(GateOutcome.Skipped, r.Outcome);
        Assert.False(r.Blocks);
        Assert.Contains("not observable yet (pods are not watched)", r.Message);
    }

    [Fact]
    public void A_gate_with_bad_arguments_is_unknown_never_passed()
    {
        var r = Gates.Evaluate("nodes-ready", new Dictionary<string, string>(), ClusterBuilder.HomeOps().Build(), DateTimeOffset.UtcNow);
        Assert.Equal(GateOutcome.Unknown, r.Outcome);
        Assert.Equal(GateOutcome.Unknown, Gates.Evaluate("no-such-gate", new Dictionary<string, string>(), ClusterBuilder.HomeOps().Build(), DateTimeOffset.UtcNow).Outcome);
    }

    [Fact]
    public async Task A_waiting_gate_passes_as_soon_as_the_live_model_changes()
    {
        var b = ClusterBuilder.HomeOps().Node("mini02", "False", "172.29.51.12");
        var store = b.BuildStore();
        var waiter = new GateWaiter(Gates, new ClusterStoreStateSource(store), TimeProvider.System, TimeSpan.FromSeconds(30));
        var pending = waiter.EvaluateAsync("node-ready", new Dictionary<string, string> { ["node"] = "mini02" }, TimeSpan.FromSeconds(20), false, TestContext.Current.CancellationToken);
        Assert.False(pending.IsCompleted);
        b.Node("mini02", "True", "172.29.51.12").Apply(store);
        var r = await pending.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(GateOutcome.Passed, r.Outcome);
    }
}
