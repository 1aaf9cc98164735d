using HomeOps.Cluster.State;

namespace HomeOps.Operations.Gates;

public sealed record GateArgument(string Name, bool Required, string Description, bool IsCount = false);

/// <summary>
/// A named predicate over the live health model. Implementations are pure: they read <see cref="ClusterState"/>
/// (conditions and details, never text), check that the data they read is fresh, and never throw.
/// </summary>
public interface IGate
{
    string Name { get; }

    string Description { get; }

    IReadOnlyList<GateArgument> Arguments { get; }

    GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now);
}
