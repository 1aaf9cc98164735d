using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Reports;

/// <summary>
/// One object's verdict in the shape the <c>status</c> command prints (plus the store key, for deltas).
/// <c>namespace</c> is null for cluster-scoped objects; <c>health</c> is a <see cref="HealthStatus"/> name.
/// </summary>
public sealed record HealthEntry(string Key, string Kind, string ApiVersion, string? Namespace, string Name, string Health, string Reason, string Message)
{
    public static HealthEntry From(ResourceSnapshot s, string? message = null) =>
        new(s.Key, s.Kind.Kind, s.Kind.ApiVersion, s.Meta.Namespace, s.Meta.Name, s.Verdict.Health.ToString(), s.Verdict.Reason,
            message ?? s.Verdict.Message);
}

/// <summary>
/// An area's verdict as the API, the hub and the CLI send it: <see cref="IAreaRollup"/> flattened. <c>Ok</c>/<c>Total</c>
/// are the numbers of <c>Count</c> ("2/3"; BGP with unknown sessions: "?/N"), <c>CountLabel</c> says what they count.
/// </summary>
public sealed record AreaReport(string Area, int Total, int Ok, string Worst, string Freshness, bool Live, string Count, string CountLabel)
{
    public static AreaReport From(IAreaRollup rollup, DateTimeOffset now) =>
        new(rollup.Area, rollup.Total, rollup.Ok, rollup.Health.ToString(), rollup.Freshness.Describe(now), rollup.Freshness.IsLive,
            rollup.Count, rollup.CountLabel);
}

/// <summary>The JSON API's and the hub's snapshot: a summary per area plus one entry per object.</summary>
public sealed record HealthReport(DateTimeOffset GeneratedAt, IReadOnlyList<AreaReport> Areas, IReadOnlyList<HealthEntry> Entries)
{
    /// <param name="expectedNodes"><c>Cluster:ExpectedNodes</c>: an absent one makes the Nodes area Failed.</param>
    public static HealthReport From(ClusterState state, IReadOnlyList<string> expectedNodes, DateTimeOffset now)
    {
        var all = state.AllItems.ToList();
        var graph = FluxGraph.Build(all);
        var entries = all
            .OrderBy(s => s.Kind.Area).ThenBy(s => s.Kind.Kind, StringComparer.Ordinal)
            .ThenBy(s => s.Meta.Namespace ?? "", StringComparer.Ordinal).ThenBy(s => s.Meta.Name, StringComparer.Ordinal)
            .Select(s => Entry(s, graph))
            .ToList();
        return new HealthReport(now, AreasOf(state, expectedNodes, now), entries);
    }

    /// <summary>Every area's verdict, from <see cref="AreaRollups"/> (the objects the tiles show).</summary>
    public static IReadOnlyList<AreaReport> AreasOf(ClusterState state, IReadOnlyList<string> expectedNodes, DateTimeOffset now) =>
        AreaRollups.All(state, expectedNodes).Select(r => AreaReport.From(r, now)).ToList();

    /// <summary>An entry whose message names the Flux root cause when the object is only waiting on a dependency.</summary>
    public static HealthEntry Entry(ResourceSnapshot s, FluxGraph graph)
    {
        if (FluxGraph.IsFlux(s) && (FluxGraph.IsWaiting(s) || (FluxGraph.IsRollup(s) && !s.Verdict.IsOk)))
        {
            var causes = graph.RootCauses(s);
            if (causes.Length > 0)
                return HealthEntry.From(s, $"root cause: {string.Join("; ", causes.Select(c => c.Describe()))} — {s.Verdict.Message}");
        }
        return HealthEntry.From(s);
    }
}
