using HomeOps.Cluster.Model;

namespace HomeOps.Simulator.Store;

/// <summary>
/// The kinds the simulator serves — exactly the Kubernetes kinds the dashboard watches, at the versions of the
/// live home-ops cluster — and which of them have a <c>status</c> subresource (as in its discovery documents).
/// </summary>
public static class ServedKinds
{
    public static IReadOnlyList<KindInfo> All => Kinds.Watched;

    // CiliumBGPPeeringPolicy and CiliumBGPAdvertisement are served without a status subresource; so are Events.
    private static readonly HashSet<string> WithoutStatus = [Kinds.BgpPeeringPolicy.Key, Kinds.BgpAdvertisement.Key, Kinds.Event.Key];

    public static bool HasStatusSubresource(KindInfo kind) => !WithoutStatus.Contains(kind.Key);

    /// <summary>Core Nodes carry no <c>metadata.generation</c>; custom resources do.</summary>
    public static bool TracksGeneration(KindInfo kind) => kind.Group.Length != 0 && kind.Key != Kinds.Event.Key;

    /// <summary>The served kind for an exact <c>apiVersion</c> + <c>kind</c>, or null.</summary>
    public static KindInfo? Find(string? apiVersion, string? kind)
    {
        var found = Kinds.Find(apiVersion, kind);
        return found is not null && found.IsKubernetes && All.FirstOrDefault(k => k.Key == found.Key) is { } served
               && served.Version == found.Version ? served : null;
    }

    /// <summary>The served kind with the same group and kind at any version (for seed dumps from other API versions).</summary>
    public static KindInfo? FindAnyVersion(string? apiVersion, string? kind)
    {
        var found = Kinds.Find(apiVersion, kind);
        return found is null ? null : All.FirstOrDefault(k => k.Key == found.Key);
    }

    public static KindInfo? FindByResource(string group, string version, string plural) =>
        All.FirstOrDefault(k => k.Group == group && k.Version == version && k.Plural == plural);
}
