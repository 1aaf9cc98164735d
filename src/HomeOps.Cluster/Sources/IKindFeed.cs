using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// The one source of one kind's data in the process: a <see cref="KindInformer"/> (list and watch) or a
/// <see cref="NodeMetricsPoller"/> (list on an interval, for APIs without watch). Run by <see cref="InformerHost"/>.
/// </summary>
public interface IKindFeed
{
    /// <summary>The kind, at the version this feed reads.</summary>
    KindInfo Kind { get; }

    FeedState State { get; }

    /// <summary>Listed at least once since start.</summary>
    bool HasSynced { get; }

    /// <summary>Readiness may stop waiting for this feed: synced, or a definitive answer that there is nothing to read.</summary>
    bool IsSettled { get; }

    /// <summary>Runs until cancelled; never throws otherwise.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
