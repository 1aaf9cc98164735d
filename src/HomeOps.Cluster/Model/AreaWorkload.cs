namespace HomeOps.Cluster.Model;

/// <summary>
/// A workload an area's health includes besides its own kinds (see <c>Areas.AreaWorkloads</c>): by kind, namespace and
/// name (or name prefix). The list lives here, in the model, because the store's change sets also need it: a change to
/// one of these workloads or to its pods must re-render the area that owns it.
/// </summary>
/// <param name="Name">The exact name, or null for every workload of the kind in the namespace (filtered by <paramref name="NamePrefix"/>).</param>
public sealed record AreaWorkload(Area Area, KindInfo Kind, string Namespace, string? Name, string NamePrefix = "")
{
    public bool Matches(ResourceSnapshot s) =>
        s.Kind.Key == Kind.Key && s.Meta.Namespace == Namespace
        && (Name is null ? s.Meta.Name.StartsWith(NamePrefix, StringComparison.Ordinal) : s.Meta.Name == Name);

    /// <summary>
    /// The Cilium agent (BGP), 1Password Connect (Secrets: a Connect pod that cannot start makes the area red before any
    /// ExternalSecret notices), and the Authentik outposts: the external proxy outpost in <c>authentik-proxy</c> and the
    /// ones Authentik deploys itself as <c>ak-outpost-*</c>.
    /// </summary>
    public static readonly IReadOnlyList<AreaWorkload> All =
    [
        new(Area.Bgp, Kinds.DaemonSet, "kube-system", "cilium"),
        new(Area.Secrets, Kinds.Deployment, "onepassword-connect", "onepassword-connect"),
        new(Area.Authentik, Kinds.Deployment, "authentik-proxy", null),
        new(Area.Authentik, Kinds.Deployment, "authentik", null, "ak-outpost-"),
    ];

    /// <summary>Whether a pod belongs to this workload (its resolved owner, a Deployment through its ReplicaSet).</summary>
    public bool Owns(ResourceSnapshot pod) =>
        pod.Details is PodDetails { Workload: { } wl } && pod.Meta.Namespace == Namespace && wl.Kind == Kind.Kind
        && (Name is null ? wl.Name.StartsWith(NamePrefix, StringComparison.Ordinal) : wl.Name == Name);

    /// <summary>
    /// Whether a workload-layer object is one <paramref name="area"/> shows: one of its workloads, or a pod of one
    /// (what <c>Areas.AreaWorkloads.Of</c> yields). Another pod or event in the same namespace is not: an area page or
    /// tile must not re-render for it.
    /// </summary>
    public static bool Concerns(Area area, ResourceSnapshot s)
    {
        foreach (var w in All)
            if (w.Area == area && (w.Matches(s) || w.Owns(s))) return true;
        return false;
    }

    public static bool AnyFor(Area area)
    {
        foreach (var w in All)
            if (w.Area == area) return true;
        return false;
    }
}
