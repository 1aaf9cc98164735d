using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Guards;
using HomeOps.Operations.Tests.Support;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Tests;

public class PreflightTests
{
    private static readonly WorkflowCatalog Catalog = new(GateRegistry.CreateDefault());

    private static PreflightReport Compute(string workflow, ClusterBuilder b, string nodes, string? scope = null, string? dashboardNode = "elsewhere")
    {
        var def = Catalog.Find(workflow)!;
        var state = b.Build();
        var input = new Dictionary<string, string?> { ["nodes"] = nodes };
        if (scope is not null) input["scope"] = scope;
        Assert.Empty(InputValidator.Validate(def, input, state, out var p));
        return new PreflightCalculator(dashboardNode, TimeSpan.FromDays(8)).Compute(def, p, state, DateTimeOffset.UtcNow);
    }

    private static PreflightItem Item(PreflightReport r, string check, PreflightSeverity severity) =>
        Assert.Single(r.Items, i => i.Check == check && i.Severity == severity);

    [Fact]
    public void Resetting_one_of_three_keeps_quorum_and_warns_about_stale_etcd_members_and_the_missing_reboot()
    {
        var r = Compute(WorkflowIds.SafeReset, ClusterBuilder.HomeOps(), "mini02");
        Assert.False(r.IsBlocked, r.Summary);
        Assert.Contains("2 of 3 control-plane nodes stay Ready", Item(r, "quorum", PreflightSeverity.Info).Message);
        Assert.Contains(r.Warnings, w => w.Message.Contains("--graceful=false"));
        Assert.Contains(r.Warnings, w => w.Message.Contains("omit --reboot"));
        Assert.StartsWith("OK: wipe of mini02", r.Summary);
    }

    [Fact]
    public void Resetting_two_of_three_loses_quorum_and_is_blocked_unless_full_cluster_is_chosen()
    {
        var r = Compute(WorkflowIds.SafeReset, ClusterBuilder.HomeOps(), "mini01,mini02");
        Assert.True(r.IsBlocked);
        var q = Item(r, "quorum", PreflightSeverity.Blocking).Message;
        Assert.Contains("leaves 1 of 3", q);
        Assert.Contains("quorum needs 2", q);
        Assert.Contains("full-cluster", q);
    }

    [Fact]
    public void A_node_already_down_counts_against_quorum()
    {
        var b = ClusterBuilder.HomeOps().Node("mini03", "Unknown", "172.29.51.13");
        var r = Compute(WorkflowIds.SafeReset, b, "mini01");
        Assert.True(r.IsBlocked);
        Assert.Contains("already not Ready: mini03", Item(r, "quorum", PreflightSeverity.Blocking).Message);
    }

    [Fact]
    public void Full_cluster_must_select_every_node_and_then_only_warns()
    {
        var partial = Compute(WorkflowIds.SafeReset, ClusterBuilder.HomeOps(), "mini01,mini02", scope: "full-cluster");
        Assert.True(partial.IsBlocked);
        Assert.Contains("mini03 is not selected", Item(partial, "quorum", PreflightSeverity.Blocking).Message);

        var all = Compute(WorkflowIds.SafeReset, ClusterBuilder.HomeOps(), "mini01,mini02,mini03", scope: "full-cluster");
        Assert.False(all.IsBlocked, all.Summary);
        Assert.Contains("re-bootstrapped", Item(all, "quorum", PreflightSeverity.Warning).Message);
        Assert.Contains(all.Warnings, w => w.Check == "volumes" && w.Message.Contains("full-cluster reset"));
        Assert.DoesNotContain(all.Warnings, w => w.Message.Contains("--graceful=false")); // a partial-reset defect
    }

    [Fact]
    public void A_single_replica_volume_would_lose_its_last_replica()
    {
        var b = ClusterBuilder.HomeOps().Volume("pvc-cache", "attached", "healthy", 1, "mini03", DateTimeOffset.UtcNow.AddHours(-3), pvc: ("home", "cache"));
        var r = Compute(WorkflowIds.SafeReset, b, "mini02");
        Assert.True(r.IsBlocked);
        var block = Item(r, "volumes", PreflightSeverity.Blocking);
        // Named as people name it (namespace/claim); the volume's pvc-<uid> name stays with it as its identifier.
        Assert.StartsWith("home/cache would lose its last healthy replica", block.Message);
        Assert.Equal(new PreflightSubject("home/cache", "pvc-cache"), Assert.Single(block.Listed));
        Assert.Contains("home/cache [pvc-cache]", r.Summary);
        Assert.Contains(r.Items, i => i.Check == "volumes" && i.Message.Contains("replica placement is estimated"));
    }

    [Fact]
    public void A_degraded_volume_is_assumed_to_have_one_healthy_replica_and_blocks()
    {
        var b = ClusterBuilder.HomeOps().Volume("pvc-db", "attached", "degraded", 2, "mini01", null);
        var r = Compute(WorkflowIds.SafeReboot, b, "mini03");
        Assert.True(r.IsBlocked);
        Assert.Contains("no healthy replica while its node is down", Item(r, "volumes", PreflightSeverity.Blocking).Message);
    }

    [Fact]
    public void Healthy_replicated_volumes_only_warn_that_they_drop_below_their_count_and_backups_are_listed()
    {
        var r = Compute(WorkflowIds.SafeReset, ClusterBuilder.HomeOps().Volume("pvc-new", "attached", "healthy", 3, "mini01", null), "mini02");
        Assert.False(r.IsBlocked, r.Summary);
        Assert.Contains(r.Warnings, w => w.Check == "volumes" && w.Message.Contains("drop below their replica count") && w.Text.Contains("pvc-new (2 of 3 left)"));
        Assert.Contains(r.Warnings, w => w.Message.Contains("attached on a target node") && w.Text.Contains("on mini02"));
        var backups = Item(r, "backups", PreflightSeverity.Info).Text;
        Assert.Contains("monitoring/grafana [pvc-grafana] (24 h ago)", backups);
        Assert.Contains("pvc-new (never)", backups);
        Assert.Equal("1 volume never backed up: pvc-new", Item(r, "backups", PreflightSeverity.Warning).Text);
    }

    [Fact]
    public void Rolling_reboot_judges_one_node_at_a_time()
    {
        var r = Compute(WorkflowIds.SafeReboot, ClusterBuilder.HomeOps(), "mini01,mini02,mini03");
        Assert.False(r.IsBlocked, r.Summary);
        Assert.Contains("2 of 3 control-plane nodes stay Ready", Item(r, "quorum", PreflightSeverity.Info).Message);

        var oneDown = Compute(WorkflowIds.SafeReboot, ClusterBuilder.HomeOps().Node("mini03", "False", "172.29.51.13"), "mini01");
        Assert.True(oneDown.IsBlocked);
    }

    [Fact]
    public void The_dashboards_own_node()
    {
        var unknown = Compute(WorkflowIds.SafeReset, ClusterBuilder.HomeOps(), "mini02", dashboardNode: null);
        Assert.Contains("NODE_NAME", Item(unknown, "dashboard", PreflightSeverity.Warning).Message);

        var onTarget = Compute(WorkflowIds.SafeReset, ClusterBuilder.HomeOps(), "mini02", dashboardNode: "mini02");
        Assert.True(onTarget.IsBlocked);
        Assert.Contains("runs on mini02, a reset target", Item(onTarget, "dashboard", PreflightSeverity.Blocking).Message);

        var reboot = Compute(WorkflowIds.SafeReboot, ClusterBuilder.HomeOps(), "mini02", dashboardNode: "mini02");
        Assert.False(reboot.IsBlocked);
        Assert.Contains("interrupted", Item(reboot, "dashboard", PreflightSeverity.Warning).Message);
    }

    [Fact]
    public void Open_failures_elsewhere_are_listed()
    {
        var b = ClusterBuilder.HomeOps().Failed(Kinds.HelmRelease.Key, "authentik", "authentik", "UpgradeFailed");
        var r = Compute(WorkflowIds.SafeReset, b, "mini02");
        Assert.Contains("HelmRelease authentik/authentik (UpgradeFailed)", Item(r, "failures", PreflightSeverity.Warning).Message);
    }

    [Fact]
    public void Stale_node_or_volume_data_blocks_a_destructive_run()
    {
        var r = Compute(WorkflowIds.SafeReset, ClusterBuilder.HomeOps().Feed(Kinds.LonghornVolume, FeedState.Reconnecting), "mini02");
        Assert.True(r.IsBlocked);
        Assert.Contains("cannot assess volume replicas", Item(r, "volumes", PreflightSeverity.Blocking).Message);
        var n = Compute(WorkflowIds.SafeReset, ClusterBuilder.HomeOps().Feed(Kinds.Node, FeedState.Reconnecting), "mini02");
        Assert.Contains("cannot assess etcd quorum", Item(n, "quorum", PreflightSeverity.Blocking).Message);
    }

    [Fact]
    public void Findings_are_grouped_by_kind_each_led_by_its_count_and_worst_item_and_the_decision_names_what_blocks()
    {
        var b = ClusterBuilder.HomeOps()
            .Volume("pvc-cache", "attached", "healthy", 1, "mini03", DateTimeOffset.UtcNow.AddHours(-3), pvc: ("home", "cache"))
            .Volume("pvc-new", "attached", "healthy", 3, "mini02", null, pvc: ("media", "library"));
        var r = Compute(WorkflowIds.SafeReset, b, "mini02", dashboardNode: "mini02");

        Assert.True(r.IsBlocked);
        Assert.Equal("Blocked by data at risk, the dashboard's own placement", r.Decision);
        var groups = r.Groups;
        // Blocking groups first, in reading order; every item lands in exactly one group.
        Assert.Equal([PreflightKind.DataAtRisk, PreflightKind.DashboardPlacement], groups.TakeWhile(g => g.Severity == PreflightSeverity.Blocking).Select(g => g.Kind));
        Assert.Equal(r.Items.Length, groups.Sum(g => g.Items.Length));
        Assert.Equal(groups.Count, groups.Select(g => g.Kind).Distinct().Count());

        var data = groups[0];
        Assert.Equal("Data at risk", data.Title);
        Assert.Equal(PreflightSeverity.Blocking, data.Worst.Severity);
        Assert.StartsWith("home/cache would lose its last healthy replica", data.Worst.Message);
        // Blocks and warnings are counted; the "placement is estimated" note is not.
        Assert.Equal(data.Items.Count(i => i.Severity != PreflightSeverity.Info), data.Count);
        Assert.DoesNotContain(data.Worst, data.Rest);
        Assert.Contains(data.Rest, i => i.Message.Contains("drop below their replica count"));

        var known = Assert.Single(groups, g => g.Kind == PreflightKind.KnownDefects);
        Assert.All(known.Items, i => Assert.Equal("known-defect", i.Check));
        Assert.Equal(PreflightSeverity.Warning, known.Severity);
        var backups = Assert.Single(groups, g => g.Kind == PreflightKind.Backups);
        Assert.Contains(backups.Items, i => i.Listed.Any(s => s is { Name: "media/library", Id: "pvc-new" }));
    }

    [Fact]
    public void A_run_nothing_blocks_may_run()
    {
        var r = Compute(WorkflowIds.SafeReset, ClusterBuilder.HomeOps(), "mini02");
        Assert.Equal("May run", r.Decision);
        Assert.DoesNotContain(r.Groups, g => g.Severity == PreflightSeverity.Blocking);
    }
}
