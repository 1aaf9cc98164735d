using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// The freshness of a polled slice (Prometheus, the network probes): its state, since when it is in that state, the
/// last successful poll and the last error, dispatched as <see cref="FreshnessChanged"/>.
/// </summary>
internal sealed class PolledFreshness(KindInfo kind, IState<ClusterState> state, IDispatcher dispatcher, TimeProvider time)
{
    private DateTimeOffset _since = time.GetUtcNow();
    private FeedState _feed = FeedState.Connecting;

    /// <param name="syncedAt">When the poll succeeded; null keeps the last success (a failure, or not configured).</param>
    public void Publish(FeedState feed, string? error, DateTimeOffset? syncedAt)
    {
        var now = time.GetUtcNow();
        if (feed != _feed) (_since, _feed) = (now, feed);
        var current = state.Value.Slice(kind).Freshness;
        dispatcher.Dispatch(new FreshnessChanged(kind, current with
        {
            State = feed,
            LastError = error,
            Since = _since,
            LastSyncAt = syncedAt ?? current.LastSyncAt,
            Polled = true,
        }));
    }
}
