using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Reports;

namespace HomeOps.Cli.Output;

/// <summary>
/// One object to print. <see cref="DisplayMessage"/> is the shared report entry's message (<see cref="HealthReport.Entry"/>),
/// so the CLI names a Flux root cause exactly as the JSON API and the hub do.
/// </summary>
public sealed record StatusRow(ResourceSnapshot Snapshot, HealthEntry Entry)
{
    public string DisplayMessage => Entry.Message;

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
            .Select(s => new StatusRow(s, HealthReport.Entry(s, graph)))
            .ToList();
    }
}
