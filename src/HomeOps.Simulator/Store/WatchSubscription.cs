using System.Threading.Channels;
using HomeOps.Cluster.Model;

namespace HomeOps.Simulator.Store;

/// <summary>
/// One open watch: its filter, the events to send first (replay from history, or ADDED for the current objects),
/// and a bounded queue the store feeds under its lock. A watcher that falls too far behind is closed, as the API
/// server closes slow watchers; the client then resumes or re-lists.
/// </summary>
internal sealed class WatchSubscription : IDisposable
{
    private const int QueueCapacity = 10_000;

    private readonly Channel<StoredEvent> _queue = Channel.CreateBounded<StoredEvent>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, SingleWriter = false });

    private readonly Action<WatchSubscription> _unsubscribe;

    public WatchSubscription(KindInfo kind, string? @namespace, LabelSelector labels, FieldSelector fields,
        Action<WatchSubscription> unsubscribe)
    {
        Kind = kind;
        Namespace = @namespace;
        Labels = labels;
        Fields = fields;
        _unsubscribe = unsubscribe;
    }

    public KindInfo Kind { get; }
    public string? Namespace { get; }
    public LabelSelector Labels { get; }
    public FieldSelector Fields { get; }

    public IReadOnlyList<StoredEvent> Initial { get; set; } = [];

    public ChannelReader<StoredEvent> Events => _queue.Reader;

    /// <summary>True once the store closed this watch (fault injection, restart, or an overflowing queue).</summary>
    public bool Closed { get; private set; }

    /// <summary>The event as this watch must see it, or null when it does not concern it.</summary>
    public StoredEvent? Project(StoredEvent stored)
    {
        if (stored.KindKey != Kind.Key) return null;
        if (Namespace is not null && stored.Namespace != Namespace) return null;
        if (!Fields.Matches(stored.Namespace, stored.Name)) return null;
        var now = Labels.Matches(stored.Labels);
        if (stored.Type != WatchEventType.Modified || stored.PreviousLabels is null || Labels.IsEverything)
        {
            return now ? stored : null;
        }
        var before = Labels.Matches(stored.PreviousLabels);
        return (before, now) switch
        {
            (true, true) => stored,
            (false, true) => stored with { Type = WatchEventType.Added },
            (true, false) => stored with { Type = WatchEventType.Deleted },
            _ => null,
        };
    }

    /// <summary>Queues an event; false when the watcher is too far behind.</summary>
    public bool Offer(StoredEvent stored) => Project(stored) is not { } projected || _queue.Writer.TryWrite(projected);

    public bool HasPending => _queue.Reader.Count > 0;

    /// <summary>True when the store closed the watch as a crashing server would: the connection is reset, not ended.</summary>
    public bool AbortConnection { get; private set; }

    public void Close(bool abortConnection = false)
    {
        AbortConnection = abortConnection;
        Closed = true;
        _queue.Writer.TryComplete();
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _unsubscribe(this);
    }
}
