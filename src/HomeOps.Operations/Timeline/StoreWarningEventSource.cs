using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Operations.Timeline;

/// <summary>
/// The timeline's Warning events, read from the store's <c>events.k8s.io/v1</c> slice (issue 16's drill-down keeps
/// only Warning events there). An event is passed on when it is new or its count grew (a repeat of the same reason),
/// at its own last-seen time. A re-list passes on only events last seen since this source started: after a restart the
/// list holds every event still kept by the API server, and those were recorded before.
/// </summary>
public sealed class StoreWarningEventSource(ClusterStore store) : IWarningEventSource
{
    private readonly DateTimeOffset _started = store.Time.GetUtcNow();

    public IDisposable Subscribe(Action<WarningEvent> onWarning) =>
        store.Subscribe(change => OnChange(change, onWarning));

    private void OnChange(StateChange<ClusterState> change, Action<WarningEvent> onWarning)
    {
        switch (change.Action)
        {
            case ResourcesChanged c when c.Kind.Key == Kinds.Event.Key:
                change.Previous.Kinds.TryGetValue(c.Kind.Key, out var before);
                foreach (var s in c.Upserts)
                    if (IsNewOrRepeated(s, before)) Emit(s, change.Current, c.At, onWarning);
                break;
            case ResourcesReplaced r when r.Kind.Key == Kinds.Event.Key:
                change.Previous.Kinds.TryGetValue(r.Kind.Key, out var previous);
                if (!change.Current.Kinds.TryGetValue(r.Kind.Key, out var current)) break;
                foreach (var s in current.Items.Values)
                    if (s.Details is EventDetails { LastSeen: { } seen } && seen >= _started && IsNewOrRepeated(s, previous))
                        Emit(s, change.Current, r.At, onWarning);
                break;
        }
    }

    private static bool IsNewOrRepeated(ResourceSnapshot s, KindSlice? before) =>
        s.Details is EventDetails { Type: "Warning" } e
        && (before is null || !before.Items.TryGetValue(s.Key, out var old)
            || old.Details is not EventDetails was || e.Count > was.Count);

    private static void Emit(ResourceSnapshot s, ClusterState state, DateTimeOffset at, Action<WarningEvent> onWarning)
    {
        var e = (EventDetails)s.Details;
        var area = Kinds.All.FirstOrDefault(k => k.Kind == e.RegardingKind)?.Area.ToString() ?? "";
        // A pod's workload (pods are keyed by uid, which the event names), so repeats on its replicas can be merged.
        var workload = e.RegardingKind == Kinds.Pod.Kind && e.RegardingUid.Length > 0
            && state.Kinds.TryGetValue(Kinds.Pod.Key, out var pods) && pods.Items.TryGetValue(e.RegardingUid, out var pod)
            && pod.Details is PodDetails { Workload: { } w } ? w : null;
        onWarning(new WarningEvent(e.LastSeen ?? at, e.RegardingKind, e.RegardingNamespace, e.RegardingName, e.Reason, e.Note, area,
            workload?.Kind, workload?.Name));
    }
}
