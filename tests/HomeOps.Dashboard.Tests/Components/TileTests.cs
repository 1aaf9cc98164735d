using Bunit;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Dashboard.Components.Controls.Tiles;
using HomeOps.Dashboard.Components.Pages;
using HomeOps.Dashboard.Services;
using HomeOps.Dashboard.Tests.TestData;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace HomeOps.Dashboard.Tests.Components;

public class TileTests : DashboardTestContext
{
    // BGP is not in this list: home-ops runs the v1 policy, whose sessions are honestly "unknown" (BgpTileTests).
    public static TheoryData<string, string, string> Tiles => new()
    {
        { "nodes", "3/3", "live" },
        { "flux", "4/4", "live" },
        { "longhorn", "3/3", "live" },
        { "authentik", "2/2", "updated 3 s ago" },
    };

    [Theory]
    [MemberData(nameof(Tiles))]
    public void Each_tile_shows_count_worst_health_and_freshness(string area, string count, string freshness)
    {
        UseCluster();
        var cut = Render(TileFor(area));
        var tile = cut.Find($"[data-testid=tile-{area}]");
        Assert.Equal("Healthy", tile.GetAttribute("data-health"));
        Assert.Equal(count, cut.Find($"[data-testid=tile-{area}-count]").TextContent);
        Assert.Equal(freshness, cut.Find($"[data-testid=tile-{area}-freshness]").TextContent.Trim());
        // Health is colour + icon + text, not colour alone.
        var badge = cut.Find($"[data-testid=tile-{area}-health]");
        Assert.Contains("Healthy", badge.TextContent);
        Assert.NotNull(badge.QuerySelector("svg"));
    }

    [Fact]
    public void The_overview_has_one_tile_per_area()
    {
        UseCluster();
        var cut = Render<Overview>();
        foreach (var area in new[] { "nodes", "flux", "longhorn", "bgp", "authentik" })
            Assert.Single(cut.FindAll($"[data-testid=tile-{area}]"));
    }

    [Fact]
    public void A_store_dispatch_re_renders_the_tile_without_reload()
    {
        var store = UseCluster();
        var cut = Render<NodesTile>();
        Assert.Equal("3/3", cut.Find("[data-testid=tile-nodes-count]").TextContent);

        var mini02 = store.Value.Items(Kinds.Node).Single(n => n.Meta.Name == "mini02");
        store.Dispatch(new ResourcesChanged(Kinds.Node, [Snap.Node("mini02", "False", uid: mini02.Meta.Uid, rv: "2")], [], Snap.T0));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("2/3", cut.Find("[data-testid=tile-nodes-count]").TextContent);
            Assert.Equal("Failed", cut.Find("[data-testid=tile-nodes]").GetAttribute("data-health"));
        }, Wait);
        Assert.Contains("Ready=False", cut.Find("[data-testid=tile-nodes]").TextContent);
    }

    [Fact]
    public void A_deleted_node_shows_as_missing()
    {
        var store = UseCluster();
        var cut = Render<NodesTile>();
        var mini03 = store.Value.Items(Kinds.Node).Single(n => n.Meta.Name == "mini03");
        store.Dispatch(new ResourcesChanged(Kinds.Node, [], [mini03.Key], Snap.T0));
        cut.WaitForAssertion(() => Assert.Equal("2/3", cut.Find("[data-testid=tile-nodes-count]").TextContent), Wait);
        Assert.Contains("mini03 is missing", cut.Find("[data-testid=tile-nodes-missing]").TextContent);
    }

    [Fact]
    public void A_failing_HelmRelease_shows_as_root_cause_with_the_waiting_count()
    {
        var store = UseCluster();
        var cut = Render<FluxTile>();
        var hr = store.Value.Items(Kinds.HelmRelease).Single();
        var ks = store.Value.Items(Kinds.Kustomization).Single(k => k.Meta.Name == "infrastructure-longhorn");
        var failed = Snap.HelmRelease("longhorn", "longhorn-system", Snap.V(HealthStatus.Failed, "UpgradeFailed", "timed out")) with { Meta = hr.Meta };
        var waiting = Snap.Kustomization("infrastructure-longhorn",
            Snap.V(HealthStatus.Degraded, "DependencyNotReady", "dependency 'flux-system/infrastructure-cilium-bgp' is not ready")) with { Meta = ks.Meta };
        store.Dispatch(new ResourcesChanged(Kinds.HelmRelease, [failed], [], Snap.T0));
        store.Dispatch(new ResourcesChanged(Kinds.Kustomization, [waiting], [], Snap.T0));

        cut.WaitForAssertion(() => Assert.Equal("3/4", cut.Find("[data-testid=tile-flux-count]").TextContent), Wait);
        Assert.Equal("Failed", cut.Find("[data-testid=tile-flux]").GetAttribute("data-health"));
        Assert.Contains("UpgradeFailed", cut.Find("[data-testid=tile-flux-cause-longhorn]").TextContent);
        Assert.Equal("1 waiting on dependencies", cut.Find("[data-testid=tile-flux-waiting]").TextContent);
    }

    [Fact]
    public void A_failing_tile_says_why_even_when_no_volume_is_the_cause()
    {
        UseCluster(ClusterFixture.HomeOps().With(
            Snap.LonghornNode("mini04", 10, verdict: Snap.V(HealthStatus.Failed, "KubernetesNodeNotReady", "Kubernetes node mini04 not ready"))));
        var cut = Render<LonghornTile>();
        Assert.Equal("Failed", cut.Find("[data-testid=tile-longhorn]").GetAttribute("data-health"));
        Assert.Equal("3/3", cut.Find("[data-testid=tile-longhorn-count]").TextContent);   // volumes are fine
        var problem = cut.Find("[data-testid=tile-longhorn-problem]").TextContent;
        Assert.Contains("node mini04", problem);
        Assert.Contains("KubernetesNodeNotReady", problem);
    }

    [Fact]
    public void The_longhorn_tile_counts_overdue_backups_and_volumes_without_a_policy()
    {
        UseCluster(ClusterFixture.HomeOps().With(
            Snap.VolumeBackup("pvc-a", "database", Snap.T0.AddDays(-40), TimeSpan.FromDays(14)),
            Snap.VolumeBackup("pvc-b", null, null, null)));
        var cut = Render<LonghornTile>();
        Assert.Equal("Failed", cut.Find("[data-testid=tile-longhorn]").GetAttribute("data-health"));   // 40 d > 2 × 14 d: stale
        Assert.Contains("backups overdue 1", cut.Find("[data-testid=tile-longhorn-backups-overdue]").TextContent);
        Assert.Contains("no backup policy 1", cut.Find("[data-testid=tile-longhorn-backups-no-policy]").TextContent);
        Assert.Contains("backups of pvc-a", cut.Find("[data-testid=tile-longhorn-problem]").TextContent);
    }

    [Fact]
    public void Freshness_text_ticks_every_second_on_its_own()
    {
        UseCluster();
        var cut = Render<AuthentikTile>();
        cut.WaitForAssertion(() => Assert.Equal(1, cut.Instance.OwnRenders), Wait);
        Fixture.Time.Advance(TimeSpan.FromSeconds(5));
        cut.WaitForAssertion(() =>
            Assert.Equal("updated 8 s ago", cut.Find("[data-testid=tile-authentik-freshness]").TextContent.Trim()), Wait);
        // Only the chip re-rendered, not the tile.
        Assert.Equal(1, cut.Instance.OwnRenders);
    }

    [Fact]
    public void A_reconnecting_watch_is_shown_as_stale()
    {
        var store = UseCluster();
        var cut = Render<NodesTile>();
        store.Dispatch(new FreshnessChanged(Kinds.Node,
            new Freshness(FeedState.Reconnecting, true, Snap.T0, Snap.T0, 1, "stream closed", Snap.T0)));
        cut.WaitForAssertion(() => Assert.Equal("stale: API unreachable since 0 s (watch reconnecting)",
            cut.Find("[data-testid=tile-nodes-freshness]").TextContent.Trim()), Wait);
        Fixture.Time.Advance(TimeSpan.FromSeconds(12));
        cut.WaitForAssertion(() => Assert.Equal("stale: API unreachable since 12 s (watch reconnecting)",
            cut.Find("[data-testid=tile-nodes-freshness]").TextContent.Trim()), Wait);
    }

    [Fact]
    public async Task The_subscription_ends_with_the_component()
    {
        var store = UseCluster();
        Assert.Equal(0, store.SubscriberCount);
        Render<NodesTile>();
        Assert.Equal(1, store.SubscriberCount);
        await DisposeComponentsAsync();
        Assert.Equal(0, store.SubscriberCount);
    }

    [Fact]
    public void A_hidden_tab_gets_no_renders_and_catches_up_when_visible()
    {
        var store = UseCluster();
        var cut = Render<NodesTile>();
        var visibility = Services.GetRequiredService<PageVisibility>();
        visibility.OnVisibilityChanged(hidden: true);

        // An observer with the same window tells us when the batch has been delivered to subscribers.
        var delivered = 0;
        using var observer = store.SubscribeCoalesced((_, _) => { Interlocked.Increment(ref delivered); return Task.CompletedTask; },
            TimeSpan.FromMilliseconds(20));
        var mini01 = store.Value.Items(Kinds.Node).Single(n => n.Meta.Name == "mini01");
        store.Dispatch(new ResourcesChanged(Kinds.Node, [Snap.Node("mini01", "False", uid: mini01.Meta.Uid, rv: "2")], [], Snap.T0));
        Poll.Until(() => Volatile.Read(ref delivered) > 0, Wait);
        // Give a paused viewer ample time (several windows) to render if it wrongly would.
        Poll.StaysTrue(() => cut.Find("[data-testid=tile-nodes-count]").TextContent == "3/3", TimeSpan.FromMilliseconds(200));

        cut.InvokeAsync(() => visibility.OnVisibilityChanged(hidden: false));
        cut.WaitForAssertion(() => Assert.Equal("2/3", cut.Find("[data-testid=tile-nodes-count]").TextContent), Wait);
    }

    [Fact]
    public void A_change_in_another_area_does_not_render_the_tile()
    {
        var store = UseCluster();
        var nodes = Render<NodesTile>();
        var flux = Render<FluxTile>();
        // OnAfterRender runs just after the markup is updated: wait for the first one before counting.
        nodes.WaitForAssertion(() => Assert.True(nodes.Instance.OwnRenders >= 1), Wait);
        var initialRenders = nodes.Instance.OwnRenders;
        var ks = store.Value.Items(Kinds.Kustomization).Single(k => k.Meta.Name == "infrastructure-sources");
        store.Dispatch(new ResourcesChanged(Kinds.Kustomization,
            [Snap.Kustomization("infrastructure-sources", Snap.V(HealthStatus.Failed, "ArtifactFailed")) with { Meta = ks.Meta }], [], Snap.T0));
        flux.WaitForAssertion(() => Assert.Equal("3/4", flux.Find("[data-testid=tile-flux-count]").TextContent), Wait);

        // The Flux batch did not render the Nodes tile; a Nodes change then does.
        Assert.Equal(initialRenders, nodes.Instance.OwnRenders);
        var mini01 = store.Value.Items(Kinds.Node).Single(n => n.Meta.Name == "mini01");
        store.Dispatch(new ResourcesChanged(Kinds.Node, [Snap.Node("mini01", "False", uid: mini01.Meta.Uid, rv: "2")], [], Snap.T0));
        nodes.WaitForAssertion(() => Assert.Equal("2/3", nodes.Find("[data-testid=tile-nodes-count]").TextContent), Wait);
        nodes.WaitForAssertion(() => Assert.True(nodes.Instance.OwnRenders > initialRenders), Wait);
    }

    [Fact]
    public void A_pod_of_another_workload_in_the_connect_namespace_does_not_render_the_secrets_tile_and_a_connect_pod_does()
    {
        var store = UseCluster();
        var secrets = Render<SecretsTile>();
        secrets.WaitForAssertion(() => Assert.True(secrets.Instance.OwnRenders >= 1), Wait);
        var initialRenders = secrets.Instance.OwnRenders;
        var delivered = 0;
        using var observer = store.SubscribeCoalesced((_, _) => { Interlocked.Increment(ref delivered); return Task.CompletedTask; },
            TimeSpan.FromMilliseconds(20));

        // Same namespace, another workload: not something the Secrets tile shows (before, any pod there re-rendered it).
        store.Dispatch(new ResourcesChanged(Kinds.Pod, [Pod("backup-x1", "Job", "backup", HealthStatus.Failed)], [], Snap.T0));
        Poll.Until(() => Volatile.Read(ref delivered) > 0, Wait);
        Poll.StaysTrue(() => secrets.Instance.OwnRenders == initialRenders, TimeSpan.FromMilliseconds(200));
        store.Dispatch(new ResourcesChanged(Kinds.Pod, [], ["uid-backup-x1"], Snap.T0));
        Poll.Until(() => Volatile.Read(ref delivered) > 1, Wait);
        Poll.StaysTrue(() => secrets.Instance.OwnRenders == initialRenders, TimeSpan.FromMilliseconds(200));

        // A pod of the Connect Deployment is: the tile renders.
        var beforeConnect = store.Value;
        store.Dispatch(new ResourcesChanged(Kinds.Pod, [Pod("onepassword-connect-abc12", "Deployment", "onepassword-connect", HealthStatus.Failed)], [], Snap.T0));
        Assert.True(ChangeSet.Between(beforeConnect, store.Value).Touches(Area.Secrets, store.Value));
        Poll.Until(() => secrets.Instance.OwnRenders > initialRenders, Wait);
    }

    private static ResourceSnapshot Pod(string name, string workloadKind, string workload, HealthStatus health) =>
        new(Kinds.Pod, new ObjectMeta($"uid-{name}", name, "onepassword-connect", "1", 1, Snap.T0, ObjectMeta.NoLabels, ObjectMeta.NoLabels),
            new PodDetails("Running", "mini01", new WorkloadRef(workloadKind, workload), [], "", ""),
            Snap.V(health, health == HealthStatus.Healthy ? "Running" : "CrashLoopBackOff"), [], "");

    private static RenderFragment TileFor(string area) => b =>
    {
        b.OpenComponent(0, area switch
        {
            "nodes" => typeof(NodesTile),
            "flux" => typeof(FluxTile),
            "longhorn" => typeof(LonghornTile),
            "bgp" => typeof(BgpTile),
            _ => typeof(AuthentikTile),
        });
        b.CloseComponent();
    };
}

public class PrerenderTests : DashboardTestContext
{
    public PrerenderTests() : base(interactive: false)
    {
    }

    [Fact]
    public void Prerendering_shows_the_snapshot_and_subscribes_to_nothing()
    {
        var store = UseCluster();
        var cut = Render<NodesTile>();
        Assert.Equal("3/3", cut.Find("[data-testid=tile-nodes-count]").TextContent);
        Assert.Equal(0, store.SubscriberCount);
    }
}
