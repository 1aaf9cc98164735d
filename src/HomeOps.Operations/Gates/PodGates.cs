using HomeOps.Cluster.State;

namespace HomeOps.Operations.Gates;

/// <summary>
/// <c>pods-running {namespace}</c>: the Taskfile checks pods, but the health model does not watch Pods. Rather than
/// pretend, the gate reports Skipped ("not observable yet") so the record shows the check was not made.
/// When a Pod informer lands, this becomes a real predicate without touching the definitions.
/// </summary>
public sealed class PodsRunningGate : IGate
{
    public string Name => "pods-running";
    public string Description => "Pods in {namespace} are Running — not observable yet: the dashboard does not watch Pods.";
    public IReadOnlyList<GateArgument> Arguments { get; } = [new("namespace", true, "namespace")];

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now) =>
        GateResult.NotObservable($"not observable yet (pods are not watched): pods in {args["namespace"]} were not checked");
}
