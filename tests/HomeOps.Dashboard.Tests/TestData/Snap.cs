using System.Collections.Immutable;
using HomeOps.Cluster.Model;

namespace HomeOps.Dashboard.Tests.TestData;

/// <summary>Hand-made snapshots, shaped as the decoders produce them, with home-ops defaults.</summary>
public static class Snap
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);

    private static int _uid;

    public static ObjectMeta Meta(string name, string? ns = null, string? uid = null, string rv = "1") =>
        new(uid ?? $"uid-{name}-{Interlocked.Increment(ref _uid)}", name, ns, rv, 1, T0.AddDays(-30),
            ObjectMeta.NoLabels, ObjectMeta.NoLabels);

    public static Condition Cond(string type, string status, string reason = "", string message = "") =>
        new(type, status, reason, message, T0.AddHours(-1));

    public static ResourceSnapshot Make(KindInfo kind, ObjectMeta meta, IResourceDetails details, Verdict verdict,
        IEnumerable<Condition>? conditions = null, string raw = "{}") =>
        new(kind, meta, details, verdict, [.. conditions ?? []], raw);

    public static Verdict Ok(string reason = "Ready", string message = "") => new(HealthStatus.Healthy, reason, message);

    public static Verdict V(HealthStatus h, string reason, string message = "") => new(h, reason, message);

    // ---- Nodes ----

    public static ResourceSnapshot Node(string name, string ready = "True", Verdict? verdict = null, bool cordoned = false,
        string? uid = null, IEnumerable<Condition>? extra = null, string rv = "1")
    {
        var index = name.Length > 0 && char.IsDigit(name[^1]) ? name[^1] - '0' : 9;
        var details = new NodeDetails(
            [new NodeAddress("InternalIP", $"172.29.51.1{index}"), new NodeAddress("InternalIP", $"fd47:25e1:2f96:51::1{index}"),
             new NodeAddress("Hostname", name)],
            ready == "True" ? [] : [new Taint("node.kubernetes.io/not-ready", null, "NoSchedule")],
            ["control-plane"], cordoned, "Talos (v1.10.5)", "v1.10.5", "6.12.35-talos", "v1.31.1", "containerd://2.0.5", "4", "16303856Ki");
        var v = verdict ?? (ready == "True" ? Ok("KubeletReady", "kubelet is posting ready status")
            : ready == "False" ? V(HealthStatus.Failed, "KubeletNotReady", "container runtime is down")
            : V(HealthStatus.Failed, "NodeStatusUnknown", "Kubelet stopped posting node status."));
        var conditions = new List<Condition>
        {
            Cond("MemoryPressure", ready == "Unknown" ? "Unknown" : "False", "KubeletHasSufficientMemory"),
            Cond("Ready", ready, v.Reason, v.Message),
        };
        conditions.AddRange(extra ?? []);
        details = details with { ReadyCondition = conditions.First(c => c.Type == "Ready") };
        return Make(Kinds.Node, Meta(name, uid: uid, rv: rv), details, v, conditions,
            $$"""{"conditions":[{"type":"Ready","status":"{{ready}}"}]}""");
    }

    // ---- Flux ----

    public static ResourceSnapshot Kustomization(string name, Verdict? verdict = null, string[]? dependsOn = null,
        bool suspended = false, string applied = "main@sha1:0123456789abcdef0123456789abcdef01234567", string? attempted = null,
        string ns = "flux-system", string? uid = null)
    {
        var v = verdict ?? Ok("ReconciliationSucceeded", $"Applied revision: {applied}");
        var details = new KustomizationDetails($"./infrastructure/{name}", suspended,
            [.. (dependsOn ?? []).Select(d => new DependencyRef(ns, d))],
            new SourceRef("GitRepository", "flux-system", "flux-system"), applied, attempted ?? applied, 1, "10m");
        var ready = v.Health == HealthStatus.Healthy || suspended ? "True" : v.Health == HealthStatus.Progressing ? "Unknown" : "False";
        return Make(Kinds.Kustomization, Meta(name, ns, uid), details, v, [Cond("Ready", ready, v.Reason, v.Message)]);
    }

    public static ResourceSnapshot HelmRelease(string name, string ns, Verdict? verdict = null, string[]? dependsOn = null,
        string chartVersion = "1.0.0")
    {
        var v = verdict ?? Ok("UpgradeSucceeded", "Helm upgrade succeeded");
        var details = new HelmReleaseDetails(name, chartVersion, false,
            [.. (dependsOn ?? []).Select(d => new DependencyRef(ns, d))], new SourceRef("HelmRepository", "flux-system", name),
            chartVersion, "deployed", 0, 0, 1);
        var ready = v.Health == HealthStatus.Healthy ? "True" : "False";
        return Make(Kinds.HelmRelease, Meta(name, ns), details, v, [Cond("Ready", ready, v.Reason, v.Message)]);
    }

    public static ResourceSnapshot GitRepository(string name = "flux-system") =>
        Make(Kinds.GitRepository, Meta(name, "flux-system"),
            new GitRepositoryDetails("https://github.com/geoffdavis/talos-gitops", "main", false,
                "main@sha1:0123456789abcdef0123456789abcdef01234567", T0.AddMinutes(-1), 1),
            Ok("Succeeded", "stored artifact"), [Cond("Ready", "True", "Succeeded")]);

    // ---- Longhorn ----

    public static ResourceSnapshot Volume(string name, string state = "attached", string robustness = "healthy",
        Verdict? verdict = null, string pvc = "data", string pvcNs = "home-automation")
    {
        var v = verdict ?? (robustness switch
        {
            "healthy" => Ok("Healthy"),
            "degraded" => V(HealthStatus.Degraded, "Degraded", "1 of 2 replicas healthy"),
            "faulted" => V(HealthStatus.Failed, "Faulted", "all replicas failed"),
            _ => state == "detached" ? Ok("Detached", "detached and idle") : V(HealthStatus.Unknown, "Unknown"),
        });
        var details = new LonghornVolumeDetails(state, robustness, 2, 10L << 30, 3L << 30, "longhorn-ssd", pvcNs, pvc,
            state == "attached" ? "mini01" : "", "backup-1", T0.AddHours(-20), null, [], ["default"]);
        return Make(Kinds.LonghornVolume, Meta(name, "longhorn-system"), details, v, [Cond("Scheduled", "True")]);
    }

    /// <summary>A volume's backup verdict as the evaluator stores it: the real rule (<see cref="HomeOps.Cluster.Health.BackupPolicy.Rule"/>) at T0.</summary>
    public static ResourceSnapshot VolumeBackup(string volume, string? group, DateTimeOffset? lastBackupAt, TimeSpan? maxAge)
    {
        var details = new VolumeBackupDetails(volume, "home-automation", "data", group, group is null ? null : group + "-weekly-backup",
            lastBackupAt, maxAge, maxAge is { } m ? lastBackupAt + m : null, false);
        return Make(Kinds.VolumeBackup, Meta(volume, "longhorn-system", uid: "volumebackup/" + volume), details,
            HomeOps.Cluster.Health.BackupPolicy.Rule(details, T0.AddDays(-30), T0), []);
    }

    public static ResourceSnapshot BackupTarget(bool available, string message = "")
    {
        var details = new LonghornBackupTargetDetails("s3://longhorn-backups-home-ops@us-west-2/", "longhorn-s3-backup-credentials", "5m0s",
            available, message, T0.AddMinutes(-3));
        ImmutableArray<Condition> conditions = [Cond("Unavailable", available ? "False" : "True", available ? "" : "Unavailable", message)];
        // One uid: a later BackupTarget in a fixture replaces the home-ops one (the store keys by uid).
        return Make(Kinds.LonghornBackupTarget, Meta("default", "longhorn-system", uid: "uid-backuptarget-default"), details,
            HomeOps.Cluster.Health.LonghornBackupHealth.BackupTargetRule(details, conditions), conditions);
    }

    public static ResourceSnapshot LonghornNode(string name, long usedBytes, long maxBytes = 1_000_000_000_000, Verdict? verdict = null)
    {
        var disk = new LonghornDisk("ssd-disk", "/var/lib/longhorn-ssd", ["ssd", "usb", "samsung-t5"], true, 0,
            maxBytes, maxBytes - usedBytes, usedBytes / 2, true, true, "");
        return Make(Kinds.LonghornNode, Meta(name, "longhorn-system"), new LonghornNodeDetails(true, true, [disk]),
            verdict ?? Ok("Ready"), [Cond("Ready", "True"), Cond("Schedulable", "True")]);
    }

    public static ResourceSnapshot Backup(string name, string volume, string state = "Completed", Verdict? verdict = null) =>
        Make(Kinds.LonghornBackup, Meta(name, "longhorn-system"),
            new LonghornBackupDetails(state, volume, 100, 1L << 30, T0.AddHours(-3), state == "Error" ? "target unreachable" : ""),
            verdict ?? (state == "Error" ? V(HealthStatus.Failed, "BackupError", "target unreachable") : Ok("Completed")));

    // ---- BGP ----

    public static BgpPeer Peer(string node, string state = "established", string peer = "172.29.51.1") =>
        new(node, 64512, 64513, peer, state, state == "established" ? T0.AddHours(-5) : null, 3, 4);

    public static ResourceSnapshot BgpNodeConfig(string node, string state = "established")
    {
        var peer = Peer(node, state);
        var v = peer.Established ? Ok("Established") : V(HealthStatus.Failed, "PeerNotEstablished", $"peer 172.29.51.1 is {state}");
        return Make(Kinds.BgpNodeConfig, Meta(node), new BgpDetails(BgpApi.V2, [peer], "1 peer"), v);
    }

    public static ResourceSnapshot PeeringPolicy(string name = "bgp-peering-policy") =>
        Make(Kinds.BgpPeeringPolicy, Meta(name),
            new BgpDetails(BgpApi.V1PeeringPolicy, [new BgpPeer("", 64512, 64513, "172.29.51.1/32", "", null, 0, 0)], "1 neighbour"),
            Ok("Configured", "CiliumBGPPeeringPolicy has no status"));

    public static ResourceSnapshot Pool(string name, string block) =>
        Make(Kinds.LoadBalancerIPPool, Meta(name), new IpPoolDetails([block], $"io.cilium/lb-ipam-pool={name}", false, 100, 97), Ok());

    // ---- Authentik ----

    public static ResourceSnapshot Outpost(string name, Verdict? verdict = null, bool embedded = false, int providers = 7,
        DateTimeOffset? lastSeen = null, bool outdated = false)
    {
        var seen = lastSeen ?? T0.AddSeconds(-5);
        var instances = ImmutableArray.Create(new OutpostInstance("i1", $"{name}-pod", seen, "2025.12.4",
            outdated ? "2025.12.5" : "2025.12.4", outdated));
        return Make(Kinds.AuthentikOutpost, Meta(name, uid: $"pk-{name}"),
            new AuthentikOutpostDetails($"pk-{name}", "proxy", embedded, [.. Enumerable.Range(2, providers).Select(i => (long)i)], instances, seen),
            verdict ?? Ok("Connected"));
    }

    public static ResourceSnapshot Token(string identifier, DateTimeOffset? expires, string intent = "api", Verdict? verdict = null) =>
        Make(Kinds.AuthentikToken, Meta(identifier, uid: $"token-{identifier}"),
            new AuthentikTokenDetails(identifier, intent, "akadmin", expires is not null, expires, "dashboard"),
            verdict ?? Ok("Valid"));
}
