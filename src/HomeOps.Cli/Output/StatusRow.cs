using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cli.Output;

/// <summary>One object to print, with the root cause when it is waiting on a Flux dependency (or is the flux-system rollup).</summary>
public sealed record StatusRow(ResourceSnapshot Snapshot, IReadOnlyList<FluxRootCause> RootCauses)
{
    public string DisplayMessage => RootCauses.Count == 0
        ? Snapshot.Verdict.Message
        : $"root cause: {string.Join("; ", RootCauses.Select(r => r.Describe()))} — {Snapshot.Verdict.Message}";

    /// <summary>Rows in overview order (area, then the kind catalogue, then namespace and name), with Flux root causes.</summary>
    public static IReadOnlyList<StatusRow> From(IReadOnlyList<ResourceSnapshot> snapshots)
    {
        var graph = FluxGraph.Build(snapshots);
        var kindOrder = Kinds.All.Select((k, i) => (k.Key, i)).ToDictionary(x => x.Key, x => x.i);
        return snapshots
            .OrderBy(s => s.Kind.Area)
            .ThenBy(s => kindOrder.GetValueOrDefault(s.Kind.Key, int.MaxValue))
            .ThenBy(s => s.Meta.Namespace ?? "", StringComparer.Ordinal)
            .ThenBy(s => s.Meta.Name, StringComparer.Ordinal)
            .Select(s => new StatusRow(s, NeedsRootCause(s) ? graph.RootCauses(s) : []))
            .ToList();
    }

    private static bool NeedsRootCause(ResourceSnapshot s) =>
        FluxGraph.IsFlux(s) && (FluxGraph.IsWaiting(s) || (FluxGraph.IsRollup(s) && !s.Verdict.IsOk));
}
