namespace HomeOps.Cluster.State;

// A small store in Fluxor's shape — one immutable feature state, actions, pure reducers, an injectable IState<T> and
// IDispatcher — so that moving to Fluxor later is mechanical. Reducers are plain static methods chosen by a switch on
// the action's type (ClusterReducers.Reduce): no attribute scanning, no compiled expression trees. Fluxor's effects
// are left out until something needs one: nothing does (the informers and pollers do their I/O themselves).

public interface IState<out TState>
{
    TState Value { get; }
}

public interface IDispatcher
{
    void Dispatch(object action);
}

/// <summary>One dispatched action and the state before and after it.</summary>
public sealed record StateChange<TState>(TState Previous, TState Current, object Action);

/// <summary>
/// Holds one immutable state; actions are applied one at a time by the pure <c>reduce</c> function (serialised by a
/// lock), then subscribers are told in order.
/// </summary>
/// <param name="reduce">The root reducer: the next state for an action, or the same instance for an action it ignores.</param>
public sealed class Store<TState>(TState initial, Func<TState, object, TState> reduce) : IState<TState>, IDispatcher
    where TState : class
{
    private readonly Lock _gate = new();
    private readonly List<Action<StateChange<TState>>> _subscribers = [];
    private Action<StateChange<TState>>[] _snapshot = [];
    private volatile TState _value = initial;

    public TState Value => _value;

    /// <summary>A subscriber threw while being told about <c>action</c>; the state change stands.</summary>
    public event Action<Exception, object>? SubscriberFailed;

    public void Dispatch(object action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_gate)
        {
            var previous = _value;
            var next = reduce(previous, action);
            if (ReferenceEquals(previous, next)) return;
            _value = next;
            var change = new StateChange<TState>(previous, next, action);
            foreach (var s in _snapshot)
            {
                // One broken subscriber must neither starve the others nor fail the source that dispatched.
                try { s(change); }
                catch (Exception ex) { SubscriberFailed?.Invoke(ex, action); }
            }
        }
    }

    /// <summary>Subscribes to every state change, in order. Handlers run under the store's lock: keep them short (enqueue, don't render).</summary>
    public IDisposable Subscribe(Action<StateChange<TState>> handler)
    {
        lock (_gate)
        {
            _subscribers.Add(handler);
            _snapshot = [.. _subscribers];
        }
        return new Unsubscriber(() =>
        {
            lock (_gate)
            {
                _subscribers.Remove(handler);
                _snapshot = [.. _subscribers];
            }
        });
    }

    public int SubscriberCount { get { lock (_gate) return _subscribers.Count; } }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
