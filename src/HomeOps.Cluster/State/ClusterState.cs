using System.Collections.Immutable;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.State;

/// <summary>All objects of one kind, keyed by <see cref="ResourceSnapshot.Key"/> (uid), plus the source's freshness.</summary>
public sealed record KindSlice(KindInfo Kind, ImmutableDictionary<string, ResourceSnapshot> Items, Freshness Freshness)
{
    public static KindSlice Empty(KindInfo kind, DateTimeOffset now) =>
        new(kind, ImmutableDictionary<string, ResourceSnapshot>.Empty.WithComparers(StringComparer.Ordinal),
            Freshness.Initial(now, polled: !kind.IsKubernetes));
}

/// <summary>
/// The whole health model: one slice per kind (the feature slices), immutable.
/// Changed only by <see cref="ClusterReducers"/>; read by views, the hub, the CLI, the JSON API and metrics.
/// </summary>
public sealed record ClusterState(ImmutableDictionary<string, KindSlice> Kinds, long Version)
{
    public static ClusterState Initial(DateTimeOffset now, IEnumerable<KindInfo>? kinds = null) =>
        new((kinds ?? Model.Kinds.All).ToImmutableDictionary(k => k.Key, k => KindSlice.Empty(k, now), StringComparer.Ordinal), 0);

    public KindSlice Slice(KindInfo kind) =>
        Kinds.TryGetValue(kind.Key, out var s) ? s : KindSlice.Empty(kind, DateTimeOffset.UnixEpoch);

    public IEnumerable<ResourceSnapshot> Items(KindInfo kind) => Slice(kind).Items.Values;

    public IEnumerable<KindSlice> SlicesIn(Area area) => Kinds.Values.Where(s => s.Kind.Area == area);

    public IEnumerable<ResourceSnapshot> AllItems => Kinds.Values.SelectMany(s => s.Items.Values);
}
