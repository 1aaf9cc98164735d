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

/// <summary>An area's summary: how many objects are OK, the worst health, and how fresh the data is.</summary>
public sealed record AreaReport(string Area, int Total, int Ok, string Worst, string Freshness, bool Live);

/// <summary>The JSON API's and the hub's snapshot: a summary per area plus one entry per object.</summary>
public sealed record HealthReport(DateTimeOffset GeneratedAt, IReadOnlyList<AreaReport> Areas, IReadOnlyList<HealthEntry> Entries)
{
    public static HealthReport From(ClusterState state, DateTimeOffset now)
    {
        var all = state.AllItems.ToList();
        var graph = FluxGraph.Build(all);
        var entries = all
            .OrderBy(s => s.Kind.Area).ThenBy(s => s.Kind.Kind, StringComparer.Ordinal)
            .ThenBy(s => s.Meta.Namespace ?? "", StringComparer.Ordinal).ThenBy(s => s.Meta.Name, StringComparer.Ordinal)
            .Select(s => Entry(s, graph))
            .ToList();
        return new HealthReport(now, AreasOf(state, now), entries);
    }

    public static IReadOnlyList<AreaReport> AreasOf(ClusterState state, DateTimeOffset now) =>
        Enum.GetValues<Area>().Select(area => Summarise(state, area, now)).ToList();

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

    private static AreaReport Summarise(ClusterState state, Area area, DateTimeOffset now)
    {
        var slices = state.SlicesIn(area).ToList();
        var items = slices.SelectMany(s => s.Items.Values).ToList();
        var worst = items.Count == 0 ? HealthStatus.Unknown : items.Select(i => i.Verdict.Health).MaxBy(Severity);
        var stalest = slices.Where(s => s.Freshness.State != FeedState.NotInstalled)
            .OrderBy(s => s.Freshness.IsLive).ThenBy(s => s.Freshness.State).FirstOrDefault();
        var live = stalest?.Freshness.IsLive ?? false;
        return new AreaReport(area.ToString(), items.Count, items.Count(i => i.Verdict.IsOk), worst.ToString(),
            stalest?.Freshness.Describe(now) ?? "not installed", live);
    }

    /// <summary>Ordering for "worst": Failed > Degraded > Unknown > Progressing > Suspended > Healthy.</summary>
    public static int Severity(HealthStatus h) => h switch
    {
        HealthStatus.Failed => 5,
        HealthStatus.Degraded => 4,
        HealthStatus.Unknown => 3,
        HealthStatus.Progressing => 2,
        HealthStatus.Suspended => 1,
        _ => 0,
    };
}
