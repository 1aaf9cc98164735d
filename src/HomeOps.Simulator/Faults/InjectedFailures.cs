using System.Net;
using HomeOps.Cluster.Model;

namespace HomeOps.Simulator.Faults;

/// <summary>
/// A queue of failures to answer the next list/watch requests with (e.g. 503 while the API server "restarts"),
/// optionally only for one kind. Thread-safe; each failure is used once.
/// </summary>
internal sealed class InjectedFailures
{
    private readonly Lock _gate = new();
    private readonly List<(KindInfo? Kind, HttpStatusCode Code)> _pending = [];

    public void Add(int count, HttpStatusCode code, KindInfo? kind)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++) _pending.Add((kind, code));
        }
    }

    public bool TryTake(KindInfo kind, out HttpStatusCode code)
    {
        lock (_gate)
        {
            var index = _pending.FindIndex(p => p.Kind is null || p.Kind.Key == kind.Key);
            if (index < 0)
            {
                code = default;
                return false;
            }
            code = _pending[index].Code;
            _pending.RemoveAt(index);
            return true;
        }
    }

    public void Clear()
    {
        lock (_gate) _pending.Clear();
    }
}
