using System.Collections.Immutable;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Operations.Tests.Support;

/// <summary>
/// Builds a home-ops-shaped health model by hand (the decoder is another helper's work; gates read conditions and
/// details, so hand-built snapshots exercise exactly what they read) and feeds it through the real store and reducers.
/// </summary>
public sealed class ClusterBuilder
{
    private readonly Dictionary<string, List<ResourceSnapshot>> _items = new();
    private readonly Dictionary<string, FeedState> _feeds = new();
    private int _uid;

    public static DateTimeOffset Now => DateTimeOffset.UtcNow;

    /// <summary>mini01–03, Ready, control-plane, with their IPv4 and IPv6 InternalIPs; Longhorn nodes Ready; two healthy 3-replica volumes.</summary>
    public static ClusterBuilder HomeOps()
    {
        var b = new ClusterBuilder();
        for (var i = 1; i <= 3; i++)
        {
            b.Node($"mini0{i}", "True", $"172.29.51.1{i}");
            b.LonghornNode($"mini0{i}", true);
        }
        b.Volume("pvc-grafana", "attached", "healthy", 3, "mini01", Now.AddDays(-1), pvc: ("monitoring", "grafana"));
        b.Volume("pvc-redis", "attached", "healthy", 3, "mini02", Now.AddDays(-2), pvc: ("authentik", "redis"));
        b.Kustomization("flux-system", "flux-system", "True", "ReconciliationSucceeded");
        return b;
    }

    public ClusterBuilder Node(string name, string ready, string? ipv4, string reason = "", bool controlPlane = true, string? network = "CiliumIsUp", params Taint[] taints)
    {
        var addresses = ImmutableArray.CreateBuilder<NodeAddress>();
        if (ipv4 is not null) addresses.Add(new NodeAddress("InternalIP", ipv4));
        addresses.Add(new NodeAddress("InternalIP", $"fd47:25e1:2f96:51::{name[^1]}"));
        addresses.Add(new NodeAddress("Hostname", name));
        var details = new NodeDetails(addresses.ToImmutable(), [.. taints], controlPlane ? ["control-plane"] : [], false,
            "Talos (v1.10.5)", "v1.10.5", "6.12.35-talos", "v1.31.1", "containerd://2.0.5", "4", "16Gi");
        var cond = new Condition("Ready", ready, reason.Length > 0 ? reason : ready == "True" ? "KubeletReady" : "KubeletNotReady", "");
        var verdict = cond.IsTrue ? new Verdict(HealthStatus.Healthy, "Ready", "") : new Verdict(HealthStatus.Failed, "NotReady", "");
        ImmutableArray<Condition> conditions = [cond, new Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "")];
        // The Cilium agent clears NetworkUnavailable with reason CiliumIsUp; null: no such condition (no agent yet).
        if (network is not null) conditions = conditions.Add(network == "CiliumIsUp" ? new Condition("NetworkUnavailable", "False", "CiliumIsUp", "") : new Condition("NetworkUnavailable", "True", network, ""));
        return Add(Kinds.Node, name, null, details with { ReadyCondition = cond }, verdict, conditions);
    }

    public ClusterBuilder Kustomization(string ns, string name, string ready, string reason, bool suspended = false, long generation = 1, long observed = 1, string message = "")
    {
        var d = new KustomizationDetails("./clusters/home-ops", suspended, [], new SourceRef("GitRepository", "flux-system", "flux-system"), "main@sha1:abc", "main@sha1:abc", observed, "10m");
        var verdict = suspended ? new Verdict(HealthStatus.Suspended, "Suspended", "")
            : ready == "True" ? new Verdict(HealthStatus.Healthy, reason, "") : new Verdict(HealthStatus.Failed, reason, message);
        return Add(Kinds.Kustomization, name, ns, d, verdict, [new Condition("Ready", ready, reason, message)], generation);
    }

    public ClusterBuilder HelmRelease(string ns, string name, string ready, string reason, bool suspended = false, bool stalled = false)
    {
        var d = new HelmReleaseDetails("longhorn", "1.10.1", suspended, [], new SourceRef("HelmRepository", "flux-system", "longhorn"), "1.10.1", "deployed", 0, 0, 1);
        ImmutableArray<Condition> conditions = stalled
            ? [new Condition("Ready", ready, reason, "install retries exhausted"), new Condition("Stalled", "True", "RetriesExceeded", "install retries exhausted")]
            : [new Condition("Ready", ready, reason, "")];
        var verdict = ready == "True" ? new Verdict(HealthStatus.Healthy, reason, "") : new Verdict(HealthStatus.Failed, reason, "");
        return Add(Kinds.HelmRelease, name, ns, d, verdict, conditions);
    }

    public ClusterBuilder LonghornNode(string name, bool ready, bool schedulable = true)
    {
        var d = new LonghornNodeDetails(ready, schedulable, []);
        return Add(Kinds.LonghornNode, name, "longhorn-system", d, new Verdict(ready ? HealthStatus.Healthy : HealthStatus.Failed, "", ""),
            [new Condition("Ready", ready ? "True" : "False", ready ? "" : "ManagerPodDown", ""), new Condition("Schedulable", schedulable ? "True" : "False", "", "")]);
    }

    public ClusterBuilder Volume(string name, string state, string robustness, int replicas, string nodeId, DateTimeOffset? lastBackup, (string Ns, string Name)? pvc = null)
    {
        var d = new LonghornVolumeDetails(state, robustness, replicas, 10L << 30, 1L << 30, "longhorn", pvc?.Ns ?? "", pvc?.Name ?? "", nodeId,
            lastBackup is null ? "" : "backup-1", lastBackup, null, [], []);
        var health = robustness switch { "healthy" => HealthStatus.Healthy, "degraded" => HealthStatus.Degraded, "faulted" => HealthStatus.Failed, _ => HealthStatus.Unknown };
        return Add(Kinds.LonghornVolume, name, "longhorn-system", d, new Verdict(health, robustness, ""), []);
    }

    public ClusterBuilder BgpNodeConfig(string node, params string[] peerStates)
    {
        var peers = peerStates.Select((s, i) => new BgpPeer(node, 64512, 64513, $"172.29.51.{i + 1}", s, null, 0, 0)).ToImmutableArray();
        return Add(Kinds.BgpNodeConfig, node, null, new BgpDetails(BgpApi.V2, peers, ""), new Verdict(HealthStatus.Healthy, "", ""), []);
    }

    public ClusterBuilder SecretStore(string name, bool ready) =>
        Add(Kinds.ClusterSecretStore, name, null, new SecretStoreDetails("onepassword", "http://onepassword-connect:8080", ["Automation"], "ReadWrite"),
            ready ? new Verdict(HealthStatus.Healthy, "Valid", "store validated") : new Verdict(HealthStatus.Failed, "ValidationFailed", "unable to validate store"),
            [new Condition("Ready", ready ? "True" : "False", ready ? "Valid" : "ValidationFailed", "")]);

    public ClusterBuilder ExternalSecret(string ns, string name, bool synced) =>
        Add(Kinds.ExternalSecret, name, ns, new ExternalSecretDetails("ClusterSecretStore", "onepassword-connect", name, "1h", null, "", 1),
            synced ? new Verdict(HealthStatus.Healthy, "SecretSynced", "") : new Verdict(HealthStatus.Failed, "SecretSyncedError", ""),
            [new Condition("Ready", synced ? "True" : "False", synced ? "SecretSynced" : "SecretSyncedError", "")]);

    public ClusterBuilder LoadBalancer(string ns, string name, params string[] addresses) =>
        Add(Kinds.Service, name, ns, new ServiceDetails("LoadBalancer", [.. addresses], "bgp-ingress", "", "", "", ["80/TCP"]),
            new Verdict(addresses.Length > 0 ? HealthStatus.Healthy : HealthStatus.Progressing, "", ""), []);

    public ClusterBuilder BgpPeeringPolicy(string name) =>
        Add(Kinds.BgpPeeringPolicy, name, null, new BgpDetails(BgpApi.V1PeeringPolicy, [], "config only"), Verdict.Unknown("NoStatus", ""), []);

    public ClusterBuilder Failed(string kindKey, string ns, string name, string reason)
    {
        var kind = Kinds.FindByKey(kindKey)!;
        return Add(kind, name, ns, NoDetails.Instance, new Verdict(HealthStatus.Failed, reason, ""), []);
    }

    /// <summary>Marks a kind's feed with a state (Live by default for every kind).</summary>
    public ClusterBuilder Feed(KindInfo kind, FeedState state)
    {
        _feeds[kind.Key] = state;
        return this;
    }

    public ClusterBuilder Remove(KindInfo kind, string name)
    {
        if (_items.TryGetValue(kind.Key, out var list)) list.RemoveAll(s => s.Meta.Name == name);
        return this;
    }

    /// <summary>A store holding this state, built through the real actions and reducers.</summary>
    public ClusterStore BuildStore()
    {
        var store = new ClusterStore();
        Apply(store);
        return store;
    }

    public ClusterState Build() => BuildStore().Value;

    /// <summary>Replaces the store's content with this state (every kind re-listed, freshness set).</summary>
    public void Apply(ClusterStore store)
    {
        var now = Now;
        foreach (var kind in Kinds.All)
        {
            store.Dispatch(new ResourcesReplaced(kind, _items.GetValueOrDefault(kind.Key) ?? [], now));
            var state = _feeds.GetValueOrDefault(kind.Key, FeedState.Live);
            store.Dispatch(new FreshnessChanged(kind, new Freshness(state, state == FeedState.Live, now, now, state == FeedState.Live ? 0 : 2,
                state == FeedState.Live ? null : "connection refused", now.AddSeconds(-12), !kind.IsKubernetes)));
        }
    }

    private ClusterBuilder Add(KindInfo kind, string name, string? ns, IResourceDetails details, Verdict verdict, ImmutableArray<Condition> conditions, long generation = 1)
    {
        if (!_items.TryGetValue(kind.Key, out var list)) _items[kind.Key] = list = [];
        list.RemoveAll(s => s.Meta.Name == name && s.Meta.Namespace == ns);
        var uid = $"uid-{Interlocked.Increment(ref _uid)}";
        var labels = kind == Kinds.Node ? ImmutableDictionary<string, string>.Empty.Add("kubernetes.io/hostname", name) : ObjectMeta.NoLabels;
        list.Add(new ResourceSnapshot(kind, new ObjectMeta(uid, name, ns, $"{_uid}", generation, Now, labels, ObjectMeta.NoLabels), details, verdict, conditions, "{}"));
        return this;
    }
}
