using HomeOps.Operations.Gates;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Tests;

public class ShippedDefinitionsTests
{
    private static readonly WorkflowCatalog Catalog = new(GateRegistry.CreateDefault());

    [Fact]
    public void Every_shipped_file_is_embedded_and_loads_without_errors()
    {
        var files = WorkflowCatalog.ReadShipped().Select(f => f.Name).ToList();
        Assert.Equal(["10-bootstrap.yaml", "20-cluster.yaml", "30-apps.yaml"], files);
        Assert.Equal(
            ["bootstrap:phased", "cluster:safe-reset", "cluster:safe-reboot", "cluster:emergency-recovery", "talos:recover-kubeconfig", "cluster:rejoin-node", "cluster:recover",
             "etcd:members", "etcd:remove-member", "apps:deploy-cilium"],
            Catalog.All.Select(w => w.Id));
    }

    [Fact]
    public void Every_WorkflowIds_constant_names_a_shipped_workflow_and_every_shipped_workflow_has_one()
    {
        // The constants are what code uses to name a workflow; a renamed id in the YAML must fail here, not at run time.
        var constants = typeof(WorkflowIds).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Equal(Catalog.All.Select(w => w.Id).Order(StringComparer.Ordinal), constants.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Bootstrap_phases_come_in_their_real_order_with_the_real_tasks()
    {
        var b = Catalog.Find(WorkflowIds.BootstrapPhased)!;
        Assert.Equal(["clear-state", "init-state", "phase-1", "phase-2", "phase-3", "phase-4", "phase-5", "phase-6"], b.Steps.Select(s => s.Id));
        Assert.Equal(
            ["bootstrap:reset", "bootstrap:init-state", "bootstrap:phase-1-environment", "bootstrap:phase-2-cluster", "bootstrap:phase-3-networking",
             "bootstrap:phase-4-services", "bootstrap:phase-5-gitops", "bootstrap:applications:deploy"],
            b.Steps.Select(s => s.Argv[1]));
        Assert.All(b.Steps, s => Assert.Equal("task", s.Argv[0]));
        Assert.True(b.Destructive);
    }

    [Fact]
    public void Bootstrap_gates_follow_the_phase_contracts()
    {
        var steps = Catalog.Find(WorkflowIds.BootstrapPhased)!.Steps.ToDictionary(s => s.Id);
        // Phase 2 leaves nodes NotReady (no CNI yet): registered, not Ready.
        Assert.Equal("nodes-registered", Assert.Single(steps["phase-2"].After).Name);
        // Phase 3: three nodes Ready by condition, and the BGP gate that fails until apps:deploy-cilium.
        Assert.Contains(steps["phase-3"].After, g => g is { Name: "nodes-ready" } && g.Args["count"] == "3");
        // Issue 13 c: phase 3 gates what is observable (the agent per node, nodes Ready); BGP only advisory.
        Assert.Contains(steps["phase-3"].After, g => g.Name == "cilium-agents-ready" && !g.Advisory);
        Assert.Contains(steps["phase-3"].After, g => g.Name == "bgp-peers-established" && g.Advisory);
        Assert.Contains(steps["phase-4"].Before, g => g.Name == "nodes-ready");
        // Issue 13 d: phase 4 gates the secrets pipeline it deploys.
        Assert.Contains(steps["phase-4"].After, g => g.Name == "secret-store-ready" && g.Args["name"] == "onepassword-connect");
        Assert.Contains(steps["phase-4"].After, g => g.Name == "external-secrets-synced");
        Assert.Contains(steps["phase-6"].After, g => g.Name == "loadbalancer-address" && g.Args["address"] == "172.29.52.200");
        Assert.Contains(steps["phase-5"].After, g => g.Name == "kustomization-ready" && g.Args["name"] == "flux-system");
        Assert.Contains(steps["phase-6"].After, g => g.Name == "all-kustomizations-ready");
        // Issue 13 c: the dashboard's probe of the ingress VIP — recorded (advisory) after phases 3 and 6, where BGP is still off.
        Assert.Contains(steps["phase-3"].After, g => g.Name == "ingress-vip-reachable" && g.Advisory && g.Args["address"] == "172.29.52.200");
        Assert.Contains(steps["phase-6"].After, g => g.Name == "ingress-vip-reachable" && g.Advisory);
        var cilium = Assert.Single(Catalog.Find("apps:deploy-cilium")!.Steps);
        Assert.Contains(cilium.After, g => g.Name == "ingress-vip-reachable" && !g.Advisory && g.Wait > TimeSpan.Zero);
    }

    [Fact]
    public void Force_rerun_of_a_phase_runs_the_repositorys_force_phase_not_the_phase_again()
    {
        // Issue 13 a: `task bootstrap:phase-N-…` with its marker present is "up to date" and exits 0.
        var steps = Catalog.Find(WorkflowIds.BootstrapPhased)!.Steps.ToDictionary(s => s.Id);
        for (var n = 1; n <= 5; n++)
            Assert.Equal(["task", "bootstrap:force-phase", $"PHASE={n}"], steps[$"phase-{n}"].ForceArgv);
        Assert.Equal(["task", "--yes", "bootstrap:applications:reset-state", "bootstrap:applications:deploy", "bootstrap:applications:validate"], steps["phase-6"].ForceArgv);
    }

    [Fact]
    public void Rebuilding_after_a_reset_clears_the_checkout_state_first()
    {
        // Issue 13 b: the markers survive a reset; after-reset=yes runs `task bootstrap:reset --yes` before the phases.
        var b = Catalog.Find(WorkflowIds.BootstrapPhased)!;
        var p = b.FindParameter("after-reset")!;
        Assert.Equal(["no", "yes"], p.Values);
        var clear = b.Steps[0];
        Assert.Equal(["task", "bootstrap:reset", "--yes"], clear.Argv);
        Assert.Equal(new StepCondition("after-reset", "yes"), clear.When);
        Assert.All(b.Steps.Skip(1), s => Assert.Null(s.When));
    }

    [Fact]
    public void Kubeconfig_recovery_writes_under_the_data_directory_from_a_chosen_node()
    {
        // Issue 13 g: talosctl kubeconfig wrote ~/.kube/config (read-only root filesystem in the pod), always from mini01.
        foreach (var (id, argv) in new[]
                 {
                     (WorkflowIds.RecoverKubeconfig, new[] { "task", "talos:recover-kubeconfig", "NODE_1_IP={source-node:ip}" }),
                     (WorkflowIds.EmergencyRecovery, new[] { "task", "cluster:emergency-recovery" }),
                 })
        {
            var w = Catalog.Find(id)!;
            Assert.Equal(ParameterType.Node, w.FindParameter("source-node")!.Type);
            var step = w.Steps[0];
            Assert.Equal(argv, step.Argv);
            Assert.Equal("{recovered-kubeconfig}", step.Env["KUBECONFIG"]);
        }
        Assert.Equal("{source-node:ip}", Catalog.Find(WorkflowIds.EmergencyRecovery)!.Steps[0].Env["NODE_1_IP"]);
    }

    [Fact]
    public void Single_node_rejoin_applies_the_configs_and_waits_for_that_node_to_be_Ready()
    {
        // Issue 13 i: a node reset on its own rejoins with `task talos:apply-config-only`, then must turn Ready.
        var w = Catalog.Find(WorkflowIds.RejoinNode)!;
        Assert.True(w.Destructive);
        Assert.Equal(ParameterType.Node, w.FindParameter("target-node")!.Type);
        var step = Assert.Single(w.Steps);
        Assert.Equal(["task", "talos:apply-config-only"], step.Argv);
        Assert.Equal("talos/generated/talosconfig", step.Env["TALOSCONFIG"]);
        Assert.Contains(step.After, g => g.Name == "node-ready" && g.Args["node"] == "{target-node}" && !g.Advisory);
        Assert.Contains(w.Caveats, c => c.Contains("all three nodes"));
    }

    [Fact]
    public void Cluster_recover_runs_the_task_with_its_account_in_the_environment_and_waits_for_the_nodes()
    {
        // Issue 13 i: `task cluster:recover`. Its `source .env` runs in its own shell, so OP_ACCOUNT must be in the
        // environment for talos:restore-secrets' precondition; the step declares it (the child env is an allowlist).
        var w = Catalog.Find(WorkflowIds.Recover)!;
        var step = Assert.Single(w.Steps);
        Assert.Equal(["task", "cluster:recover"], step.Argv);
        Assert.Equal("{op-account}", step.Env["OP_ACCOUNT"]);
        Assert.Equal("{recovered-kubeconfig}", step.Env["KUBECONFIG"]);
        Assert.Contains(step.After, g => g.Name == "nodes-ready" && g.Args["count"] == "3" && !g.Advisory);
    }

    [Fact]
    public void Stale_etcd_members_are_read_from_Talos_and_removed_through_a_healthy_node()
    {
        // Issue 13 i: after a partial reset (--graceful=false) the reset node stays an etcd member.
        Assert.Equal(["talosctl", "etcd", "members", "--nodes", "{via-node:ip}", "--endpoints", "{via-node:ip}"], Assert.Single(Catalog.Find(WorkflowIds.EtcdMembers)!.Steps).Argv);
        var w = Catalog.Find(WorkflowIds.EtcdRemoveMember)!;
        Assert.True(w.Destructive);
        Assert.Equal(["before", "remove", "after"], w.Steps.Select(s => s.Id));
        Assert.Equal(["talosctl", "etcd", "remove-member", "{member-id}", "--nodes", "{via-node:ip}", "--endpoints", "{via-node:ip}"], w.Steps[1].Argv);
        Assert.Contains(w.Steps[0].Before, g => g.Name == "node-ready" && g.Args["node"] == "{via-node}");
    }

    [Fact]
    public void Bootstrap_shows_its_known_defects_as_caveats()
    {
        var caveats = string.Join("\n", Catalog.Find(WorkflowIds.BootstrapPhased)!.Caveats);
        Assert.Contains("etcd on Talos is a system service, not a pod", caveats);
        Assert.Contains("bgpControlPlane.enabled=false", caveats);
        Assert.Contains("apps:deploy-cilium", caveats);
        Assert.Contains("\"home-ops\"", caveats);
        Assert.Contains("chicken-and-egg", caveats);
    }

    [Fact]
    public void Safe_reset_runs_the_task_with_confirm_and_nodes_from_the_live_list_and_warns_about_its_defects()
    {
        var w = Catalog.Find(WorkflowIds.SafeReset)!;
        Assert.True(w.Destructive);
        Assert.Equal("SAFE-RESET", w.Confirmation!.Phrase);
        var nodes = w.FindParameter("nodes")!;
        Assert.Equal(ParameterType.NodeList, nodes.Type);
        Assert.Equal("live-nodes", nodes.Source);
        Assert.True(nodes.Required);
        // Issue 13 i: task maintenance:backup is the default first step; skipping it is an explicit choice.
        var backup = w.Steps[0];
        Assert.Equal(["task", "maintenance:backup"], backup.Argv);
        Assert.Equal(new StepCondition("backup", "take"), backup.When);
        Assert.Equal("take", w.FindParameter("backup")!.Default);
        var reset = w.Steps[1];
        Assert.Equal(["task", "cluster:safe-reset", "CONFIRM=SAFE-RESET", "NODES={nodes:ips}"], reset.Argv);
        Assert.Equal("SAFE-RESET", reset.Env["CONFIRM"]);
        Assert.Equal("{nodes:ips}", reset.Env["NODES"]);
        Assert.Equal(PreflightImpact.Wipe, w.Preflight!.Impact);
        Assert.Equal("full-cluster", w.Preflight.FullClusterValue);
        var warnings = string.Join("\n", w.Preflight.Warnings);
        Assert.Contains("--graceful=false", warnings);
        Assert.Contains("remain etcd members", warnings);
        Assert.Contains("omit --reboot", warnings);
    }

    [Fact]
    public void Safe_reboot_is_rolling_and_gated_on_the_previous_node()
    {
        var w = Catalog.Find(WorkflowIds.SafeReboot)!;
        var reboot = Assert.Single(w.Steps);
        Assert.Equal("nodes", reboot.ForEach);
        Assert.Equal("nodes", w.Confirmation!.NodeNamesParameter);
        Assert.True(w.Preflight!.Rolling);
        Assert.Contains(reboot.Before, g => g.Name == "nodes-ready" && g.Wait > TimeSpan.Zero);
        Assert.Contains(reboot.After, g => g.Name == "node-ready" && g.Args["node"] == "{node}");
        Assert.Contains("{node:ip}", reboot.Argv);
        // Issue 13 i: etcd health from Talos before and after each node's reboot, blocking (not advisory), waited for.
        Assert.Contains(reboot.Before, g => g is { Name: "etcd-healthy", Advisory: false } && g.Args["count"] == "3" && g.Wait > TimeSpan.Zero);
        Assert.Contains(reboot.After, g => g is { Name: "etcd-healthy", Advisory: false } && g.Args["count"] == "3" && g.Wait > TimeSpan.Zero);
    }

    [Fact]
    public void Emergency_recovery_is_a_read_only_assessment_answering_y()
    {
        var w = Catalog.Find(WorkflowIds.EmergencyRecovery)!;
        Assert.False(w.Destructive);
        Assert.Equal("y\n", w.Steps[0].Stdin);
        Assert.All(w.Steps[0].After, g => Assert.True(g.Advisory));
        Assert.Contains(w.Caveats, c => c.Contains("mini01"));
    }

    [Fact]
    public void Deploy_cilium_is_the_1_17_6_task_and_is_gated_on_bgp()
    {
        var w = Catalog.Find(WorkflowIds.DeployCilium)!;
        Assert.Equal(["task", "apps:deploy-cilium"], w.Steps[0].Argv);
        Assert.Contains(w.Steps[0].After, g => g.Name == "bgp-peers-established");
        Assert.Contains(w.Caveats, c => c.Contains("1.19"));
    }
}
