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
        // Issue 13 c: with only the BGPv1 policy the API reports no sessions: not observable (never Passed), not a failure.
        var v1Only = ClusterBuilder.HomeOps().BgpPeeringPolicy("bgp-peering-policy");
        var r = Eval(v1Only, "bgp-peers-established");
        Assert.Equal(GateOutcome.Skipped, r.Outcome);
        Assert.Contains("BGPv1", r.Message);

        var nothing = Eval(ClusterBuilder.HomeOps(), "bgp-peers-established");
        Assert.Equal(GateOutcome.Failed, nothing.Outcome);
        Assert.Contains("no BGP peers known", nothing.Message);
        Assert.Contains("apps:deploy-cilium", nothing.Message);

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
    public void No_gate_always_reports_skipped_and_pods_running_is_gone()
    {
        // Issue 13 d: pods-running always said Skipped, so phase 4 was effectively ungated.
        Assert.Null(Gates.Find("pods-running"));
        var healthy = ClusterBuilder.HomeOps().SecretStore("onepassword-connect", true).ExternalSecret("authentik", "authentik-config", true)
            .LoadBalancer("ingress-nginx-internal", "ingress-nginx-internal-controller", "172.29.52.200").BgpNodeConfig("mini01", "established");
        var args = new Dictionary<string, (string, string)[]>
        {
            ["nodes-ready"] = [("count", "3")], ["nodes-registered"] = [("count", "3")], ["node-ready"] = [("node", "mini01")],
            ["node-not-ready"] = [("node", "mini01")], ["kustomization-ready"] = [("name", "flux-system"), ("namespace", "flux-system")],
            ["helmrelease-ready"] = [("namespace", "x"), ("name", "y")], ["secret-store-ready"] = [("name", "onepassword-connect")],
            ["loadbalancer-address"] = [("namespace", "ingress-nginx-internal"), ("name", "ingress-nginx-internal-controller"), ("address", "172.29.52.200")],
        };
        foreach (var gate in Gates.All)
            Assert.NotEqual(GateOutcome.Skipped, Eval(healthy, gate.Name, args.GetValueOrDefault(gate.Name) ?? []).Outcome);
    }

    [Fact]
    public void Phase_4_gates_read_the_secret_store_and_the_external_secrets()
    {
        Assert.Equal(GateOutcome.Failed, Eval(ClusterBuilder.HomeOps(), "secret-store-ready", ("name", "onepassword-connect")).Outcome);
        var down = Eval(ClusterBuilder.HomeOps().SecretStore("onepassword-connect", false), "secret-store-ready", ("name", "onepassword-connect"));
        Assert.Equal(GateOutcome.Failed, down.Outcome);
        Assert.Contains("ValidationFailed", down.Message);
        Assert.Equal(GateOutcome.Passed, Eval(ClusterBuilder.HomeOps().SecretStore("onepassword-connect", true), "secret-store-ready", ("name", "onepassword-connect")).Outcome);

        var es = ClusterBuilder.HomeOps().ExternalSecret("authentik", "authentik-config", true).ExternalSecret("longhorn-system", "longhorn-s3-backup-credentials", false);
        var r = Eval(es, "external-secrets-synced");
        Assert.Equal(GateOutcome.Failed, r.Outcome);
        Assert.Contains("1 of 2 ExternalSecrets synced", r.Message);
        Assert.Contains("longhorn-s3-backup-credentials", r.Message);
        Assert.Equal(GateOutcome.Unknown, Eval(es.Feed(Kinds.ExternalSecret, FeedState.Reconnecting), "external-secrets-synced").Outcome);
    }

    [Fact]
    public void Phase_3_gates_read_the_cilium_agent_per_node_the_vip_and_bgp_only_where_reported()
    {
        Assert.Equal(GateOutcome.Passed, Eval(ClusterBuilder.HomeOps(), "cilium-agents-ready").Outcome);
        var fresh = ClusterBuilder.HomeOps().Remove(Kinds.Node, "mini02").Node("mini02", "False", "172.29.51.12", network: null);
        var r = Eval(fresh, "cilium-agents-ready");
        Assert.Equal(GateOutcome.Failed, r.Outcome);
        Assert.Contains("mini02 (no NetworkUnavailable condition", r.Message);
        var tainted = ClusterBuilder.HomeOps().Remove(Kinds.Node, "mini03").Node("mini03", "True", "172.29.51.13", taints: new Taint("node.cilium.io/agent-not-ready", null, "NoSchedule"));
        Assert.Equal(GateOutcome.Failed, Eval(tainted, "cilium-agents-ready").Outcome);

        var vip = new[] { ("namespace", "ingress-nginx-internal"), ("name", "ingress-nginx-internal-controller"), ("address", "172.29.52.200") };
        Assert.Equal(GateOutcome.Failed, Eval(ClusterBuilder.HomeOps().LoadBalancer("ingress-nginx-internal", "ingress-nginx-internal-controller"), "loadbalancer-address", vip).Outcome);
        Assert.Equal(GateOutcome.Passed, Eval(ClusterBuilder.HomeOps().LoadBalancer("ingress-nginx-internal", "ingress-nginx-internal-controller", "172.29.52.200"), "loadbalancer-address", vip).Outcome);

        // BGPv1 only: the API reports no session state, so the gate says so and does not block; BGPv2 status is judged.
        var v1 = Eval(ClusterBuilder.HomeOps().BgpPeeringPolicy("bgp-peering-policy"), "bgp-peers-established");
        Assert.Equal(GateOutcome.Skipped, v1.Outcome);
        Assert.False(v1.Blocks);
        Assert.Equal(GateOutcome.Failed, Eval(ClusterBuilder.HomeOps().BgpPeeringPolicy("p").BgpNodeConfig("mini01", "active"), "bgp-peers-established").Outcome);
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
