namespace HomeOps.Cluster.Model;

/// <summary>The areas of the overview, one tile each.</summary>
public enum Area
{
    Nodes,
    Flux,
    Longhorn,
    Bgp,
    Authentik,
}

/// <summary>
/// One resource kind the dashboard reads: where it lives in the API and which overview area it belongs to.
/// Authentik objects are not Kubernetes objects; they use the pseudo group <c>authentik</c> so that the
/// store and the views treat every source alike.
/// </summary>
public sealed record KindInfo(string Kind, string Group, string Version, string Plural, bool Namespaced, Area Area)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Stable key independent of the served version (BGPv2 kinds move from v2alpha1 to v2).</summary>
    public string Key => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

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

    public static readonly KindInfo AuthentikOutpost = new("Outpost", AuthentikGroup, "v3", "outposts", false, Area.Authentik);
    public static readonly KindInfo AuthentikToken = new("Token", AuthentikGroup, "v3", "tokens", false, Area.Authentik);

    /// <summary>Kubernetes kinds that have one informer each.</summary>
    public static readonly IReadOnlyList<KindInfo> Watched =
    [
        Node, GitRepository, Kustomization, HelmRelease,
        LonghornVolume, LonghornNode, LonghornBackup,
        BgpPeeringPolicy, BgpNodeConfig, BgpClusterConfig, BgpPeerConfig, BgpAdvertisement, LoadBalancerIPPool,
    ];

    /// <summary>Every kind, Kubernetes and Authentik.</summary>
    public static readonly IReadOnlyList<KindInfo> All = [.. Watched, AuthentikOutpost, AuthentikToken];

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
