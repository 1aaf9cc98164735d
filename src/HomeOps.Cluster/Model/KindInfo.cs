namespace HomeOps.Cluster.Model;

/// <summary>The areas of the overview, one tile each.</summary>
public enum Area
{
    Nodes,
    Flux,
    Longhorn,
    Bgp,
    Authentik,
    /// <summary>The secrets pipeline: 1Password Connect → ClusterSecretStore → ExternalSecrets (cluster brief §10.11).</summary>
    Secrets,
    /// <summary>
    /// The workload layer (Pods, Deployments, DaemonSets, StatefulSets, Jobs, Warning Events): read for the drill-down
    /// from a Flux object to the pod and event that explain it. Not an overview tile of its own: the areas that own a
    /// workload (Cilium agent → BGP, 1Password Connect → Secrets, outposts → Authentik) read it in their rollups.
    /// </summary>
    Workloads,
}

/// <summary>
/// One resource kind the dashboard reads: where it lives in the API and which overview area it belongs to.
/// Authentik objects are not Kubernetes objects; they use the pseudo group <c>authentik</c> so that the
/// store and the views treat every source alike.
/// </summary>
public sealed record KindInfo(string Kind, string Group, string Version, string Plural, bool Namespaced, Area Area)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>
    /// Stable key independent of the served version (BGPv2 kinds move from v2alpha1 to v2). Computed once: the store
    /// looks it up on every dispatch. Only <see cref="AtVersion"/> makes copies, and the version is not part of the key.
    /// </summary>
    public string Key { get; } = Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    public bool IsKubernetes => Group != Kinds.AuthentikGroup && Group != Kinds.ObservedGroup;

    /// <summary>The same kind at another served version (discovery decides).</summary>
    public KindInfo AtVersion(string version) => this with { Version = version };

    public override string ToString() => $"{Kind} ({ApiVersion})";
}

/// <summary>The named kinds. Which of them are read, how, at which versions, by which decoder and rule: <see cref="KindTable"/>.</summary>
public static class Kinds
{
    public const string AuthentikGroup = "authentik";

    /// <summary>
    /// The pseudo group of what the dashboard observes itself rather than reads from an API object: its black-box probes
    /// of the network path and the BGP sessions the Cilium agents export to Prometheus (<see cref="KindFeed.Observed"/>).
    /// </summary>
    public const string ObservedGroup = "observed.homeops";

    public static readonly KindInfo Node = new("Node", "", "v1", "nodes", false, Area.Nodes);

    public static readonly KindInfo GitRepository = new("GitRepository", "source.toolkit.fluxcd.io", "v1", "gitrepositories", true, Area.Flux);
    public static readonly KindInfo Kustomization = new("Kustomization", "kustomize.toolkit.fluxcd.io", "v1", "kustomizations", true, Area.Flux);
    public static readonly KindInfo HelmRelease = new("HelmRelease", "helm.toolkit.fluxcd.io", "v2", "helmreleases", true, Area.Flux);

    public static readonly KindInfo LonghornVolume = new("Volume", "longhorn.io", "v1beta2", "volumes", true, Area.Longhorn);
    public static readonly KindInfo LonghornNode = new("Node", "longhorn.io", "v1beta2", "nodes", true, Area.Longhorn);
    public static readonly KindInfo LonghornBackup = new("Backup", "longhorn.io", "v1beta2", "backups", true, Area.Longhorn);

    /// <summary>Where backups go (Longhorn 1.10: <c>longhorn-system/default</c>); missing or not available → no backup can run.</summary>
    public static readonly KindInfo LonghornBackupTarget = new("BackupTarget", "longhorn.io", "v1beta2", "backuptargets", true, Area.Longhorn);

    /// <summary>A scheduled snapshot/backup job; volumes join it through its groups (the backup policy's max ages come from here).</summary>
    public static readonly KindInfo LonghornRecurringJob = new("RecurringJob", "longhorn.io", "v1beta2", "recurringjobs", true, Area.Longhorn);

    public static readonly KindInfo BgpPeeringPolicy = new("CiliumBGPPeeringPolicy", "cilium.io", "v2alpha1", "ciliumbgppeeringpolicies", false, Area.Bgp);
    public static readonly KindInfo BgpNodeConfig = new("CiliumBGPNodeConfig", "cilium.io", "v2alpha1", "ciliumbgpnodeconfigs", false, Area.Bgp);
    public static readonly KindInfo BgpClusterConfig = new("CiliumBGPClusterConfig", "cilium.io", "v2alpha1", "ciliumbgpclusterconfigs", false, Area.Bgp);
    public static readonly KindInfo BgpPeerConfig = new("CiliumBGPPeerConfig", "cilium.io", "v2alpha1", "ciliumbgppeerconfigs", false, Area.Bgp);
    public static readonly KindInfo BgpAdvertisement = new("CiliumBGPAdvertisement", "cilium.io", "v2alpha1", "ciliumbgpadvertisements", false, Area.Bgp);
    public static readonly KindInfo LoadBalancerIPPool = new("CiliumLoadBalancerIPPool", "cilium.io", "v2alpha1", "ciliumloadbalancerippools", false, Area.Bgp);

    /// <summary>
    /// v1 Services. Only <c>type: LoadBalancer</c> matters (LB-IPAM, cluster brief §5.3); the API cannot select by type,
    /// so the others are dropped as they arrive (<see cref="Health.ResourceDecoder.IsTracked"/>).
    /// </summary>
    public static readonly KindInfo Service = new("Service", "", "v1", "services", true, Area.Bgp);

    /// <summary>
    /// <c>networking.k8s.io/v1</c> Ingresses, read only: each host in <c>spec.rules</c> is one target of the network
    /// probe (<see cref="Sources.Probes.NetworkProbe.Targets"/>), https when <c>spec.tls</c> names it, else http.
    /// </summary>
    public static readonly KindInfo Ingress = new("Ingress", "networking.k8s.io", "v1", "ingresses", true, Area.Bgp);

    public static readonly KindInfo ClusterSecretStore = new("ClusterSecretStore", "external-secrets.io", "v1", "clustersecretstores", false, Area.Secrets);
    public static readonly KindInfo ExternalSecret = new("ExternalSecret", "external-secrets.io", "v1", "externalsecrets", true, Area.Secrets);

    /// <summary>
    /// cert-manager Certificates (TLS material, like the secrets pipeline): their Ready verdict counts as any object's; their
    /// expiry and renewal are judged on the slow-burn radar (<see cref="Reports.ExpiryRadar"/>).
    /// </summary>
    public static readonly KindInfo Certificate = new("Certificate", "cert-manager.io", "v1", "certificates", true, Area.Secrets);

    public static readonly KindInfo Pod = new("Pod", "", "v1", "pods", true, Area.Workloads);
    public static readonly KindInfo Deployment = new("Deployment", "apps", "v1", "deployments", true, Area.Workloads);
    public static readonly KindInfo DaemonSet = new("DaemonSet", "apps", "v1", "daemonsets", true, Area.Workloads);
    public static readonly KindInfo StatefulSet = new("StatefulSet", "apps", "v1", "statefulsets", true, Area.Workloads);
    public static readonly KindInfo Job = new("Job", "batch", "v1", "jobs", true, Area.Workloads);

    /// <summary>
    /// <c>events.k8s.io/v1</c> Events. Only <c>type: Warning</c> ones are kept (<see cref="Health.ResourceDecoder.IsTracked"/>):
    /// Normal events are most of the volume and explain nothing red.
    /// </summary>
    public static readonly KindInfo Event = new("Event", "events.k8s.io", "v1", "events", true, Area.Workloads);

    /// <summary>Node CPU and memory usage from <c>metrics.k8s.io</c>. The metrics API has no watch: it is polled.</summary>
    public static readonly KindInfo NodeMetrics = new("NodeMetrics", "metrics.k8s.io", "v1beta1", "nodes", false, Area.Nodes);

    public static readonly KindInfo AuthentikOutpost = new("Outpost", AuthentikGroup, "v3", "outposts", false, Area.Authentik);
    public static readonly KindInfo AuthentikToken = new("Token", AuthentikGroup, "v3", "tokens", false, Area.Authentik);

    /// <summary>One black-box probe target (an LB-IPAM VIP or an Ingress host) with its last result, probed from the dashboard.</summary>
    public static readonly KindInfo ProbeTarget = new("ProbeTarget", ObservedGroup, "v1", "probetargets", true, Area.Bgp);

    /// <summary>One BGP session as a Cilium agent exports it (<c>cilium_bgp_control_plane_session_state</c>), read through Prometheus.</summary>
    public static readonly KindInfo BgpSession = new("BgpSession", ObservedGroup, "v1", "bgpsessions", false, Area.Bgp);

    /// <summary>
    /// One node as Talos reports it (machine stage, services, apid reachability, versions) with
    /// <see cref="Talos.TalosRules.Node"/>'s verdict: published by the Talos feed (<see cref="Talos.TalosFeed"/>), part of
    /// the Nodes area.
    /// </summary>
    public static readonly KindInfo TalosNode = new("TalosNode", ObservedGroup, "v1", "talosnodes", false, Area.Nodes);

    /// <summary>etcd as Talos reports it (members, leader, alarms, quorum): one object named "etcd", part of the Nodes area.</summary>
    public static readonly KindInfo Etcd = new("Etcd", ObservedGroup, "v1", "etcds", false, Area.Nodes);
    /// One Longhorn volume's backup deadline (<see cref="Health.BackupPolicy"/>): its last successful backup against the
    /// maximum age of its recurring-job group. Time-dependent, so it is evaluated by the dashboard (not decoded from an object).
    /// </summary>
    public static readonly KindInfo VolumeBackup = new("VolumeBackup", ObservedGroup, "v1", "volumebackups", true, Area.Longhorn);

    // The lists below come from KindTable (the one place a kind is registered). They are properties, not fields, so
    // that KindTable (which reads the KindInfos above) and this class never wait on each other's initialisation.

    /// <summary>Kubernetes kinds that have one informer each.</summary>
    public static IReadOnlyList<KindInfo> Watched => KindTable.Watched;

    /// <summary>Kubernetes kinds whose API cannot be watched; one poller each.</summary>
    public static IReadOnlyList<KindInfo> Polled => KindTable.Polled;

    /// <summary>Every Kubernetes kind the dashboard reads (watched or polled): what API discovery is asked about.</summary>
    public static IReadOnlyList<KindInfo> Kubernetes => KindTable.Kubernetes;

    /// <summary>Every kind, Kubernetes and Authentik.</summary>
    public static IReadOnlyList<KindInfo> All => KindTable.All;

    public static bool IsPolled(KindInfo kind) => KindTable.Find(kind)?.Feed == KindFeed.Polled;

    /// <summary>
    /// The versions a kind is read at, best first (<see cref="KindEntry.Versions"/>); a kind not in the table is read
    /// at its own version.
    /// </summary>
    public static IReadOnlyList<string> PreferredVersions(KindInfo kind) => KindTable.Find(kind)?.Versions ?? [kind.Version];

    public static KindInfo? FindByKey(string key) => KindTable.FindByKey(key)?.Kind;

    /// <summary>Finds the kind of a Kubernetes object by its <c>apiVersion</c> and <c>kind</c> (any served version of a known group).</summary>
    public static KindInfo? Find(string? apiVersion, string? kind)
    {
        if (string.IsNullOrEmpty(kind) || apiVersion is null) return null;
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        var key = group.Length == 0 ? kind : $"{kind}.{group}";
        return KindTable.FindByKey(key)?.Kind is { } k ? (k.Version == version ? k : k.AtVersion(version)) : null;
    }
}
