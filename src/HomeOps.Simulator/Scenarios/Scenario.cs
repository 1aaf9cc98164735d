using HomeOps.Cluster.Model;
using HomeOps.Simulator.Authentik;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Scenarios;

/// <summary>An object a scenario step changed: a Kubernetes object, or an Authentik outpost/token (pseudo kinds).</summary>
public sealed record ObjectRef(KindInfo Kind, string? Namespace, string Name)
{
    public override string ToString() => Namespace is null ? $"{Kind.Kind}/{Name}" : $"{Kind.Kind}/{Namespace}/{Name}";
}

public enum ScenarioPhase
{
    Triggered,
    Recovered,
}

/// <summary>What one scenario step did.</summary>
public sealed record ScenarioOutcome(string Scenario, ScenarioPhase Phase, IReadOnlyList<ObjectRef> Touched);

/// <summary>One step of the deterministic sequence the background loop follows.</summary>
public sealed record ScenarioStep(string Scenario, ScenarioPhase Phase);

/// <summary>What a scenario may act on: the same store every API client reads, so watches see every change.</summary>
internal sealed class ScenarioContext(ClusterObjectStore cluster, AuthentikState authentik, TimeProvider time)
{
    public ClusterObjectStore Cluster { get; } = cluster;
    public AuthentikState Authentik { get; } = authentik;

    /// <summary>The loopback listeners standing in for the VIPs (null when the host started none).</summary>
    public Network.LoopbackProbeTargets? ProbeTargets { get; init; }
    public DateTimeOffset Now => time.GetUtcNow();
    public string Timestamp => ObjectJson.Timestamp(Now);

    public bool Exists(KindInfo kind, string? @namespace, string name) => Cluster.Get(kind, @namespace, name) is not null;
}

/// <summary>
/// A failure that happens to home-ops and heals: <see cref="Trigger"/> breaks things the way the real controllers
/// report it, <see cref="Recover"/> heals them. Both are idempotent.
/// </summary>
internal interface IScenario
{
    string Name { get; }

    /// <summary>False when the objects it acts on are missing (e.g. a seed directory without them).</summary>
    bool IsApplicable(ScenarioContext context);

    IReadOnlyList<ObjectRef> Trigger(ScenarioContext context);

    IReadOnlyList<ObjectRef> Recover(ScenarioContext context);
}
