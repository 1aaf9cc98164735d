using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.State;

/// <summary>The process-wide store of <see cref="ClusterState"/>: one per process, shared by every viewer.</summary>
public sealed class ClusterStore : IState<ClusterState>, IDispatcher
{
    private readonly Store<ClusterState> _store;

    public ClusterStore(TimeProvider? time = null)
    {
        Time = time ?? TimeProvider.System;
        _store = new Store<ClusterState>(ClusterState.Initial(Time.GetUtcNow()), ClusterReducers.Reduce);
    }

    public TimeProvider Time { get; }

    public ClusterState Value => _store.Value;

    public void Dispatch(object action) => _store.Dispatch(action);

    public IDisposable Subscribe(Action<StateChange<ClusterState>> handler) => _store.Subscribe(handler);

    public int SubscriberCount => _store.SubscriberCount;

    // The change set of the latest state change, computed once and shared by every coalescing subscriber
    // (subscribers are called in order under the store's lock, so this single-entry cache needs no lock of its own).
    private StateChange<ClusterState>? _lastChange;
    private ChangeSet _lastDelta = new();

    /// <summary>What <paramref name="change"/> changed; the diff is computed once per change, not once per viewer.</summary>
    internal ChangeSet DeltaOf(StateChange<ClusterState> change)
    {
        if (!ReferenceEquals(change, _lastChange))
        {
            _lastDelta = ChangeSet.Between(change.Previous, change.Current);
            _lastChange = change;
            if (LiveTrace.Log.IsEnabled()) LiveTrace.Log.Ready(change.Current, _lastDelta);
        }
        return _lastDelta;
    }

    /// <summary>
    /// Subscribes with coalescing: changes are merged and <paramref name="onBatch"/> is called at most once per
    /// <paramref name="window"/> with the latest state and everything that changed since the last call.
    /// The first change after an idle window is delivered at once (leading edge); later ones wait for the window.
    /// While paused (a hidden tab) changes accumulate and are delivered on resume.
    /// <paramref name="clock"/> measures the windows; real time (<see cref="TimeProvider.System"/>) by default, not the
    /// store's <see cref="Time"/>, which may be a test's frozen clock under which batches must still flow.
    /// </summary>
    public CoalescingSubscription SubscribeCoalesced(Func<ClusterState, ChangeSet, Task> onBatch, TimeSpan window, TimeProvider? clock = null) =>
        new(this, onBatch, window, clock ?? TimeProvider.System);
}

/// <summary>
/// A per-viewer subscription that batches changes into windows (about 100 ms, as the .NET Aspire dashboard does).
/// Leading edge: a change that finds no delivery in the last window is delivered at once, since nothing is gained by
/// waiting (at 10 changes/s a trailing window added its full 100 ms to every change); changes arriving inside a window
/// are merged and delivered when it ends, so a viewer still renders at most once per window.
/// </summary>
public sealed class CoalescingSubscription : IDisposable
{
    private readonly ClusterStore _store;
    private readonly Func<ClusterState, ChangeSet, Task> _onBatch;
    private readonly TimeSpan _window;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly IDisposable _subscription;
    private ChangeSet _pending = new();
    private bool _scheduled;
    private bool _paused;
    private bool _disposed;
    // When the last delivery started (timestamp of _clock); windows are measured from it.
    private long _lastDeliveryAt = long.MinValue;

    internal CoalescingSubscription(ClusterStore store, Func<ClusterState, ChangeSet, Task> onBatch, TimeSpan window, TimeProvider clock)
    {
        _store = store;
        _onBatch = onBatch;
        _window = window;
        _clock = clock;
        _subscription = store.Subscribe(OnChange);
    }

    public long BatchesDelivered { get; private set; }

    public bool Paused
    {
        get { lock (_gate) return _paused; }
        set
        {
            bool flush;
            lock (_gate)
            {
                _paused = value;
                flush = !value && !_pending.IsEmpty && !_scheduled;
                if (flush) _scheduled = true;
            }
            if (flush) _ = FlushAfterAsync(TimeSpan.Zero);
        }
    }

    private void OnChange(StateChange<ClusterState> change)
    {
        var delta = _store.DeltaOf(change);   // shared with other viewers: read it, never change it
        if (delta.IsEmpty) return;
        bool schedule;
        lock (_gate)
        {
            if (_disposed) return;
            _pending.Merge(delta);
            schedule = !_scheduled && !_paused;
            if (schedule) _scheduled = true;
        }
        if (schedule) ScheduleFlush();
    }

    private void ScheduleFlush()
    {
        var wait = RemainingWindow();
        // OnChange runs under the store's lock: even an immediate delivery runs on the thread pool, never inline.
        if (wait > TimeSpan.Zero) _ = FlushAfterAsync(wait);
        else _ = Task.Run(() => FlushAfterAsync(TimeSpan.Zero));
    }

    /// <summary>How long until a window has passed since the last delivery started (zero when idle that long).</summary>
    private TimeSpan RemainingWindow()
    {
        long last;
        lock (_gate) last = _lastDeliveryAt;
        if (last == long.MinValue) return TimeSpan.Zero;
        var remaining = _window - _clock.GetElapsedTime(last);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    private async Task FlushAfterAsync(TimeSpan delay)
    {
        // _scheduled stays true from scheduling until the delivery is done, so deliveries never overlap and
        // always arrive in order; changes that come in meanwhile wait for the next window.
        if (delay > TimeSpan.Zero) await Task.Delay(delay, _clock).ConfigureAwait(false);
        ChangeSet batch;
        lock (_gate)
        {
            if (_disposed || _paused || _pending.IsEmpty)
            {
                _scheduled = false;
                return;
            }
            batch = _pending;
            _pending = new ChangeSet();
            _lastDeliveryAt = _clock.GetTimestamp();
        }
        try
        {
            await _onBatch(_store.Value, batch).ConfigureAwait(false);
            BatchesDelivered++;
        }
        catch (ObjectDisposedException) { }
        catch (Exception) { /* a viewer's failure must not stop the feed; the viewer logs its own errors */ }
        bool again;
        lock (_gate)
        {
            again = !_disposed && !_paused && !_pending.IsEmpty;
            if (!again) _scheduled = false;
        }
        if (again) ScheduleFlush();
    }

    public void Dispose()
    {
        lock (_gate) _disposed = true;
        _subscription.Dispose();
    }
}
