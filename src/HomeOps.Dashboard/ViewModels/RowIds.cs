using HomeOps.Cluster.Model;

namespace HomeOps.Dashboard.ViewModels;

/// <summary>
/// The <c>data-testid</c> contract of rows: <c>row-&lt;kind&gt;-&lt;name&gt;</c>, kind lowercase
/// (<c>row-node-mini02</c>, <c>row-kustomization-infrastructure-longhorn</c>). Longhorn kinds get their own
/// prefixes so a Longhorn node does not collide with a Kubernetes node of the same name.
/// </summary>
public static class RowIds
{
    public static string KindSlug(KindInfo kind)
    {
        if (kind.Key == Kinds.LonghornNode.Key) return "longhornnode";
        if (kind.Key == Kinds.LonghornVolume.Key) return "volume";
        if (kind.Key == Kinds.LonghornBackup.Key) return "backup";
        if (kind.Key == Kinds.AuthentikOutpost.Key) return "outpost";
        if (kind.Key == Kinds.AuthentikToken.Key) return "token";
        return kind.Kind.ToLowerInvariant();
    }

    public static string For(KindInfo kind, string name) => $"row-{KindSlug(kind)}-{name}";

    public static string For(string kindSlug, string name) => $"row-{kindSlug}-{name}";
}
