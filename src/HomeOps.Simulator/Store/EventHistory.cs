namespace HomeOps.Simulator.Store;

/// <summary>
/// The bounded window of past events that watches resume from, like the API server's watch cache over etcd.
/// Once an event falls out of the window, its resourceVersion (and every older one) is "compacted":
/// resuming from it yields 410 Expired. Not thread-safe; the store guards it with its lock.
/// </summary>
internal sealed class EventHistory(int capacity)
{
    private readonly Queue<StoredEvent> _events = new();

    /// <summary>A watch may resume from any resourceVersion at or after this one.</summary>
    public long OldestResumable { get; private set; }

    public int Count => _events.Count;

    public void Append(StoredEvent stored)
    {
        _events.Enqueue(stored);
        while (_events.Count > Math.Max(1, capacity))
        {
            OldestResumable = _events.Dequeue().ResourceVersion;
        }
    }

    public bool IsExpired(long resourceVersion) => resourceVersion < OldestResumable;

    /// <summary>Events after <paramref name="resourceVersion"/>, oldest first.</summary>
    public IEnumerable<StoredEvent> After(long resourceVersion) => _events.Where(e => e.ResourceVersion > resourceVersion);

    /// <summary>Events after <paramref name="resourceVersion"/>, newest first.</summary>
    public IEnumerable<StoredEvent> NewestFirstAfter(long resourceVersion) =>
        _events.Reverse().TakeWhile(e => e.ResourceVersion > resourceVersion);

    /// <summary>Forgets everything up to <paramref name="resourceVersion"/> (an etcd compaction).</summary>
    public void CompactTo(long resourceVersion)
    {
        while (_events.Count > 0 && _events.Peek().ResourceVersion <= resourceVersion) _events.Dequeue();
        OldestResumable = Math.Max(OldestResumable, resourceVersion);
    }
}
