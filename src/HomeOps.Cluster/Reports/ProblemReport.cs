using System.Collections.Concurrent;
using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Reports;

/// <summary>
/// One current problem: an object whose verdict needs an operator's eye (<see cref="HealthOrder.IsProblem"/>) in an area
/// whose rollup is a problem, an expected node that is missing, or an area that is a problem with no object to blame (its
/// data unknown or stale). <c>Kind</c>/<c>Key</c> find the object in the store (empty for a missing node or an area);
/// <c>Since</c> is when it entered this health, when known.
/// </summary>
public sealed record Problem(string Area, string KindKey, string Key, string Kind, string? Namespace, string Name,
    HealthStatus Health, string Reason, string Message, DateTimeOffset? Since)
{
    public string DisplayName => Namespace is null ? Name : $"{Namespace}/{Name}";

    /// <summary>Identity across states: the area and the store key (or the name for a missing node or an area).</summary>
    public string Id => $"{Area}|{KindKey}|{(Key.Length > 0 ? Key : Name)}";
}

/// <summary>
/// The overview's verdict line and its problem list, worst first: "All healthy · live", "2 problems · live". Built from
/// the area rollups (<see cref="AreaRollups"/>) and the objects' verdicts — never a verdict of its own — so "All healthy"
/// is shown exactly when every tile is Healthy or Suspended. <c>Freshness</c> is the least trustworthy of the areas'.
/// The overview, <c>/api/v1/problems</c> (and the offline view that caches it) and the notifications read this.
/// </summary>
public sealed record ProblemReport(DateTimeOffset GeneratedAt, string Worst, int Count, string Verdict, string Freshness, bool Live,
    IReadOnlyList<Problem> Problems)
{
    public const string AreaKind = "Area";
    public const string LoadBalancersArea = LoadBalancersRollup.Name;

    private static readonly SharedView<ProblemReport> Shared = new();

    /// <summary>
    /// One report per state, shared by every viewer (each circuit's overview, issue 18): computed by the first viewer of
    /// a state and kept, weakly keyed by that state, while the state lives. Its <c>Since</c> is the verdicts' own only;
    /// the <see cref="ProblemClock"/>'s times are read at render (they move on after the state). An area problem's
    /// freshness text is as of the first viewer's <paramref name="now"/>, as a circuit's report was as of its last batch.
    /// </summary>
    public static ProblemReport Of(ClusterState state, IReadOnlyList<string> expectedNodes, DateTimeOffset now) =>
        Shared.Get([state, expectedNodes], () => From(state, expectedNodes, now));

    /// <param name="since">When a problem entered its health (a <see cref="ProblemClock"/>), for those whose verdict does not say.</param>
    public static ProblemReport From(ClusterState state, IReadOnlyList<string> expectedNodes, DateTimeOffset now,
        Func<Problem, DateTimeOffset?>? since = null)
    {
        var rollups = AreaRollups.All(state, expectedNodes);
        var bad = rollups.Where(r => HealthOrder.IsProblem(r.Health)).ToDictionary(r => r.Area, StringComparer.Ordinal);
        var problems = new List<Problem>();
        if (bad.Count > 0)
        {
            var all = state.AllItems.ToList();
            var graph = FluxGraph.Build(all);
            foreach (var s in all)
            {
                if (!HealthOrder.IsProblem(s.Verdict.Health)) continue;
                var area = AreaOf(s.Kind);
                if (!bad.ContainsKey(area)) continue;
                // The Flux root cause, when an object only waits on a dependency (the API's message).
                var entry = HealthReport.Entry(s, graph);
                problems.Add(new Problem(area, s.Kind.Key, s.Key, s.Kind.Kind, s.Meta.Namespace, s.Meta.Name, s.Verdict.Health,
                    s.Verdict.Reason, entry.Message, s.Verdict.Since));
            }
            if (bad.TryGetValue(nameof(Area.Nodes), out var n) && n is NodesRollup nodes)
                foreach (var missing in nodes.Nodes.Where(e => e.Missing))
                    problems.Add(new Problem(nodes.Area, Kinds.Node.Key, "", Kinds.Node.Kind, null, missing.Name, missing.Verdict.Health,
                        missing.Verdict.Reason, missing.Verdict.Message, null));
            if (bad.TryGetValue(nameof(Area.Longhorn), out var l) && l is LonghornRollup { MissingBackupTarget: { } target } longhorn)
                problems.Add(new Problem(longhorn.Area, Kinds.LonghornBackupTarget.Key, "", Kinds.LonghornBackupTarget.Kind, "longhorn-system",
                    "default", target.Health, target.Reason, target.Message, null));
            foreach (var r in bad.Values.Where(r => problems.All(p => p.Area != r.Area)))
                problems.Add(new Problem(r.Area, "", "", AreaKind, null, r.Area, r.Health, "Area" + r.Health,
                    $"{r.Count} {r.CountLabel} · {r.Freshness.Describe(now)}", null));
        }
        if (since is not null)
            problems = [.. problems.Select(p => p.Since is null ? p with { Since = since(p) } : p)];
        var ordered = HealthOrder.WorstFirst(problems, p => p.Health, p => p.Area + "/" + p.DisplayName);
        var freshness = FreshnessOf(rollups);
        var worst = HealthOrder.Worst(rollups.Select(r => r.Health));
        return new ProblemReport(now, worst.ToString(), ordered.Count, VerdictText(ordered.Count), freshness.Describe(now), freshness.IsLive, ordered);
    }

    /// <summary>The verdict line's freshness: the least trustworthy of the areas' (<see cref="AreaFreshness.Combine"/>).</summary>
    public static Freshness FreshnessOf(IEnumerable<IAreaRollup> rollups) => AreaFreshness.Combine(rollups.Select(r => r.Freshness));

    public static Freshness FreshnessOf(ClusterState state, IReadOnlyList<string> expectedNodes) => FreshnessOf(AreaRollups.All(state, expectedNodes));

    public static string VerdictText(int count) => count switch
    {
        0 => "All healthy",
        1 => "1 problem",
        _ => $"{count} problems",
    };

    /// <summary>The overview area an object's kind is shown in: LB-IPAM's kinds have their own tile.</summary>
    public static string AreaOf(KindInfo kind) =>
        kind == Kinds.Service || kind == Kinds.LoadBalancerIPPool ? LoadBalancersArea : kind.Area.ToString();
}

/// <summary>
/// When each current problem entered its health, as this process saw it: a problem whose verdict carries no time of its
/// own is dated from the first state that showed it. One per process (observed by the notification monitor on every
/// state change), so every viewer sees the same "for 4 min".
/// </summary>
public sealed class ProblemClock
{
    private readonly ConcurrentDictionary<string, (HealthStatus Health, DateTimeOffset Since)> _seen = new(StringComparer.Ordinal);

    /// <summary>Records the problems of one state: new ones (or a new health) from <paramref name="now"/>; gone ones forgotten.</summary>
    public void Observe(IReadOnlyList<Problem> problems, DateTimeOffset now)
    {
        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in problems)
        {
            current.Add(p.Id);
            _seen.AddOrUpdate(p.Id, _ => (p.Health, p.Since ?? now), (_, old) => old.Health == p.Health ? old : (p.Health, p.Since ?? now));
        }
        foreach (var id in _seen.Keys)
            if (!current.Contains(id)) _seen.TryRemove(id, out _);
    }

    public DateTimeOffset? SinceOf(Problem p) =>
        _seen.TryGetValue(p.Id, out var seen) && seen.Health == p.Health ? seen.Since : null;
}
