using Bunit;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Dashboard.Components.Layout;
using HomeOps.Dashboard.Components.Pages;
using HomeOps.Dashboard.Tests.TestData;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace HomeOps.Dashboard.Tests.Pages;

public class NodesPageTests : DashboardTestContext
{
    [Fact]
    public void Rows_show_conditions_versions_both_internal_ips_and_worst_first()
    {
        UseCluster(new ClusterFixture().With(Snap.Node("mini01"), Snap.Node("mini02", "False"), Snap.Node("mini03", cordoned: true)));
        var cut = Render<Nodes>();
        var rows = cut.FindAll("tbody tr.resource-row");
        Assert.Equal(["row-node-mini02", "row-node-mini01", "row-node-mini03"], rows.Select(r => r.GetAttribute("data-testid")));
        Assert.Equal("Failed", rows[0].GetAttribute("data-health"));
        var mini01 = cut.Find("[data-testid=row-node-mini01]").TextContent;
        Assert.Contains("172.29.51.11", mini01);
        Assert.Contains("fd47:25e1:2f96:51::11", mini01);
        Assert.Contains("v1.10.5", mini01);
        Assert.Contains("v1.31.1", mini01);
        Assert.Contains("control-plane", mini01);
        Assert.Contains("cordoned", cut.Find("[data-testid=row-node-mini03]").TextContent);
        Assert.Contains("node.kubernetes.io/not-ready", rows[0].TextContent);
        // Card mode on phones needs a label on every cell.
        Assert.All(rows[0].QuerySelectorAll("td"), td => Assert.False(string.IsNullOrEmpty(td.GetAttribute("data-label"))));
    }

    [Fact]
    public void Problems_only_hides_healthy_rows()
    {
        UseCluster(new ClusterFixture().With(Snap.Node("mini01"), Snap.Node("mini02", "Unknown"), Snap.Node("mini03")));
        var cut = Render<Nodes>();
        Assert.Equal(3, cut.FindAll("tr.resource-row").Count);
        cut.Find("[data-testid=filter-problems]").Click();
        cut.WaitForAssertion(() => Assert.Equal("row-node-mini02", Assert.Single(cut.FindAll("tr.resource-row")).GetAttribute("data-testid")), Wait);
        cut.Find("[data-testid=filter-all]").Click();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("tr.resource-row").Count), Wait);
    }

    [Fact]
    public void A_row_click_opens_the_detail_drawer_with_conditions_and_raw_status()
    {
        UseCluster();
        var cut = Render<Nodes>();
        Assert.Empty(cut.FindAll("[data-testid=detail-raw-status]"));
        cut.Find("[data-testid=row-node-mini02]").Click();
        cut.WaitForAssertion(() => Assert.Contains("\"conditions\"", cut.Find("[data-testid=detail-raw-status]").TextContent), Wait);
        Assert.Equal("mini02", cut.Find("[data-testid=detail-title]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=detail-conditions] [data-testid=condition-Ready]"));
        Assert.Contains("fd47:25e1:2f96:51::12", cut.Find("[data-testid=detail-node]").TextContent);
        cut.Find("[data-testid=detail-close]").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=detail-raw-status]")), Wait);
    }

    [Fact]
    public void The_open_drawer_follows_live_changes()
    {
        var store = UseCluster();
        var cut = Render<Nodes>();
        cut.Find("[data-testid=row-node-mini02]").Click();
        var mini02 = store.Value.Items(Kinds.Node).Single(n => n.Meta.Name == "mini02");
        store.Dispatch(new ResourcesChanged(Kinds.Node, [Snap.Node("mini02", "False", uid: mini02.Meta.Uid, rv: "2")], [], Snap.T0));
        cut.WaitForAssertion(() => Assert.Equal("Failed", cut.Find("[data-testid=detail-health]").GetAttribute("data-health")), Wait);
        Assert.Contains("KubeletNotReady", cut.Find("[data-testid=detail-reason]").TextContent);
    }

    [Fact]
    public void A_missing_node_has_a_row_that_says_so()
    {
        UseCluster(new ClusterFixture().With(Snap.Node("mini01"), Snap.Node("mini02")));
        var cut = Render<Nodes>();
        var row = cut.Find("[data-testid=row-node-mini03]");
        Assert.Equal("Failed", row.GetAttribute("data-health"));
        Assert.Equal("2/3", cut.Find("[data-testid=nodes-ready-count]").TextContent);
        row.Click();
        cut.WaitForAssertion(() => Assert.Contains("not registered", cut.Find("[data-testid=detail-message]").TextContent), Wait);
    }
}

public class FluxPageTests : DashboardTestContext
{
    [Fact]
    public void Kustomization_rows_show_revision_dependsOn_suspension_and_root_cause()
    {
        UseCluster(new ClusterFixture().With(
            Snap.Kustomization("infrastructure-onepassword", Snap.V(HealthStatus.Failed, "HealthCheckFailed", "connect-api not ready"),
                applied: "main@sha1:aaaaaaaaaaaaaaaaaaaaaaaa", attempted: "main@sha1:bbbbbbbbbbbbbbbbbbbbbbbb"),
            Snap.Kustomization("infrastructure-cilium-bgp", Snap.V(HealthStatus.Degraded, "DependencyNotReady", "dependency 'flux-system/infrastructure-onepassword' is not ready"),
                dependsOn: ["infrastructure-onepassword"]),
            Snap.Kustomization("infrastructure-longhorn", Snap.V(HealthStatus.Degraded, "DependencyNotReady", "dependency 'flux-system/infrastructure-cilium-bgp' is not ready"),
                dependsOn: ["infrastructure-cilium-bgp"]),
            Snap.Kustomization("apps-headlamp", Snap.V(HealthStatus.Suspended, "Suspended"), suspended: true),
            Snap.HelmRelease("longhorn", "longhorn-system"),
            Snap.GitRepository()));
        var cut = Render<Flux>();

        var longhorn = cut.Find("[data-testid=row-kustomization-infrastructure-longhorn]");
        Assert.Equal("Degraded", longhorn.GetAttribute("data-health"));
        Assert.Contains("root cause: Kustomization infrastructure-onepassword", longhorn.QuerySelector("[data-testid=root-cause]")!.TextContent);
        Assert.Contains("infrastructure-cilium-bgp", longhorn.TextContent);   // dependsOn
        var onepassword = cut.Find("[data-testid=row-kustomization-infrastructure-onepassword]");
        Assert.Contains("main@sha1:bbbbbbb", onepassword.QuerySelector("[data-testid=revision-drift]")!.TextContent);
        Assert.NotNull(cut.Find("[data-testid=row-kustomization-apps-headlamp] [data-testid=suspended]"));
        Assert.NotNull(cut.Find("[data-testid=row-helmrelease-longhorn]"));
        Assert.NotNull(cut.Find("[data-testid=row-gitrepository-flux-system]"));
        Assert.Equal("0/4", cut.Find("[data-testid=flux-ready-count]").TextContent);
        // Worst first: the failing one leads the Kustomization table.
        Assert.Equal("row-kustomization-infrastructure-onepassword",
            cut.Find("[data-testid=flux-table-kustomization] tr.resource-row").GetAttribute("data-testid"));
    }
}

public class LonghornPageTests : DashboardTestContext
{
    [Fact]
    public void Volumes_disks_and_backups_are_listed()
    {
        UseCluster(ClusterFixture.HomeOps().With(Snap.Volume("pvc-degraded", robustness: "degraded"), Snap.Backup("backup-bad", "pvc-degraded", "Error")));
        var cut = Render<Longhorn>();
        var degraded = cut.Find("[data-testid=row-volume-pvc-degraded]");
        Assert.Equal("Degraded", degraded.GetAttribute("data-health"));
        Assert.Contains("attached / degraded", degraded.TextContent);
        Assert.Contains("10 GiB / 3 GiB", degraded.TextContent);
        Assert.Contains("20 h ago", degraded.TextContent);   // last backup age
        Assert.Contains("home-automation/data", degraded.TextContent);
        Assert.Contains("95 %", cut.Find("[data-testid=disk-mini03-ssd-disk]").TextContent);
        Assert.Equal("Failed", cut.Find("[data-testid=row-backup-backup-bad]").GetAttribute("data-health"));
        Assert.Equal("3/4", cut.Find("[data-testid=longhorn-ok-count]").TextContent);
    }

    [Fact]
    public void Each_volume_shows_its_backup_verdict_with_age_against_max_age_and_the_backup_target_its_message()
    {
        var weekly = TimeSpan.FromDays(14) + TimeSpan.FromHours(6);
        UseCluster(ClusterFixture.HomeOps().With(
            Snap.Volume("pvc-stale"), Snap.Volume("pvc-fresh"), Snap.Volume("pvc-nopolicy"),
            Snap.VolumeBackup("pvc-stale", "database", Snap.T0.AddDays(-16), weekly),
            Snap.VolumeBackup("pvc-fresh", "database", Snap.T0.AddDays(-2), weekly),
            Snap.VolumeBackup("pvc-nopolicy", null, null, null),
            Snap.BackupTarget(available: false, "InvalidAccessKeyId: status code: 403")));
        var cut = Render<Longhorn>();

        var stale = cut.Find("[data-testid=backup-verdict-pvc-stale]");
        Assert.Equal("Degraded", stale.GetAttribute("data-health"));
        Assert.Contains("BackupOverdue", stale.TextContent);
        Assert.Contains("16 d ago / max 14 d 6 h", cut.Find("[data-testid=row-volume-pvc-stale]").TextContent);
        Assert.Equal("Healthy", cut.Find("[data-testid=backup-verdict-pvc-fresh]").GetAttribute("data-health"));
        Assert.Equal("Suspended", cut.Find("[data-testid=backup-verdict-pvc-nopolicy]").GetAttribute("data-health"));
        Assert.Contains("no backup policy", cut.Find("[data-testid=row-volume-pvc-nopolicy]").TextContent);

        var target = cut.Find("[data-testid=longhorn-backup-targets]");
        Assert.Contains("InvalidAccessKeyId", target.TextContent);
        Assert.Equal("Failed", target.QuerySelector("[data-health]")!.GetAttribute("data-health"));
        Assert.Equal("Failed", cut.Find("[data-testid=page-longhorn-health]").GetAttribute("data-health"));
    }
}

public class BgpPageTests : DashboardTestContext
{
    [Fact]
    public void Sessions_show_peer_asns_state_uptime_routes_and_the_active_api()
    {
        UseCluster(new ClusterFixture().With(Snap.Node("mini01"), Snap.Node("mini02"), Snap.Node("mini03"),
            Snap.BgpNodeConfig("mini01"), Snap.BgpNodeConfig("mini02"), Snap.BgpNodeConfig("mini03"), Snap.BgpNodeConfig("mini04", "idle"),
            Snap.Pool("bgp-default", "172.29.52.100-172.29.52.199")));
        var cut = Render<Bgp>();
        var up = cut.Find("[data-testid=row-bgppeer-mini01-172\\.29\\.51\\.1]");
        Assert.Equal("Healthy", up.GetAttribute("data-health"));
        Assert.Contains("64512 / 64513", up.TextContent);
        Assert.Contains("established", up.TextContent);
        Assert.Contains("5 h 0 min", up.TextContent);
        Assert.Contains("3 / 4", up.TextContent);
        Assert.Equal("Failed", cut.Find("[data-testid=row-bgppeer-mini04-172\\.29\\.51\\.1]").GetAttribute("data-health"));
        Assert.Contains("BGPv2", cut.Find("[data-testid=bgp-api]").TextContent);
        Assert.Equal("3/4", cut.Find("[data-testid=bgp-established-count]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=bgp-sessions-not-live]"));
        Assert.NotNull(cut.Find("[data-testid=row-ciliumloadbalancerippool-bgp-default]"));
    }

    [Fact]
    public void With_the_v1_policy_active_node_config_sessions_are_shown_as_not_the_running_ones()
    {
        UseCluster(ClusterFixture.HomeOps().With(Snap.BgpNodeConfig("mini04", "idle")));
        var cut = Render<Bgp>();
        Assert.Contains("CiliumBGPPeeringPolicy", cut.Find("[data-testid=bgp-api]").TextContent);
        Assert.Equal("?/3", cut.Find("[data-testid=bgp-established-count]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=bgp-sessions-not-live]"));
        Assert.Equal("false", cut.Find("[data-testid=bgp-status]").GetAttribute("data-known"));
        Assert.Equal("Unknown", cut.Find("[data-testid=page-bgp-health]").GetAttribute("data-health"));
    }
}

public class AuthentikPageTests : DashboardTestContext
{
    [Fact]
    public void Outposts_and_token_expiry_are_listed()
    {
        UseCluster(ClusterFixture.HomeOps().With(Snap.Outpost("radius-outpost", Snap.V(HealthStatus.Failed, "NotReporting", "no instance"),
            lastSeen: Snap.T0.AddMinutes(-10), outdated: true)));
        var cut = Render<Authentik>();
        var radius = cut.Find("[data-testid=row-outpost-radius-outpost]");
        Assert.Equal("Failed", radius.GetAttribute("data-health"));
        Assert.Contains("10 min ago", radius.TextContent);
        Assert.Contains("2025.12.5 (outdated)", radius.QuerySelector("[data-testid=version-drift]")!.TextContent);
        Assert.Contains("(embedded)", cut.Find("[data-testid='row-outpost-authentik Embedded Outpost']").TextContent);
        Assert.Equal("expires in 12 d", cut.Find("[data-testid=row-token-dashboard-api] [data-testid=token-expiry]").TextContent);
        Assert.Equal("2/3", cut.Find("[data-testid=authentik-healthy-count]").TextContent);
    }
}

public class LayoutTests : DashboardTestContext
{
    [Fact]
    public void The_layout_has_the_circuit_marker_connection_state_and_navigation()
    {
        UseCluster(new ClusterFixture().With(Snap.Node("mini01"), Snap.Node("mini02", "False"), Snap.Node("mini03")));
        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "page"))));
        Assert.Equal("interactive", cut.Find("[data-testid=circuit-ready]").TextContent);
        var connection = cut.Find("[data-testid=connection-state]");
        Assert.Equal("connected", connection.GetAttribute("data-state"));
        Assert.Contains("connected", connection.TextContent);
        foreach (var nav in new[] { "overview", "nodes", "flux", "longhorn", "bgp", "authentik" })
            Assert.NotNull(cut.Find($"[data-testid=nav-{nav}]"));
        Assert.Equal("Failed", cut.Find("[data-testid=nav-nodes]").GetAttribute("data-health"));
    }
}

public class StaticLayoutTests : DashboardTestContext
{
    public StaticLayoutTests() : base(interactive: false)
    {
    }

    [Fact]
    public void Before_the_circuit_there_is_no_circuit_marker()
    {
        UseCluster();
        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "page"))));
        Assert.Empty(cut.FindAll("[data-testid=circuit-ready]"));
        Assert.Equal("connecting", cut.Find("[data-testid=connection-state]").GetAttribute("data-state"));
    }
}
