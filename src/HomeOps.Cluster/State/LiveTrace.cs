using System.Diagnostics.Tracing;
using System.Globalization;

namespace HomeOps.Cluster.State;

/// <summary>
/// Server-side timestamps of the live path, for the benchmarks (docs/benchmarks.md, "Server apart from the browsers"):
/// when a change is ready in the store, and when a render batch or hub message carrying it leaves for each viewer.
/// An <see cref="EventSource"/> named <c>HomeOps-LiveTrace</c>: nothing is computed or recorded unless a listener
/// (the benchmark's EventPipe session) has enabled it — every call site checks <see cref="EventSource.IsEnabled()"/>
/// first, so with no listener it costs one field read. No setting; nothing sensitive (kind keys, resource versions,
/// component type names, an opaque per-circuit number).
/// </summary>
/// <remarks>
/// A change is identified by the highest resource version among the changed objects of a kind: a kind's watch delivers
/// in resource-version order, so a batch carrying version R of kind K carries every earlier change of K too. Versions
/// that are not integers (opaque by contract; etcd's and the simulator's are) are reported as -1.
/// </remarks>
[EventSource(Name = SourceName)]
public sealed class LiveTrace : EventSource
{
    public const string SourceName = "HomeOps-LiveTrace";
    public const int ChangeReadyEvent = 1;
    public const int BatchSentEvent = 2;

    public static readonly LiveTrace Log = new();

    private LiveTrace()
    {
    }

    /// <summary>A state change committed to the store (subscribers are being told now).</summary>
    [Event(ChangeReadyEvent, Level = EventLevel.Informational)]
    public void ChangeReady(string Kind, long ResourceVersion, double AtMs) =>
        WriteEvent(ChangeReadyEvent, Kind, ResourceVersion, AtMs);

    /// <summary>A render batch (Blazor: right after the synchronous render that hands it to the circuit's connection)
    /// or a hub message (after it was written to every connection) left for <paramref name="Viewer"/>.</summary>
    [Event(BatchSentEvent, Level = EventLevel.Informational)]
    public void BatchSent(string Viewer, string Component, string Kind, long ResourceVersion, double AtMs) =>
        WriteEvent(BatchSentEvent, Viewer, Component, Kind, ResourceVersion, AtMs);

    /// <summary>Emits <see cref="ChangeReady"/> for each kind <paramref name="changes"/> touched. Call only when enabled.</summary>
    [NonEvent]
    public void Ready(ClusterState state, ChangeSet changes)
    {
        var at = NowMs();
        foreach (var (kind, keys) in changes.Objects) ChangeReady(kind, MaxResourceVersion(state, kind, keys), at);
    }

    /// <summary>Emits <see cref="BatchSent"/> for each kind <paramref name="changes"/> touched. Call only when enabled.</summary>
    [NonEvent]
    public void Sent(string viewer, string component, ClusterState state, ChangeSet changes)
    {
        var at = NowMs();
        foreach (var (kind, keys) in changes.Objects) BatchSent(viewer, component, kind, MaxResourceVersion(state, kind, keys), at);
    }

    /// <summary>Wall-clock milliseconds since the Unix epoch: comparable across processes on one machine.</summary>
    [NonEvent]
    public static double NowMs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerMillisecond;

    /// <summary>The highest integer resource version among <paramref name="keys"/> still present; -1 when none is an integer.</summary>
    [NonEvent]
    public static long MaxResourceVersion(ClusterState state, string kind, IEnumerable<string> keys)
    {
        var max = -1L;
        if (!state.Kinds.TryGetValue(kind, out var slice)) return max;
        foreach (var key in keys)
            if (slice.Items.TryGetValue(key, out var item)
                && long.TryParse(item.Meta.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) && rv > max)
                max = rv;
        return max;
    }
}
