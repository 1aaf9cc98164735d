using System.Collections.Immutable;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Health;

/// <summary>A Kustomization that needs the secrets pipeline, and why it is at risk.</summary>
/// <param name="Path">The dependsOn chain from the pipeline's Kustomization to this one (first = pipeline root).</param>
public sealed record AtRiskKustomization(FluxRef Kustomization, string Reason, ImmutableArray<FluxRef> Path, HealthStatus CurrentHealth);

/// <summary>The secrets pipeline's state and its blast radius.</summary>
/// <param name="StoreHealthy">Whether the store is Ready; null when its state is not known (ESO not installed or not listed yet).</param>
public sealed record SecretsRiskReport(bool? StoreHealthy, string StoreProblem, ImmutableArray<AtRiskKustomization> AtRisk);

/// <summary>
/// When the <c>onepassword-connect</c> ClusterSecretStore is not Ready, every Kustomization that (transitively) depends on
/// <c>infrastructure-onepassword</c> or <c>infrastructure-external-secrets</c> is at risk: its Secrets stop refreshing
/// and its next apply can fail (cluster brief §9 row 2: 22–23 of 31 depend on it). They are marked before Flux reports
/// them failing. Pure: built from <see cref="ClusterState"/>; the graph comes from <c>spec.dependsOn</c>.
/// </summary>
public static class SecretsRisk
{
    public const string StoreName = "onepassword-connect";
    public static readonly ImmutableArray<string> PipelineKustomizations = ["infrastructure-onepassword", "infrastructure-external-secrets"];

    public static SecretsRiskReport Evaluate(ClusterState state)
    {
        var slice = state.Slice(Kinds.ClusterSecretStore);
        var store = slice.Items.Values.FirstOrDefault(s => s.Meta.Name == StoreName);
        string problem;
        if (store is not null)
        {
            if (store.Verdict.Health == HealthStatus.Healthy) return new SecretsRiskReport(true, "", []);
            problem = $"ClusterSecretStore {StoreName} is {store.Verdict.Health}: {store.Verdict.Reason}" +
                      (store.Verdict.Message.Length > 0 ? $" ({store.Verdict.Message})" : "");
        }
        else if (slice.Freshness.Synced && slice.Freshness.State == FeedState.Live)
        {
            problem = $"ClusterSecretStore {StoreName} does not exist";
        }
        else
        {
            // ESO not installed, forbidden or not listed yet: nothing honest to say about the store.
            return new SecretsRiskReport(null, "", []);
        }
        return new SecretsRiskReport(false, problem, AtRisk(state, problem));
    }

    /// <summary>Every Kustomization downstream of the pipeline roots, with the shortest dependsOn chain that links it.</summary>
    public static ImmutableArray<AtRiskKustomization> AtRisk(ClusterState state, string problem)
    {
        var kustomizations = state.Items(Kinds.Kustomization).ToList();
        var byRef = kustomizations.GroupBy(FluxGraph.RefOf).ToDictionary(g => g.Key, g => g.First());
        var dependents = new Dictionary<FluxRef, List<FluxRef>>();
        foreach (var k in kustomizations)
            foreach (var dep in FluxGraph.SpecDependencies(k))
            {
                if (!dependents.TryGetValue(dep, out var list)) dependents[dep] = list = [];
                list.Add(FluxGraph.RefOf(k));
            }

        // Breadth-first from each root: every dependent gets its shortest chain (ties go to the first root listed).
        // A root that depends on another root (onepassword on external-secrets) is itself at risk.
        var paths = new Dictionary<FluxRef, ImmutableArray<FluxRef>>();
        foreach (var root in PipelineKustomizations.SelectMany(name => byRef.Keys.Where(r => r.Name == name)))
        {
            var seen = new Dictionary<FluxRef, ImmutableArray<FluxRef>> { [root] = [root] };
            var queue = new Queue<FluxRef>([root]);
            while (queue.Count > 0)
            {
                var current = queue.Dequeue();
                if (!dependents.TryGetValue(current, out var next)) continue;
                foreach (var d in next.OrderBy(n => n.Name, StringComparer.Ordinal))
                {
                    if (seen.ContainsKey(d)) continue;
                    seen[d] = seen[current].Add(d);
                    queue.Enqueue(d);
                }
            }
            foreach (var (dependent, path) in seen)
                if (dependent != root && (!paths.TryGetValue(dependent, out var known) || path.Length < known.Length))
                    paths[dependent] = path;
        }

        return
        [
            .. paths.Select(p => new AtRiskKustomization(p.Key,
                    $"depends on {string.Join(" → ", p.Value.Take(p.Value.Length - 1).Select(r => r.Name))}; {problem}",
                    p.Value, byRef.TryGetValue(p.Key, out var s) ? s.Verdict.Health : HealthStatus.Unknown))
                .OrderBy(r => r.Path.Length).ThenBy(r => r.Kustomization.Name, StringComparer.Ordinal),
        ];
    }
}
