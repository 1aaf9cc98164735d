using System.Collections.Immutable;
using System.Text.RegularExpressions;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Health;

/// <summary>A Flux object by kind, namespace and name (dependsOn refers to the same kind).</summary>
public sealed record FluxRef(string Kind, string Namespace, string Name)
{
    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}

/// <summary>
/// Why a chain of <c>DependencyNotReady</c> objects is waiting: the first not-ready object that is not itself waiting,
/// a dependency that does not exist, or a cycle. <see cref="Snapshot"/> is null when there is no such object.
/// </summary>
public sealed record FluxRootCause(FluxRef Ref, HealthStatus Health, string Reason, string Message, ResourceSnapshot? Snapshot)
{
    /// <summary>One line for a table: "Kustomization flux-system/infrastructure-onepassword Failed: HealthCheckFailed".</summary>
    public string Describe() => Snapshot is null ? Message : $"{Ref.Kind} {Ref} {Health}: {Reason}";
}

/// <summary>
/// The Flux dependency graph (cluster brief §3.2–3.3) built from <c>spec.dependsOn</c> of Kustomization and HelmRelease
/// snapshots. It traces <c>DependencyNotReady</c> to its root cause(s), counts dependents (blast radius), and treats
/// <c>flux-system</c> as a rollup: with <c>wait: true</c> it goes not-Ready whenever a child does, so it is never
/// reported as the root cause while a child is failing. Pure: build one per state change; never throws on odd input.
/// </summary>
public sealed partial class FluxGraph
{
    public const string RollupName = "flux-system";

    private readonly Dictionary<FluxRef, ResourceSnapshot> _nodes = [];
    private readonly Dictionary<FluxRef, List<FluxRef>> _dependents = [];

    [GeneratedRegex(@"dependency '(?<ns>[^'/]*)/(?<name>[^']+)'")]
    private static partial Regex DependencyInMessage();

    private FluxGraph() { }

    public static FluxGraph Build(IEnumerable<ResourceSnapshot> snapshots)
    {
        var g = new FluxGraph();
        foreach (var s in snapshots)
            if (IsFlux(s)) g._nodes[RefOf(s)] = s;
        foreach (var (self, s) in g._nodes)
            foreach (var dep in SpecDependencies(s))
            {
                if (!g._dependents.TryGetValue(dep, out var list)) g._dependents[dep] = list = [];
                if (!list.Contains(self)) list.Add(self);
            }
        return g;
    }

    public IReadOnlyCollection<ResourceSnapshot> Objects => _nodes.Values;

    public ResourceSnapshot? Find(FluxRef r) => _nodes.GetValueOrDefault(r);

    public static bool IsFlux(ResourceSnapshot s) => s.Kind.Key == Kinds.Kustomization.Key || s.Kind.Key == Kinds.HelmRelease.Key;

    public static FluxRef RefOf(ResourceSnapshot s) => new(s.Kind.Kind, s.Meta.Namespace ?? "", s.Meta.Name);

    /// <summary>The root Kustomization that applies all others (<c>flux-system/flux-system</c>).</summary>
    public static bool IsRollup(ResourceSnapshot s) =>
        s.Kind.Key == Kinds.Kustomization.Key && s.Meta.Name == RollupName && (s.Meta.Namespace ?? RollupName) == RollupName;

    /// <summary>Ready as Flux's dependency check sees it: Ready=True for the current generation (suspended or not).</summary>
    public static bool IsReady(ResourceSnapshot s) =>
        s.FindCondition("Ready") is { IsTrue: true } && s.Verdict.Reason != FluxRule.ObservedGenerationLag;

    public static bool IsWaiting(ResourceSnapshot s) => s.Verdict.Reason == FluxRule.DependencyNotReady;

    private static bool IsFailing(ResourceSnapshot s) => s.Verdict.Health is not (HealthStatus.Healthy or HealthStatus.Suspended);

    /// <summary><c>spec.dependsOn</c> as refs of the same kind.</summary>
    public static ImmutableArray<FluxRef> SpecDependencies(ResourceSnapshot s)
    {
        var deps = s.Details switch
        {
            KustomizationDetails k => k.DependsOn,
            HelmReleaseDetails h => h.DependsOn,
            _ => [],
        };
        return deps.IsDefault ? [] : [.. deps.Select(d => new FluxRef(s.Kind.Kind, d.Namespace, d.Name)).Distinct()];
    }

    /// <summary>dependsOn plus any <c>dependency 'ns/name'</c> named in the Ready message (fragments may lack a spec).</summary>
    private static IEnumerable<FluxRef> WaitingOn(ResourceSnapshot s)
    {
        var fromMessage = DependencyInMessage().Matches(s.Verdict.Message)
            .Select(m => new FluxRef(s.Kind.Kind, m.Groups["ns"].Value, m.Groups["name"].Value));
        return SpecDependencies(s).Concat(fromMessage).Distinct();
    }

    /// <summary>Objects whose dependsOn names this one.</summary>
    public int DirectDependents(ResourceSnapshot s) => _dependents.TryGetValue(RefOf(s), out var l) ? l.Count : 0;

    /// <summary>Blast radius: every object that transitively depends on this one.</summary>
    public int TransitiveDependents(ResourceSnapshot s)
    {
        var seen = new HashSet<FluxRef>();
        var queue = new Queue<FluxRef>([RefOf(s)]);
        while (queue.Count > 0)
            if (_dependents.TryGetValue(queue.Dequeue(), out var list))
                foreach (var d in list)
                    if (seen.Add(d)) queue.Enqueue(d);
        seen.Remove(RefOf(s)); // a cycle back to itself is not a dependent
        return seen.Count;
    }

    /// <summary>
    /// The root cause(s) of one object's state. Waiting (<c>DependencyNotReady</c>) objects are traced through
    /// dependsOn; the rollup resolves to its failing children; any other failing object is its own root cause.
    /// Ready objects have none.
    /// </summary>
    public ImmutableArray<FluxRootCause> RootCauses(ResourceSnapshot s)
    {
        if (!IsFlux(s) || !IsFailing(s)) return [];
        if (IsRollup(s))
        {
            var children = FailingRoots(includeRollup: false);
            return children.IsEmpty ? [Self(s)] : children;
        }
        if (!IsWaiting(s)) return [Self(s)];
        var results = new List<FluxRootCause>();
        Trace(s, [RefOf(s)], [], results, expandRollup: true);
        return [.. results.DistinctBy(r => r.Ref)];
    }

    /// <summary>Every distinct root cause in the graph: what an operator should fix first.</summary>
    public ImmutableArray<FluxRootCause> FailingRoots() => FailingRoots(includeRollup: true);

    private ImmutableArray<FluxRootCause> FailingRoots(bool includeRollup)
    {
        var results = new List<FluxRootCause>();
        ResourceSnapshot? rollup = null;
        foreach (var s in _nodes.Values.OrderBy(n => n.Meta.Namespace).ThenBy(n => n.Meta.Name, StringComparer.Ordinal))
        {
            if (!IsFailing(s)) continue;
            if (IsRollup(s)) rollup = s;
            else if (IsWaiting(s)) Trace(s, [RefOf(s)], [], results, expandRollup: false);
            else results.Add(Self(s));
        }
        var distinct = results.DistinctBy(r => r.Ref).ToList();
        if (distinct.Count == 0 && includeRollup && rollup is not null) distinct.Add(Self(rollup));
        return [.. distinct];
    }

    private void Trace(ResourceSnapshot s, List<FluxRef> path, HashSet<FluxRef> visited, List<FluxRootCause> results, bool expandRollup)
    {
        var deps = WaitingOn(s).ToList();
        if (deps.Count == 0)
        {
            results.Add(new FluxRootCause(RefOf(s), HealthStatus.Unknown, "DependencyUnnamed",
                $"{RefOf(s)} waits on a dependency that neither spec.dependsOn nor the message names", null));
            return;
        }
        foreach (var dep in deps)
        {
            if (path.Contains(dep))
            {
                var cycle = string.Join(" → ", path.SkipWhile(p => p != dep).Append(dep));
                results.Add(new FluxRootCause(dep, HealthStatus.Failed, "DependencyCycle", $"dependency cycle: {cycle}", Find(dep)));
                continue;
            }
            if (!visited.Add(dep)) continue;
            if (!_nodes.TryGetValue(dep, out var d))
            {
                results.Add(new FluxRootCause(dep, HealthStatus.Failed, "DependencyNotFound", $"dependency {dep} not found", null));
                continue;
            }
            if (IsReady(d)) continue; // ready now: the waiting object just has not retried yet
            if (IsRollup(d))
            {
                // The rollup waits on its children; its children are the cause. (When listing every root, the
                // caller already visits each failing child, so nothing is added here.)
                if (!expandRollup) continue;
                var children = FailingRoots(includeRollup: false);
                if (children.IsEmpty) results.Add(Self(d));
                else results.AddRange(children);
                continue;
            }
            if (IsWaiting(d))
            {
                path.Add(dep);
                Trace(d, path, visited, results, expandRollup);
                path.RemoveAt(path.Count - 1);
                continue;
            }
            results.Add(Self(d));
        }
    }

    private static FluxRootCause Self(ResourceSnapshot s) =>
        new(RefOf(s), s.Verdict.Health, s.Verdict.Reason, s.Verdict.Message, s);
}
