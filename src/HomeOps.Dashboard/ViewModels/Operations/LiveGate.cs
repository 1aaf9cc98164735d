using HomeOps.Cluster.State;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Workflows;

namespace HomeOps.Dashboard.ViewModels.Operations;

/// <summary>A step's gate evaluated now against the live health model (what the engine would decide at this moment).</summary>
public sealed record LiveGate(string Phase, GateResult Result)
{
    public string TestId => $"gate-{Result.Gate}";

    /// <summary>The step's gates, from its stored plan when a run exists, else from the definition (no placeholders to resolve).</summary>
    public static IReadOnlyList<LiveGate> Evaluate(GateRegistry gates, StepPlan? plan, StepDefinition definition, ClusterState state, DateTimeOffset now)
    {
        var before = plan?.Before.Select(g => (g.Name, g.Args, g.Advisory))
                     ?? definition.Before.Select(g => (g.Name, (IReadOnlyDictionary<string, string>)g.Args, g.Advisory));
        var after = plan?.After.Select(g => (g.Name, g.Args, g.Advisory))
                    ?? definition.After.Select(g => (g.Name, (IReadOnlyDictionary<string, string>)g.Args, g.Advisory));
        return before.Select(g => new LiveGate("before", gates.Evaluate(g.Name, g.Args, state, now, g.Advisory)))
            .Concat(after.Select(g => new LiveGate("after", gates.Evaluate(g.Name, g.Args, state, now, g.Advisory))))
            .ToList();
    }
}
