using HomeOps.Cluster.Model;

namespace HomeOps.Simulator.Store;

/// <summary>
/// The shape of one simulator's Kubernetes API (from <see cref="ApiOptions"/>): every kind it can serve at the version
/// it serves it at, which of them are not installed (omitted) and which RBAC forbids. Omitting and forbidding can
/// also change while running (a CRD installed or removed, a role tightened), as on a real cluster. Thread-safe.
/// </summary>
public sealed class ServedApi
{
    public const string CiliumGroup = "cilium.io";
    private static readonly string[] CiliumVersions = ["v2alpha1", "v2"];

    private readonly Lock _gate = new();
    private readonly HashSet<string> _omitted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _forbidden = new(StringComparer.Ordinal);

    public ServedApi(ApiOptions? options = null)
    {
        options ??= new ApiOptions();
        var cilium = string.IsNullOrWhiteSpace(options.CiliumVersion) ? "v2alpha1" : options.CiliumVersion.Trim();
        if (!CiliumVersions.Contains(cilium))
            throw new ArgumentException($"Simulator:Api:CiliumVersion must be one of {string.Join(", ", CiliumVersions)}, not '{cilium}'");
        CiliumVersion = cilium;
        // Cilium 1.18 moved the BGPv2 kinds and the LB-IPAM pool to v2; the deprecated PeeringPolicy stayed at v2alpha1.
        All = [.. Kinds.Kubernetes.Select(k => k.Group == CiliumGroup && k.Key != Kinds.BgpPeeringPolicy.Key ? k.AtVersion(cilium) : k)];
        foreach (var name in options.Omit) _omitted.Add(Resolve(name).Key);
        foreach (var name in options.Forbid) _forbidden.Add(Resolve(name).Key);
    }

    /// <summary>The default shape: the live home-ops cluster.</summary>
    public static ServedApi Default { get; } = new();

    public string CiliumVersion { get; }

    /// <summary>Every kind this API knows, at its served version, installed or not.</summary>
    public IReadOnlyList<KindInfo> All { get; }

    /// <summary>The kinds kept in the object store (everything but the computed metrics).</summary>
    public IReadOnlyList<KindInfo> Stored => [.. All.Where(k => !Kinds.IsPolled(k))];

    /// <summary>The kinds installed right now (what discovery lists).</summary>
    public IReadOnlyList<KindInfo> Served
    {
        get
        {
            lock (_gate) return [.. All.Where(k => !_omitted.Contains(k.Key))];
        }
    }

    /// <summary>Raised after a kind was omitted, installed, forbidden or allowed.</summary>
    public event Action<KindInfo>? Changed;

    public bool IsServed(KindInfo kind)
    {
        lock (_gate) return !_omitted.Contains(kind.Key) && All.Any(k => k.Key == kind.Key);
    }

    public bool IsForbidden(KindInfo kind)
    {
        lock (_gate) return _forbidden.Contains(kind.Key);
    }

    /// <summary>The served kind with this key at its served version (installed or not), or null.</summary>
    public KindInfo? Find(KindInfo kind) => All.FirstOrDefault(k => k.Key == kind.Key);

    /// <summary>The installed kind behind <c>/apis/{group}/{version}/{plural}</c>, or null.</summary>
    public KindInfo? FindByResource(string group, string version, string plural) =>
        Served.FirstOrDefault(k => k.Group == group && k.Version == version && k.Plural == plural);

    /// <summary>The CRD is removed: the kind disappears from discovery and answers 404; its objects are kept for a later install.</summary>
    public void Omit(string kind) => Set(_omitted, kind, add: true);

    /// <summary>The CRD is installed (again).</summary>
    public void Install(string kind) => Set(_omitted, kind, add: false);

    /// <summary>RBAC stops allowing the kind: every request for it answers 403.</summary>
    public void Forbid(string kind) => Set(_forbidden, kind, add: true);

    public void Allow(string kind) => Set(_forbidden, kind, add: false);

    private void Set(HashSet<string> set, string name, bool add)
    {
        var kind = Resolve(name);
        lock (_gate)
        {
            if (add ? !set.Add(kind.Key) : !set.Remove(kind.Key)) return;
        }
        Changed?.Invoke(Find(kind)!);
    }

    /// <summary>Resolves a kind named by key, resource (<c>plural.group</c>) or kind name; unknown names are a configuration error.</summary>
    public static KindInfo Resolve(string name)
    {
        var n = name.Trim();
        return Kinds.Kubernetes.FirstOrDefault(k => k.Key == n)
               ?? Kinds.Kubernetes.FirstOrDefault(k => string.Equals(k.Group.Length == 0 ? k.Plural : $"{k.Plural}.{k.Group}", n, StringComparison.OrdinalIgnoreCase))
               ?? Kinds.Kubernetes.FirstOrDefault(k => string.Equals(k.Kind, n, StringComparison.OrdinalIgnoreCase))
               ?? throw new ArgumentException(
                   $"Unknown kind '{name}' in Simulator:Api. Known: {string.Join(", ", Kinds.Kubernetes.Select(k => k.Key))}");
    }
}
