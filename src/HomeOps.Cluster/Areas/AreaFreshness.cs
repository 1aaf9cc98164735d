using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Areas;

/// <summary>One freshness for a whole area: the least trustworthy of its feeds, so a tile never looks fresher than its worst source.</summary>
public static class AreaFreshness
{
    // A kind that is not installed (e.g. the BGPv2 kinds on a BGPv1 cluster) says nothing about the data shown.
    private static int Rank(FeedState state) => state switch
    {
        FeedState.Error => 5,
        FeedState.Forbidden => 4,
        FeedState.Reconnecting => 3,
        FeedState.Connecting => 2,
        FeedState.Live => 1,
        FeedState.NotInstalled => 0,
        _ => 2,
    };

    public static Freshness Of(ClusterState state, Area area) =>
        Combine(state.SlicesIn(area).Select(s => s.Freshness));

    public static Freshness Combine(IEnumerable<Freshness> feeds)
    {
        Freshness? worst = null;
        foreach (var f in feeds)
        {
            if (worst is null) { worst = f; continue; }
            var (rf, rw) = (Rank(f.State), Rank(worst.State));
            // Same state: the older one (a poll that succeeded longer ago, a reconnect that started earlier).
            if (rf > rw || (rf == rw && Older(f, worst))) worst = f;
        }
        return worst ?? Freshness.Initial(DateTimeOffset.UnixEpoch);
    }

    /// <summary>At least one feed of the area has delivered data (or reports honestly that its kind does not exist).</summary>
    public static bool HasData(ClusterState state, Area area) =>
        state.SlicesIn(area).Any(s => s.Freshness.Synced || s.Items.Count > 0);

    private static bool Older(Freshness a, Freshness b) =>
        a.State == FeedState.Live
            ? (a.LastSyncAt ?? DateTimeOffset.MinValue) < (b.LastSyncAt ?? DateTimeOffset.MinValue)
            : a.Since < b.Since;
}
