using System.Collections.Immutable;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Tests.Metrics;

/// <summary>A hand-built health model with one case per rule the metrics must get right, including hostile names.</summary>
internal static class MetricsState
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A name that tries to close the label value and forge a second sample.</summary>
    public const string HostileName = "evil\"} 1\nhomeops_node_ready{node=\"forged\\";

    public static ClusterState Build(bool reverse = false)
    {
        var state = ClusterState.Initial(Now.AddMinutes(-10));
        var batches = new List<ResourcesReplaced>
        {
            Replace(Kinds.Node,
                Node("mini01", "True"), Node("mini02", "False"), Node("mini03", "Unknown"), Node(HostileName, "True")),
            Replace(Kinds.Kustomization,
                Flux(Kinds.Kustomization, "infrastructure-sources", ready: "True", suspended: false, HealthStatus.Healthy),
                Flux(Kinds.Kustomization, "infrastructure-longhorn", ready: "False", suspended: false, HealthStatus.Failed),
                Flux(Kinds.Kustomization, "apps-headlamp", ready: "True", suspended: true, HealthStatus.Suspended)),
            Replace(Kinds.HelmRelease,
                Flux(Kinds.HelmRelease, "longhorn", ready: "Unknown", suspended: false, HealthStatus.Progressing, "longhorn-system")),
            Replace(Kinds.LonghornVolume,
                Volume("pvc-aaa", "healthy", Now.AddDays(-1)),
                Volume("pvc-bbb", "Degraded", Now.AddDays(-9)),
                Volume("pvc-ccc", "faulted", null),
                Volume("pvc-ddd", "", null)),
            Replace(Kinds.LonghornNode,
                LonghornNode("mini01", ("usb-ssd-1", 1_000_000_000_000, 400_000_000_000), ("default-disk", 250_000_000_000, 250_000_000_000))),
            Replace(Kinds.BgpPeeringPolicy, Bgp(Kinds.BgpPeeringPolicy, "bgp-peering-policy", BgpApi.V1PeeringPolicy,
                new BgpPeer("", 64512, 64513, "172.29.51.1", "", null, 0, 0))),
            Replace(Kinds.BgpNodeConfig,
                Bgp(Kinds.BgpNodeConfig, "mini01", BgpApi.V2, new BgpPeer("mini01", 64512, 64513, "172.29.51.1", "established", Now.AddHours(-2), 3, 4)),
                Bgp(Kinds.BgpNodeConfig, "mini02", BgpApi.V2, new BgpPeer("mini02", 64512, 64513, "172.29.51.1", "active", null, 0, 0))),
            Replace(Kinds.AuthentikOutpost,
                Outpost("k8s-external-proxy-outpost", Now.AddSeconds(-12), HealthStatus.Healthy),
                Outpost("radius-outpost", null, HealthStatus.Failed)),
            Replace(Kinds.AuthentikToken,
                Token("homeops-dashboard-api", expiring: true, Now.AddDays(3)),
                Token("expired-token", expiring: true, Now.AddHours(-1)),
                Token("forever", expiring: false, null),
                Token("no-expiry-reported", expiring: true, null)),
        };
        if (reverse) batches.Reverse();
        foreach (var batch in batches)
            state = ClusterReducers.Reduce(state, reverse ? batch with { Items = [.. batch.Items.Reverse()] } : batch);

        // Freshness: one live watch with a recent event, one reconnecting watch, one kind not installed.
        state = ClusterReducers.Reduce(state, new FreshnessChanged(Kinds.Node,
            state.Slice(Kinds.Node).Freshness with { State = FeedState.Live, LastEventAt = Now.AddSeconds(-5), Reconnects = 2 }));
        state = ClusterReducers.Reduce(state, new FreshnessChanged(Kinds.Kustomization,
            state.Slice(Kinds.Kustomization).Freshness with { State = FeedState.Reconnecting, Reconnects = 7 }));
        state = ClusterReducers.Reduce(state, new FreshnessChanged(Kinds.BgpClusterConfig,
            Freshness.Initial(Now.AddMinutes(-10)) with { State = FeedState.NotInstalled }));
        return state;
    }

    private static ResourcesReplaced Replace(KindInfo kind, params ResourceSnapshot[] items) => new(kind, items, Now.AddMinutes(-1));

    private static ObjectMeta Meta(string name, string? ns) =>
        new($"uid-{Guid.NewGuid():N}", name, ns, "1", 1, Now.AddDays(-30), ObjectMeta.NoLabels, ObjectMeta.NoLabels);

    private static ResourceSnapshot Snapshot(KindInfo kind, ObjectMeta meta, IResourceDetails details, HealthStatus health, params Condition[] conditions) =>
        new(kind, meta, details, new Verdict(health, health.ToString(), ""), [.. conditions], "");

    // The decoder puts the Ready condition on NodeDetails (the one place node facts are derived); so does this builder.
    private static ResourceSnapshot Node(string name, string ready)
    {
        var readyCondition = new Condition("Ready", ready, "KubeletReady", "");
        var details = new NodeDetails([], [], [], false, "", "", "", "", "", "", "") { ReadyCondition = readyCondition };
        return Snapshot(Kinds.Node, Meta(name, null), details, ready == "True" ? HealthStatus.Healthy : HealthStatus.Failed,
            readyCondition, new Condition("MemoryPressure", "False", "", ""));
    }

    private static ResourceSnapshot Flux(KindInfo kind, string name, string ready, bool suspended, HealthStatus health, string ns = "flux-system")
    {
        IResourceDetails details = kind == Kinds.Kustomization
            ? new KustomizationDetails("./x", suspended, [], null, "main@sha1:1", "main@sha1:1", 1, "10m")
            : new HelmReleaseDetails(name, "1.10.1", suspended, [], null, "1.10.1", "deployed", 0, 0, 1);
        return Snapshot(kind, Meta(name, ns), details, health, new Condition("Ready", ready, "x", ""));
    }

    private static ResourceSnapshot Volume(string name, string robustness, DateTimeOffset? lastBackup) =>
        Snapshot(Kinds.LonghornVolume, Meta(name, "longhorn-system"),
            new LonghornVolumeDetails(robustness.Length == 0 ? "detached" : "attached", robustness, 2, 1L << 30, 1L << 29, "longhorn-ssd",
                "home-automation", $"data-{name}", "mini01", lastBackup is null ? "" : "backup-1", lastBackup, null, [], []),
            robustness.ToLowerInvariant() switch { "healthy" => HealthStatus.Healthy, "degraded" => HealthStatus.Degraded, "faulted" => HealthStatus.Failed, _ => HealthStatus.Unknown });

    private static ResourceSnapshot LonghornNode(string name, params (string Disk, long Max, long Available)[] disks) =>
        Snapshot(Kinds.LonghornNode, Meta(name, "longhorn-system"),
            new LonghornNodeDetails(true, true, [.. disks.Select(d => new LonghornDisk(d.Disk, "/var/lib/" + d.Disk, ["ssd"], true, 0, d.Max, d.Available, 0, true, true, ""))]),
            HealthStatus.Healthy);

    private static ResourceSnapshot Bgp(KindInfo kind, string name, BgpApi api, params BgpPeer[] peers) =>
        Snapshot(kind, Meta(name, null), new BgpDetails(api, [.. peers], ""),
            peers.All(p => p.Established || api == BgpApi.V1PeeringPolicy) ? HealthStatus.Healthy : HealthStatus.Failed);

    private static ResourceSnapshot Outpost(string name, DateTimeOffset? lastSeen, HealthStatus health) =>
        Snapshot(Kinds.AuthentikOutpost, Meta(name, null) with { Uid = $"pk-{name}" },
            new AuthentikOutpostDetails($"pk-{name}", "proxy", false, [2, 3],
                lastSeen is null ? [] : [new OutpostInstance("i1", "host", lastSeen, "2025.12.4", "2025.12.4", false)], lastSeen),
            health);

    private static ResourceSnapshot Token(string identifier, bool expiring, DateTimeOffset? expires) =>
        Snapshot(Kinds.AuthentikToken, Meta(identifier, null) with { Uid = identifier },
            new AuthentikTokenDetails(identifier, "api", "akadmin", expiring, expires, ""),
            HealthStatus.Healthy);
}
