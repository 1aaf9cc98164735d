using HomeOps.Cluster.Model;

namespace HomeOps.Dashboard.ViewModels;

/// <summary>
/// When polled data stops being current. A watch says "live" only while its stream is up (the informer marks a silent
/// watch Reconnecting after Cluster:StaleAfter), but a poller stays "Live" until a poll fails — and a hung poll may take
/// the HTTP timeout (25 s per call, several calls per poll) to fail. So polled data whose last success is older than
/// <see cref="MissedPolls"/> poll intervals is shown as stale, whatever the poller still believes.
/// </summary>
public static class DataAge
{
    public const int MissedPolls = 3;

    /// <summary>The age after which polled data is stale: three intervals of the slowest poller, at least 5 s.</summary>
    public static TimeSpan StaleAfter(params TimeSpan[] pollIntervals)
    {
        var slowest = pollIntervals.Where(i => i > TimeSpan.Zero).DefaultIfEmpty(TimeSpan.FromSeconds(10)).Max();
        var after = slowest * MissedPolls;
        return after < TimeSpan.FromSeconds(5) ? TimeSpan.FromSeconds(5) : after;
    }

    /// <summary>Polled, live by its own account, but the last success is older than <paramref name="staleAfter"/>.</summary>
    public static bool IsOverdue(Freshness freshness, DateTimeOffset now, TimeSpan staleAfter) =>
        freshness is { State: FeedState.Live, Polled: true, LastSyncAt: { } at } && now - at > staleAfter;

    /// <summary>The chip's text: the feed's own description, or "stale: updated 40 s ago" when overdue.</summary>
    public static string Describe(Freshness freshness, DateTimeOffset now, TimeSpan staleAfter) =>
        IsOverdue(freshness, now, staleAfter) ? $"stale: {freshness.Describe(now)}" : freshness.Describe(now);
}
