using System.Reflection;

namespace HomeOps.Cluster.State;

// A small store in Fluxor's shape (feature state, [ReducerMethod] pure reducers, [EffectMethod] effects,
// injectable IState<T> and IDispatcher), so that moving to Fluxor later is mechanical.

/// <summary>Marks a static pure reducer <c>TState Reduce(TState state, TAction action)</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReducerMethodAttribute : Attribute;

/// <summary>Marks an effect method <c>Task Handle(TAction action, IDispatcher dispatcher)</c> on an <see cref="IEffects"/> class.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class EffectMethodAttribute : Attribute;

/// <summary>A class holding effect methods; registered in DI.</summary>
public interface IEffects;

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
/// Holds one immutable state; actions are applied one at a time by pure reducers (serialised by a lock),
/// then subscribers are told in order, then effects run (asynchronously, off the lock).
/// </summary>
public sealed class Store<TState> : IState<TState>, IDispatcher where TState : class
{
    private readonly Dictionary<Type, Func<TState, object, TState>[]> _reducers;
    private readonly IReadOnlyList<(Type ActionType, object Target, MethodInfo Method)> _effects;
    private readonly Lock _gate = new();
    private readonly List<Action<StateChange<TState>>> _subscribers = [];
    private Action<StateChange<TState>>[] _snapshot = [];
    private volatile TState _value;

    public Store(TState initial, IEnumerable<Type> reducerTypes, IEnumerable<IEffects>? effects = null)
    {
        _value = initial;
        _reducers = reducerTypes
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(m => m.GetCustomAttribute<ReducerMethodAttribute>() is not null)
            .Select(m => (ActionType: m.GetParameters()[1].ParameterType, Fn: CompileReducer(m)))
            .GroupBy(x => x.ActionType)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Fn).ToArray());
        _effects = (effects ?? [])
            .SelectMany(e => e.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Where(m => m.GetCustomAttribute<EffectMethodAttribute>() is not null)
                .Select(m => (m.GetParameters()[0].ParameterType, (object)e, m)))
            .ToList();
    }

    public TState Value => _value;

    public event Action<Exception, object>? EffectFailed;

    /// <summary>A subscriber threw while being told about <c>action</c>; the state change stands.</summary>
    public event Action<Exception, object>? SubscriberFailed;

    public void Dispatch(object action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Action<StateChange<TState>>[] subscribers;
        StateChange<TState>? change = null;
        lock (_gate)
        {
            var previous = _value;
            var next = previous;
            if (_reducers.TryGetValue(action.GetType(), out var fns))
                foreach (var fn in fns) next = fn(next, action);
            if (!ReferenceEquals(previous, next))
            {
                _value = next;
                change = new StateChange<TState>(previous, next, action);
                subscribers = _snapshot;
                foreach (var s in subscribers)
                {
                    // One broken subscriber must neither starve the others nor fail the source that dispatched.
                    try { s(change); }
                    catch (Exception ex) { SubscriberFailed?.Invoke(ex, action); }
                }
            }
        }
        RunEffects(action);
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

    private void RunEffects(object action)
    {
        foreach (var (type, target, method) in _effects)
        {
            if (!type.IsInstanceOfType(action)) continue;
            Task task;
            try { task = (Task)method.Invoke(target, [action, this])!; }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                // Reflection wraps what the effect threw; report the effect's own exception.
                EffectFailed?.Invoke(ex.InnerException, action);
                continue;
            }
            catch (Exception ex) { EffectFailed?.Invoke(ex, action); continue; }
            task.ContinueWith(t => EffectFailed?.Invoke(t.Exception!.GetBaseException(), action),
                TaskContinuationOptions.OnlyOnFaulted);
        }
    }

    private static Func<TState, object, TState> CompileReducer(MethodInfo m)
    {
        var ps = m.GetParameters();
        if (ps.Length != 2 || ps[0].ParameterType != typeof(TState) || m.ReturnType != typeof(TState))
            throw new InvalidOperationException($"Reducer {m.DeclaringType}.{m.Name} must be TState Reduce(TState, TAction).");
        var s = System.Linq.Expressions.Expression.Parameter(typeof(TState));
        var a = System.Linq.Expressions.Expression.Parameter(typeof(object));
        var call = System.Linq.Expressions.Expression.Call(m, s, System.Linq.Expressions.Expression.Convert(a, ps[1].ParameterType));
        return System.Linq.Expressions.Expression.Lambda<Func<TState, object, TState>>(call, s, a).Compile();
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;
        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
