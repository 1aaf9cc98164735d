using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>
/// The informer host against the simulator shaped like other clusters (Simulator:Api): discovery picks cilium.io/v2
/// on a newer Cilium, a kind that is not installed gets no informer and says "not installed", a forbidden kind names
/// the permission it needs — and installing a CRD while running is picked up.
/// </summary>
public sealed class DiscoveryDrivenFeedsTests
{
    private static readonly KindInfo[] Bgp =
        [Kinds.BgpPeeringPolicy, Kinds.BgpNodeConfig, Kinds.BgpClusterConfig, Kinds.BgpPeerConfig, Kinds.BgpAdvertisement, Kinds.LoadBalancerIPPool];

    [Fact]
    public async Task On_a_newer_Cilium_the_BGPv2_kinds_are_watched_at_v2()
    {
        await using var rig = await InformerRig.StartAsync(simulator: o => o.Api.CiliumVersion = "v2", kinds: Bgp);
        await rig.WaitLiveAndConvergedAsync("BGP kinds live");

        foreach (var kind in Bgp.Where(k => k != Kinds.BgpPeeringPolicy))
        {
            Assert.Equal("cilium.io/v2", rig.Informer(kind).Kind.ApiVersion);
            Assert.All(rig.Store.Value.Items(kind), s => Assert.Equal("v2", s.Kind.Version));
        }
        // The v1 policy never moved: it is still read at v2alpha1.
        Assert.Equal("cilium.io/v2alpha1", rig.Informer(Kinds.BgpPeeringPolicy).Kind.ApiVersion);
        Assert.Equal(3, rig.Store.Value.Items(Kinds.BgpNodeConfig).Count(s => s.Verdict.Health == HealthStatus.Healthy));

        // Watches at v2 follow changes like any other.
        rig.Simulator.Scenarios.Trigger("bgp-drops");
        await rig.WaitUntilAsync(() => rig.Store.Value.Items(Kinds.BgpNodeConfig).Any(s => s.Verdict.Reason == "SessionNotEstablished"), "session drop seen at v2");
    }

    [Fact]
    public async Task On_the_live_cluster_shape_the_BGP_kinds_are_watched_at_v2alpha1()
    {
        await using var rig = await InformerRig.StartAsync(kinds: Bgp);
        await rig.WaitLiveAndConvergedAsync("BGP kinds live");
        Assert.All(Bgp, k => Assert.Equal("cilium.io/v2alpha1", rig.Informer(k).Kind.ApiVersion));
    }

    [Fact]
    public async Task A_kind_that_is_not_installed_gets_no_informer_and_no_requests_but_says_not_installed()
    {
        // Cilium 1.19 without the BGPv1 CRD; no External Secrets Operator at all.
        await using var rig = await InformerRig.StartAsync(
            simulator: o => o.Api.Omit = ["CiliumBGPPeeringPolicy", "ExternalSecret", "ClusterSecretStore"],
            kinds: [Kinds.Node, Kinds.BgpPeeringPolicy, Kinds.BgpNodeConfig, Kinds.ExternalSecret, Kinds.ClusterSecretStore]);
        await rig.WaitLiveAndConvergedAsync("installed kinds live");

        foreach (var kind in new[] { Kinds.BgpPeeringPolicy, Kinds.ExternalSecret, Kinds.ClusterSecretStore })
        {
            var freshness = rig.Store.Value.Slice(kind).Freshness;
            Assert.Equal(FeedState.NotInstalled, freshness.State);
            Assert.Equal("not installed", freshness.Describe(DateTimeOffset.UtcNow));
            Assert.Contains(ApiFailure.Resource(kind), freshness.LastError);
            Assert.Null(rig.Host.Find(kind));
            Assert.Equal(0, rig.Simulator.Faults.Counters.ListRequestsFor(kind) + rig.Simulator.Faults.Counters.WatchRequestsFor(kind));
            Assert.Empty(rig.Store.Value.Items(kind));
        }
        Assert.True(rig.Host.AllSynced);
        Assert.Empty(rig.Host.NotSettled);
        Assert.Equal(FeedState.Live, rig.Store.Value.Slice(Kinds.BgpNodeConfig).Freshness.State);
    }

    [Fact]
    public async Task A_forbidden_kind_says_which_permission_is_missing_and_does_not_hold_readiness()
    {
        await using var rig = await InformerRig.StartAsync(
            simulator: o => o.Api.Forbid = ["externalsecrets.external-secrets.io"],
            kinds: [Kinds.Node, Kinds.ExternalSecret]);
        await rig.WaitUntilAsync(() => rig.Store.Value.Slice(Kinds.ExternalSecret).Freshness.State == FeedState.Forbidden && rig.Host.AllSynced,
            "forbidden shown, host ready");

        // RBAC does not hide discovery: the kind is served, its informer runs and reports the missing verbs.
        Assert.Equal(KindServing.Served, rig.Host.Availability(Kinds.ExternalSecret)!.Serving);
        var freshness = rig.Store.Value.Slice(Kinds.ExternalSecret).Freshness;
        Assert.Equal("needs get/list/watch on externalsecrets.external-secrets.io", freshness.LastError);
        Assert.Equal("forbidden: needs get/list/watch on externalsecrets.external-secrets.io", freshness.Describe(DateTimeOffset.UtcNow));

        // The role is fixed: the informer's retry finds it readable.
        rig.Simulator.Api.Allow("ExternalSecret");
        await rig.WaitLiveAndConvergedAsync("live once allowed");
        Assert.NotEmpty(rig.Store.Value.Items(Kinds.ExternalSecret));
    }

    [Fact]
    public async Task Installing_a_CRD_is_picked_up_by_the_next_discovery_and_removing_it_empties_the_kind()
    {
        await using var rig = await InformerRig.StartAsync(
            simulator: o => o.Api.Omit = ["CiliumBGPPeeringPolicy"],
            cluster: o => o.DiscoveryInterval = TimeSpan.FromMilliseconds(300),
            kinds: [Kinds.Node, Kinds.BgpPeeringPolicy]);
        await rig.WaitUntilAsync(() => rig.Store.Value.Slice(Kinds.BgpPeeringPolicy).Freshness.State == FeedState.NotInstalled, "not installed");
        var rounds = rig.Host.DiscoveryRounds;

        rig.Simulator.Api.Install("CiliumBGPPeeringPolicy");
        await rig.WaitLiveAndConvergedAsync("policy found and listed");
        Assert.True(rig.Host.DiscoveryRounds > rounds);
        Assert.Equal(["bgp-peering-policy"], rig.Store.Value.Items(Kinds.BgpPeeringPolicy).Select(s => s.Meta.Name));

        // Removed again (Cilium 1.19): the open watch ends, the 404 asks discovery at once, the objects go.
        rig.Simulator.Api.Omit("CiliumBGPPeeringPolicy");
        await rig.WaitUntilAsync(() => rig.Store.Value.Slice(Kinds.BgpPeeringPolicy).Freshness.State == FeedState.NotInstalled
                                       && rig.Host.Find(Kinds.BgpPeeringPolicy) is null, "not installed again, informer stopped");
        Assert.Empty(rig.Store.Value.Items(Kinds.BgpPeeringPolicy));
        Assert.Equal(FeedState.Live, rig.Informer(Kinds.Node).State);
    }

    [Fact]
    public async Task A_removed_CRD_is_noticed_by_the_informer_and_confirmed_by_discovery_without_waiting_for_the_interval()
    {
        // Discovery would only look again in an hour: the informer's 404 must make it look now.
        await using var rig = await InformerRig.StartAsync(
            cluster: o => o.DiscoveryInterval = TimeSpan.FromHours(1),
            kinds: [Kinds.Node, Kinds.ExternalSecret]);
        await rig.WaitLiveAndConvergedAsync("live");
        var rounds = rig.Host.DiscoveryRounds;

        rig.Simulator.Api.Omit("ExternalSecret");
        await rig.WaitUntilAsync(() => rig.Host.DiscoveryRounds > rounds && rig.Host.Find(Kinds.ExternalSecret) is null
                                       && rig.Store.Value.Slice(Kinds.ExternalSecret).Freshness.State == FeedState.NotInstalled,
            "rediscovered at once, informer stopped");
        Assert.Empty(rig.Store.Value.Items(Kinds.ExternalSecret));
        Assert.Equal(KindServing.NotServed, rig.Host.Availability(Kinds.ExternalSecret)!.Serving);
    }
}
