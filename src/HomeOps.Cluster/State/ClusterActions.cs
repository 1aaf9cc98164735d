using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.State;

/// <summary>A full list of a kind replaced what the store had (initial sync or re-list after 410 / a dropped stream).</summary>
public sealed record ResourcesReplaced(KindInfo Kind, IReadOnlyList<ResourceSnapshot> Items, DateTimeOffset At);

/// <summary>Watch events of one kind, in order: upserts (ADDED/MODIFIED) and deletions by key.</summary>
public sealed record ResourcesChanged(KindInfo Kind, IReadOnlyList<ResourceSnapshot> Upserts, IReadOnlyList<string> DeletedKeys, DateTimeOffset At);

/// <summary>The source of a kind changed its freshness (connected, reconnecting, forbidden…).</summary>
public sealed record FreshnessChanged(KindInfo Kind, Freshness Freshness);
