using System.Collections.Immutable;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Cluster.Talos;

namespace HomeOps.Cli.Sources;

/// <summary>
/// The store state the dashboard would hold for what the command read, so the CLI's area verdicts come from the same
/// rollups (HomeOps.Cluster.Areas) as the dashboard's: a listed kind is live and synced, a kind the API does not serve is
/// "not installed", and a kind that was not read says so (its area is Unknown, never a made-up Healthy).
/// </summary>
public static class StatusState
{
    public const string NotRead = "not read";

    public static ClusterState Of(SourceResult result, DateTimeOffset now)
    {
        var listed = result.Listed.Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
        var notInstalled = result.NotInstalled.Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
        var byKind = result.Snapshots.GroupBy(s => s.Kind.Key).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var state = ClusterState.Initial(now);
        var kinds = state.Kinds.ToBuilder();
        foreach (var (key, slice) in state.Kinds)
        {
            var items = byKind.GetValueOrDefault(key) is { } snapshots
                ? snapshots.GroupBy(s => s.Key).ToImmutableDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal)
                : slice.Items;
            var freshness = listed.Contains(key)
                ? slice.Freshness with { State = FeedState.Live, Synced = true, LastSyncAt = now, LastEventAt = now }
                : notInstalled.Contains(key)
                    ? slice.Freshness with { State = FeedState.NotInstalled }
                    : slice.Freshness with { State = FeedState.Error, LastError = NotRead };
            kinds[key] = slice with { Items = items, Freshness = freshness };
        }
        return state with { Kinds = kinds.ToImmutable() };
    }

    /// <summary>
    /// The Talos poll's objects and freshness in the state, as the dashboard's feed publishes them
    /// (<see cref="TalosSnapshots.Actions"/>); Talos not asked: its kinds are "not read" without a health of their own
    /// (the etcd line says how to ask), like a dashboard without a talosconfig.
    /// </summary>
    public static ClusterState WithTalos(ClusterState state, TalosReport? talos, DateTimeOffset now)
    {
        if (talos is null)
            return TalosSnapshots.Actions(TalosReport.NotConfigured("not read (pass --talosconfig PATH)", now), now).Aggregate(state, ClusterReducers.Reduce);
        return TalosSnapshots.Actions(talos, now).Aggregate(state, ClusterReducers.Reduce);
    }
}
