using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Operations.Gates;

/// <summary><c>longhorn-nodes-ready</c>: every Longhorn node has Ready=True.</summary>
public sealed class LonghornNodesReadyGate : IGate
{
    public string Name => "longhorn-nodes-ready";
    public string Description => "Every Longhorn node (nodes.longhorn.io) is Ready.";
    public IReadOnlyList<GateArgument> Arguments { get; } = [];

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now)
    {
        if (GateData.Staleness(state, now, Kinds.LonghornNode) is { } stale) return GateResult.OnStaleData(stale);
        var nodes = state.Items(Kinds.LonghornNode).OrderBy(n => n.Meta.Name, StringComparer.Ordinal).ToList();
        if (nodes.Count == 0) return GateResult.Fail("no Longhorn nodes are known (Longhorn not installed yet?)");
        var notReady = new List<string>();
        var unschedulable = new List<string>();
        foreach (var n in nodes)
        {
            var cond = n.FindCondition("Ready");
            var ready = cond?.IsTrue ?? (n.Details as LonghornNodeDetails)?.Ready ?? false;
            if (!ready) notReady.Add($"{n.Meta.Name} ({(cond is null ? "no Ready condition" : $"{cond.Reason}")})");
            var sched = n.FindCondition("Schedulable");
            if (sched?.IsFalse == true) unschedulable.Add(n.Meta.Name);
        }
        var text = $"{nodes.Count - notReady.Count} of {nodes.Count} Longhorn nodes Ready"
                   + (notReady.Count > 0 ? $"; not Ready: {GateData.List(notReady)}" : "")
                   + (unschedulable.Count > 0 ? $"; not schedulable: {GateData.List(unschedulable)}" : "");
        return notReady.Count == 0 ? GateResult.Pass(text) : GateResult.Fail(text);
    }
}

/// <summary>
/// <c>volumes-healthy</c>: every attached volume has robustness healthy. A detached volume reports robustness
/// "unknown", which is idle, not an error (FIELDS.md §3).
/// </summary>
public sealed class VolumesHealthyGate : IGate
{
    public string Name => "volumes-healthy";
    public string Description => "Every Longhorn volume is healthy (detached volumes with robustness unknown count as idle).";
    public IReadOnlyList<GateArgument> Arguments { get; } = [];

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now)
    {
        if (GateData.Staleness(state, now, Kinds.LonghornVolume) is { } stale) return GateResult.OnStaleData(stale);
        var volumes = state.Items(Kinds.LonghornVolume).OrderBy(v => v.Meta.Name, StringComparer.Ordinal).ToList();
        if (volumes.Count == 0) return GateResult.Pass("no Longhorn volumes exist");
        var bad = new List<string>();
        var idle = 0;
        foreach (var v in volumes)
        {
            if (v.Details is not LonghornVolumeDetails d) { bad.Add($"{v.Meta.Name} (no status)"); continue; }
            var robustness = d.Robustness.ToLowerInvariant();
            var detached = string.Equals(d.State, "detached", StringComparison.OrdinalIgnoreCase);
            if (robustness == "healthy") continue;
            if (detached && robustness is "unknown" or "") { idle++; continue; }
            bad.Add($"{Label(v, d)} ({d.State}, {(robustness.Length == 0 ? "no robustness" : robustness)})");
        }
        var text = $"{volumes.Count - bad.Count} of {volumes.Count} volumes healthy or idle"
                   + (idle > 0 ? $" ({idle} detached)" : "")
                   + (bad.Count > 0 ? $"; not healthy: {GateData.List(bad)}" : "");
        return bad.Count == 0 ? GateResult.Pass(text) : GateResult.Fail(text);
    }

    internal static string Label(ResourceSnapshot v, LonghornVolumeDetails d) =>
        d.PvcName.Length > 0 ? $"{v.Meta.Name} [{d.PvcNamespace}/{d.PvcName}]" : v.Meta.Name;
}
