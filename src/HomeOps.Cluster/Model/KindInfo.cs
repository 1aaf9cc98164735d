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

    public bool IsKubernetes => Group != Kinds.AuthentikGroup;

    /// <summary>The same kind at another served version (discovery decides).</summary>
    public KindInfo AtVersion(string version) => this with { Version = version };

    public override string ToString() => $"{Kind} ({ApiVersion})";
}

/// <summary>The catalogue of kinds. The order here is the order views list them in.</summary>
public static class Kinds
{
    public const string AuthentikGroup = "authentik";

    public static readonly KindInfo Node = new("Node", "", "v1", "nodes", false, Area.Nodes);

    public static readonly KindInfo GitRepository = new("GitRepository", "source.toolkit.fluxcd.io", "v1", "gitrepositories", true, Area.Flux);
    public static readonly KindInfo Kustomization = new("Kustomization", "kustomize.toolkit.fluxcd.io", "v1", "kustomizations", true, Area.Flux);
    public static readonly KindInfo HelmRelease = new("HelmRelease", "helm.toolkit.fluxcd.io", "v2", "helmreleases", true, Area.Flux);

    public static readonly KindInfo LonghornVolume = new("Volume", "longhorn.io", "v1beta2", "volumes", true, Area.Longhorn);
    public static readonly KindInfo LonghornNode = new("Node", "longhorn.io", "v1beta2", "nodes", true, Area.Longhorn);
    public static readonly KindInfo LonghornBackup = new("Backup", "longhorn.io", "v1beta2", "backups", true, Area.Longhorn);

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

    public static readonly KindInfo ClusterSecretStore = new("ClusterSecretStore", "external-secrets.io", "v1", "clustersecretstores", false, Area.Secrets);
    public static readonly KindInfo ExternalSecret = new("ExternalSecret", "external-secrets.io", "v1", "externalsecrets", true, Area.Secrets);

    /// <summary>Node CPU and memory usage from <c>metrics.k8s.io</c>. The metrics API has no watch: it is polled.</summary>
    public static readonly KindInfo NodeMetrics = new("NodeMetrics", "metrics.k8s.io", "v1beta1", "nodes", false, Area.Nodes);

    public static readonly KindInfo AuthentikOutpost = new("Outpost", AuthentikGroup, "v3", "outposts", false, Area.Authentik);
    public static readonly KindInfo AuthentikToken = new("Token", AuthentikGroup, "v3", "tokens", false, Area.Authentik);

    /// <summary>Kubernetes kinds that have one informer each.</summary>
    public static readonly IReadOnlyList<KindInfo> Watched =
    [
        Node, GitRepository, Kustomization, HelmRelease,
        LonghornVolume, LonghornNode, LonghornBackup,
        BgpPeeringPolicy, BgpNodeConfig, BgpClusterConfig, BgpPeerConfig, BgpAdvertisement, LoadBalancerIPPool, Service,
        ClusterSecretStore, ExternalSecret,
    ];

    /// <summary>Kubernetes kinds whose API cannot be watched; one poller each.</summary>
    public static readonly IReadOnlyList<KindInfo> Polled = [NodeMetrics];

    /// <summary>Every Kubernetes kind the dashboard reads (watched or polled): what API discovery is asked about.</summary>
    public static readonly IReadOnlyList<KindInfo> Kubernetes = [.. Watched, .. Polled];

    /// <summary>Every kind, Kubernetes and Authentik.</summary>
    public static readonly IReadOnlyList<KindInfo> All = [.. Kubernetes, AuthentikOutpost, AuthentikToken];

    public static bool IsPolled(KindInfo kind) => Polled.Any(k => k.Key == kind.Key);

    /// <summary>
    /// The versions a kind is read at, best first. Discovery picks the first one the API serves the kind at, so the
    /// newest schema wins where several are served (Cilium ≥ 1.18 serves the BGPv2 kinds at v2 and v2alpha1); a
    /// version not listed here is used only when none of these is served (the decoders read every field tolerantly).
    /// </summary>
    public static IReadOnlyList<string> PreferredVersions(KindInfo kind) =>
        PreferredByGroup.TryGetValue(kind.Group, out var versions) ? versions : [kind.Version];

    private static readonly Dictionary<string, string[]> PreferredByGroup = new(StringComparer.Ordinal)
    {
        ["cilium.io"] = ["v2", "v2alpha1"],
        ["kustomize.toolkit.fluxcd.io"] = ["v1", "v1beta2"],
        ["source.toolkit.fluxcd.io"] = ["v1", "v1beta2"],
        ["helm.toolkit.fluxcd.io"] = ["v2", "v2beta2", "v2beta1"],
        ["longhorn.io"] = ["v1beta2"],
        ["external-secrets.io"] = ["v1", "v1beta1"],
        ["metrics.k8s.io"] = ["v1beta1"],
        [""] = ["v1"],
    };

    private static readonly Dictionary<string, KindInfo> ByKey = All.ToDictionary(k => k.Key, StringComparer.Ordinal);

    public static KindInfo? FindByKey(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>Finds the kind of a Kubernetes object by its <c>apiVersion</c> and <c>kind</c> (any served version of a known group).</summary>
    public static KindInfo? Find(string? apiVersion, string? kind)
    {
        if (string.IsNullOrEmpty(kind) || apiVersion is null) return null;
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        var key = group.Length == 0 ? kind : $"{kind}.{group}";
        return ByKey.TryGetValue(key, out var k) ? (k.Version == version ? k : k.AtVersion(version)) : null;
    }
}
