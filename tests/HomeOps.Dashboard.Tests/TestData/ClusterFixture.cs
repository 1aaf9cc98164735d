using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using Microsoft.Extensions.Time.Testing;

namespace HomeOps.Dashboard.Tests.TestData;

/// <summary>Builds a <see cref="ClusterState"/> or a live <see cref="ClusterStore"/> from snapshots, as the sources would.</summary>
public sealed class ClusterFixture
{
    private readonly Dictionary<string, (KindInfo Kind, List<ResourceSnapshot> Items)> _items = [];
    private readonly Dictionary<string, Freshness> _freshness = [];

    public FakeTimeProvider Time { get; } = new(Snap.T0);

    public ClusterFixture With(params ResourceSnapshot[] items)
    {
        foreach (var item in items)
        {
            if (!_items.TryGetValue(item.Kind.Key, out var entry)) _items[item.Kind.Key] = entry = (item.Kind, []);
            entry.Items.Add(item);
        }
        return this;
    }

    public ClusterFixture Feed(KindInfo kind, Freshness freshness)
    {
        _freshness[kind.Key] = freshness;
        return this;
    }

    /// <summary>The home-ops cluster, all healthy: 3 nodes, 4 Kustomizations, volumes, BGPv2 sessions, outposts.</summary>
    public static ClusterFixture HomeOps() => new ClusterFixture().With(
        Snap.Node("mini01"), Snap.Node("mini02"), Snap.Node("mini03"),
        Snap.GitRepository(),
        Snap.Kustomization("flux-system"),
        Snap.Kustomization("infrastructure-sources"),
        Snap.Kustomization("infrastructure-cilium-bgp", dependsOn: ["infrastructure-sources"]),
        Snap.Kustomization("infrastructure-longhorn", dependsOn: ["infrastructure-cilium-bgp"]),
        Snap.HelmRelease("longhorn", "longhorn-system"),
        Snap.Volume("pvc-home-assistant"), Snap.Volume("pvc-postgres", pvc: "pg-1", pvcNs: "postgresql-system"),
        Snap.Volume("pvc-idle", state: "detached", robustness: "unknown"),
        Snap.LonghornNode("mini01", 400_000_000_000), Snap.LonghornNode("mini02", 500_000_000_000), Snap.LonghornNode("mini03", 950_000_000_000),
        Snap.Backup("backup-1", "pvc-postgres"), Snap.BackupTarget(available: true),
        Snap.PeeringPolicy(), Snap.BgpNodeConfig("mini01"), Snap.BgpNodeConfig("mini02"), Snap.BgpNodeConfig("mini03"),
        Snap.Pool("bgp-default", "172.29.52.100-172.29.52.199"),
        Snap.Outpost("authentik Embedded Outpost", embedded: true, providers: 0),
        Snap.Outpost("k8s-external-proxy-outpost"),
        Snap.Token("dashboard-api", Snap.T0.AddDays(12)));

    /// <summary>Every Kubernetes kind listed and live, Authentik polled 3 s ago; BGPv2 config kinds not installed.</summary>
    private void Dispatch(ClusterStore store)
    {
        var now = Time.GetUtcNow();
        foreach (var kind in Kinds.All)
        {
            var items = _items.TryGetValue(kind.Key, out var e) ? e.Items : [];
            store.Dispatch(new ResourcesReplaced(kind, items, now));
            store.Dispatch(new FreshnessChanged(kind, _freshness.GetValueOrDefault(kind.Key) ?? DefaultFreshness(kind, now)));
        }
    }

    public static Freshness DefaultFreshness(KindInfo kind, DateTimeOffset now)
    {
        // The backup verdicts are derived from watched kinds and published live, not as a poll (BackupPolicyEvaluator).
        if (kind == Kinds.VolumeBackup) return new Freshness(FeedState.Live, true, now, now, 0, null, now.AddMinutes(-5));
        if (!kind.IsKubernetes) return new Freshness(FeedState.Live, true, now.AddSeconds(-3), now.AddSeconds(-3), 0, null, now.AddMinutes(-5), Polled: true);
        if (kind == Kinds.BgpClusterConfig || kind == Kinds.BgpPeerConfig || kind == Kinds.BgpAdvertisement)
            return new Freshness(FeedState.NotInstalled, true, now, now, 0, null, now.AddMinutes(-5));
        return new Freshness(FeedState.Live, true, now, now, 0, null, now.AddMinutes(-5));
    }

    public ClusterStore BuildStore()
    {
        var store = new ClusterStore(Time);
        Dispatch(store);
        return store;
    }

    public ClusterState BuildState() => BuildStore().Value;
}
