using System.Collections.Concurrent;
using HomeOps.Cluster.State;
using HomeOps.Operations.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HomeOps.Operations.Timeline;

/// <summary>
/// Records what changed into the timeline. Inputs: every state change of the <see cref="ClusterStore"/> (health
/// transitions from the verdicts the rules computed, Flux revisions, chart/app versions, boot ids, Talos/Kubernetes
/// versions), Warning events from every registered <see cref="IWarningEventSource"/>, and the dashboard's actions
/// (<see cref="TimelineAuditSink"/> calls <see cref="Record"/>).
/// <para>
/// The hot path only enqueues: the store's handler (which runs under the store's lock) adds the change to a queue and
/// returns. Every <see cref="TimelineOptions.FlushInterval"/> the queue is turned into entries in memory and written in
/// one transaction with the changed objects' last facts (at most <see cref="TimelineOptions.MaxBatch"/> entries per
/// flush): one database round trip per interval, not one per event.
/// </para>
/// <para>
/// Restart: the last facts of every object are in the database (<see cref="TimelineObjectState"/>). The first list of a
/// kind after start is compared with them; what differs happened while the dashboard was down and is recorded with
/// <see cref="TimelineEntry.SeenAtStart"/> at the list's time.
/// </para>
/// </summary>
public sealed class TimelineRecorder : BackgroundService, ITimelineFeed
{
    /// <summary>Entries waiting beyond this many (a database that stays down) are dropped oldest first, with a warning.</summary>
    public const int MaxPendingBatches = 20;

    /// <summary>
    /// Repeats of a mergeable change (<see cref="TimelineEntry.MergeKey"/>: a Warning on the same object or another pod of
    /// the same workload with the same reason; a pod transition shared by its workload's pods) within this window of the
    /// first are counted on the first entry (<see cref="TimelineEntry.Count"/>) instead of being added.
    /// </summary>
    public static readonly TimeSpan MergeWindow = TimeSpan.FromMinutes(10);

    private readonly ClusterStore _store;
    private readonly OperationsDatabase _database;
    private readonly TimelineOptions _options;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<IWarningEventSource> _warningSources;
    private readonly ILogger _log;

    private readonly ConcurrentQueue<StateChange<ClusterState>> _changes = new();
    private readonly ConcurrentQueue<TimelineEntry> _direct = new();
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Lock _feedGate = new();
    private Action<IReadOnlyList<TimelineEntry>>[] _feed = [];

    // Owned by the flush (under _flushGate).
    private readonly Dictionary<string, ObjectFacts> _baseline = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _removed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _started = new(StringComparer.Ordinal);
    private readonly List<TimelineEntry> _pending = [];
    private readonly Dictionary<string, TimelineEntry> _recent = new(StringComparer.Ordinal);
    private readonly List<TimelineEntry> _merged = [];
    private bool _loaded;

    public TimelineRecorder(ClusterStore store, OperationsDatabase database, TimelineOptions options, TimeProvider time,
        IEnumerable<IWarningEventSource>? warningSources = null, ILogger<TimelineRecorder>? logger = null)
    {
        _store = store;
        _database = database;
        _options = options;
        _time = time;
        _warningSources = warningSources?.ToList() ?? [];
        _log = logger ?? NullLogger<TimelineRecorder>.Instance;
    }

    /// <summary>Entries written so far (for tests and the benchmark).</summary>
    public long Written { get; private set; }

    /// <summary>Flushes (database round trips for entries) so far.</summary>
    public long Flushes { get; private set; }

    /// <summary>Marks the state at start: the kinds already listed are compared with the stored facts as their first list.</summary>
    private sealed record StartMarker;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadBaselineAsync(cancellationToken).ConfigureAwait(false);
        // Subscribe first, then mark the current state: a list that lands in between is seen either way.
        AddSubscription(_store.Subscribe(change => _changes.Enqueue(change)));
        var now = _store.Value;
        _changes.Enqueue(new StateChange<ClusterState>(now, now, new StartMarker()));
        foreach (var source in _warningSources)
            AddSubscription(source.Subscribe(OnWarning));
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    private void AddSubscription(IDisposable subscription)
    {
        lock (_subscriptions) _subscriptions.Add(subscription);
    }

    // Stop and Dispose may overlap with each other (the host stops, the factory disposes): take the list once, under its lock.
    private void DisposeSubscriptions()
    {
        IDisposable[] taken;
        lock (_subscriptions)
        {
            taken = [.. _subscriptions];
            _subscriptions.Clear();
        }
        foreach (var s in taken) s.Dispose();
    }

    /// <summary>Adds an entry from outside the store (an action, an event); written with the next flush.</summary>
    public void Record(TimelineEntry entry) => _direct.Enqueue(entry);

    public IDisposable Subscribe(Action<IReadOnlyList<TimelineEntry>> onEntries)
    {
        lock (_feedGate) _feed = [.. _feed, onEntries];
        return new Unsubscriber(() => { lock (_feedGate) _feed = [.. _feed.Where(f => f != onEntries)]; });
    }

    private void OnWarning(WarningEvent e) => Record(new TimelineEntry
    {
        At = e.At, Category = TimelineCategory.Warning, Area = e.Area, Kind = e.Kind, Namespace = e.Namespace, Name = e.Name,
        Summary = e.Message.Length > 0 ? $"{e.Reason}: {e.Message}" : e.Reason, To = e.Reason,
        MergeUnder = MergeTarget.Of(e.Kind, e.Name, e.WorkloadKind, e.WorkloadName),
    });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(FlushLoopAsync(stoppingToken), PruneLoopAsync(stoppingToken)).ConfigureAwait(false);
    }

    private async Task FlushLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.FlushInterval, _time, ct).ConfigureAwait(false);
                await FlushAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception ex) { _log.LogWarning(ex, "Writing the change timeline failed; retrying with the next flush"); }
        }
    }

    private async Task PruneLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await PruneAsync(ct).ConfigureAwait(false);
                await Task.Delay(_options.PruneInterval, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception ex)
            {
                _log.LogWarning(ex, "Pruning the change timeline failed");
                try { await Task.Delay(_options.PruneInterval, _time, ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        DisposeSubscriptions();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // What was seen before the stop is written, so the next start compares against it.
        try { await FlushAsync(cancellationToken).ConfigureAwait(false); }
        catch (Exception ex) when (ex is not OperationCanceledException) { _log.LogWarning(ex, "Writing the change timeline at stop failed"); }
    }

    /// <summary>Deletes entries older than the retention; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken ct = default)
    {
        var cutoff = _time.GetUtcNow() - _options.Retention;
        await using var db = _database.CreateContext();
        var deleted = await db.Timeline.Where(e => e.At < cutoff).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        if (deleted > 0) _log.LogInformation("Pruned {Count} timeline entries older than {Cutoff:u}", deleted, cutoff);
        return deleted;
    }

    /// <summary>Turns what was queued into entries and writes them with the changed facts, in one transaction.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        await _flushGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!_loaded) await LoadBaselineCoreAsync(ct).ConfigureAwait(false);
            while (_changes.TryDequeue(out var change)) Process(change);
            while (_direct.TryDequeue(out var entry)) Admit(entry);
            ForgetOldMerges();
            BoundPending();
            if (_pending.Count == 0 && _merged.Count == 0 && _dirty.Count == 0 && _removed.Count == 0) return;

            var batch = _pending.Take(_options.MaxBatch).Select(e => e.Bounded()).ToList();
            var merged = _merged.ToList();
            await WriteAsync(batch, merged, ct).ConfigureAwait(false);
            _pending.RemoveRange(0, batch.Count);
            _merged.Clear();
            Written += batch.Count;
            Flushes++;
            // Merged entries are published again (same id, higher count): live views replace them.
            if (batch.Count > 0 || merged.Count > 0) Publish([.. merged, .. batch]);
        }
        finally
        {
            _flushGate.Release();
        }
    }

    /// <summary>
    /// Adds an entry to the pending ones, or counts it on the first entry with the same merge key within
    /// <see cref="MergeWindow"/> (already written: updated with the next flush; still pending: written with its count).
    /// </summary>
    private void Admit(TimelineEntry e)
    {
        if (e.MergeKey is not { } key)
        {
            _pending.Add(e);
            return;
        }
        if (_recent.TryGetValue(key, out var first) && (e.At - first.At).Duration() <= MergeWindow)
        {
            first.Count = (first.Count ?? 1) + 1;
            // Seen on another object of the group (another replica): the entry is about the workload now.
            if ((first.Kind != e.Kind || first.Name != e.Name) && e.MergeUnder is { } group)
            {
                first.Kind = group.Kind;
                first.Name = group.Name;
            }
            if (first.Id != 0 && !_merged.Contains(first)) _merged.Add(first);
            return;
        }
        _recent[key] = e;
        _pending.Add(e);
    }

    private void ForgetOldMerges()
    {
        if (_recent.Count == 0) return;
        var cutoff = _time.GetUtcNow() - MergeWindow - MergeWindow;
        foreach (var key in _recent.Where(r => r.Value.At < cutoff).Select(r => r.Key).ToList()) _recent.Remove(key);
    }

    private async Task WriteAsync(List<TimelineEntry> batch, List<TimelineEntry> merged, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        await using var db = _database.CreateContext();
        await using var tx = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
        db.Timeline.AddRange(batch);
        foreach (var m in merged)
        {
            var row = db.Timeline.Attach(m);
            row.Property(t => t.Count).IsModified = true;
            row.Property(t => t.Kind).IsModified = true;
            row.Property(t => t.Name).IsModified = true;
        }
        foreach (var chunk in _dirty.Chunk(500))
        {
            var keys = chunk.ToList();
            var rows = await db.TimelineObjects.Where(r => keys.Contains(r.Key)).ToDictionaryAsync(r => r.Key, StringComparer.Ordinal, ct).ConfigureAwait(false);
            foreach (var key in keys)
            {
                if (!_baseline.TryGetValue(key, out var facts)) continue;
                if (!rows.TryGetValue(key, out var row))
                {
                    row = new TimelineObjectState { Key = key };
                    db.TimelineObjects.Add(row);
                }
                facts.CopyTo(row);
                row.UpdatedAt = now;
            }
        }
        foreach (var chunk in _removed.Chunk(500))
        {
            var keys = chunk.ToList();
            await db.TimelineObjects.Where(r => keys.Contains(r.Key)).ExecuteDeleteAsync(ct).ConfigureAwait(false);
        }
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        _dirty.Clear();
        _removed.Clear();
    }

    private void BoundPending()
    {
        var max = _options.MaxBatch * MaxPendingBatches;
        if (_pending.Count <= max) return;
        var drop = _pending.Count - max;
        _pending.RemoveRange(0, drop);
        _log.LogWarning("The change timeline dropped {Count} unwritten entries (the database has not accepted writes)", drop);
    }

    private void Publish(IReadOnlyList<TimelineEntry> entries)
    {
        Action<IReadOnlyList<TimelineEntry>>[] feed;
        lock (_feedGate) feed = _feed;
        foreach (var f in feed)
        {
            try { f(entries); }
            catch (Exception ex) { _log.LogWarning(ex, "A timeline viewer failed"); }
        }
    }

    private void Process(StateChange<ClusterState> change)
    {
        switch (change.Action)
        {
            case StartMarker:
                foreach (var slice in change.Current.Kinds.Values)
                    if (slice.Freshness.Synced && !_started.Contains(slice.Kind.Key))
                        ProcessList(slice.Kind.Key, change.Current, _time.GetUtcNow());
                break;
            case ResourcesReplaced r:
                ProcessList(r.Kind.Key, change.Current, r.At);
                break;
            case ResourcesChanged c:
                if (!change.Current.Kinds.TryGetValue(c.Kind.Key, out var current)) break;
                foreach (var u in c.Upserts)
                    if (current.Items.TryGetValue(u.Key, out var s))
                        ProcessObject(s, change.Current, c.At, seenAtStart: false);
                if (c.DeletedKeys.Count > 0 && change.Previous.Kinds.TryGetValue(c.Kind.Key, out var previous))
                    foreach (var k in c.DeletedKeys)
                        if (previous.Items.TryGetValue(k, out var gone) && !current.Items.ContainsKey(k))
                            Forget(ChangeDetector.KeyOf(gone));
                break;
        }
    }

    /// <summary>A full list of a kind: the first after start is compared with the stored facts ("seen at start").</summary>
    private void ProcessList(string kindKey, ClusterState state, DateTimeOffset at)
    {
        if (!state.Kinds.TryGetValue(kindKey, out var slice)) return;
        var atStart = _started.Add(kindKey);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in slice.Items.Values)
        {
            seen.Add(ChangeDetector.KeyOf(s));
            ProcessObject(s, state, at, atStart);
        }
        var prefix = kindKey + "|";
        foreach (var key in _baseline.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !seen.Contains(k)).ToList())
            Forget(key);
    }

    private void ProcessObject(Cluster.Model.ResourceSnapshot s, ClusterState state, DateTimeOffset at, bool seenAtStart)
    {
        var key = ChangeDetector.KeyOf(s);
        if (key.Length > TimelineObjectState.KeyLength) return;
        var after = ObjectFacts.Of(s);
        _baseline.TryGetValue(key, out var before);
        if (after == before) return;
        foreach (var entry in ChangeDetector.Diff(before, after, s, state, at, seenAtStart)) Admit(entry);
        _baseline[key] = after;
        _dirty.Add(key);
        _removed.Remove(key);
    }

    private void Forget(string key)
    {
        if (!_baseline.Remove(key)) return;
        _dirty.Remove(key);
        _removed.Add(key);
    }

    private async Task LoadBaselineAsync(CancellationToken ct)
    {
        await _flushGate.WaitAsync(ct).ConfigureAwait(false);
        try { await LoadBaselineCoreAsync(ct).ConfigureAwait(false); }
        finally { _flushGate.Release(); }
    }

    private async Task LoadBaselineCoreAsync(CancellationToken ct)
    {
        if (_loaded) return;
        await using var db = _database.CreateContext();
        await foreach (var row in db.TimelineObjects.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct).ConfigureAwait(false))
            _baseline[row.Key] = ObjectFacts.From(row);
        _loaded = true;
    }

    public override void Dispose()
    {
        DisposeSubscriptions();
        _flushGate.Dispose();
        base.Dispose();
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
