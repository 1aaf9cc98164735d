using HomeOps.Cluster.Model;
using HomeOps.Simulator.Authentik;

namespace HomeOps.Simulator.Scenarios;

/// <summary>The external proxy outpost's pods stop reporting: its health array goes empty, then refills.</summary>
internal sealed class OutpostSilentScenario : IScenario
{
    public string Name => "outpost-silent";

    public bool IsApplicable(ScenarioContext context) => true;

    public IReadOnlyList<ObjectRef> Trigger(ScenarioContext context)
    {
        context.Authentik.SetSilent(AuthentikState.ExternalOutpostId, true);
        return [new ObjectRef(Kinds.AuthentikOutpost, null, AuthentikState.ExternalOutpostId)];
    }

    public IReadOnlyList<ObjectRef> Recover(ScenarioContext context)
    {
        context.Authentik.SetSilent(AuthentikState.ExternalOutpostId, false);
        return [new ObjectRef(Kinds.AuthentikOutpost, null, AuthentikState.ExternalOutpostId)];
    }
}

/// <summary>The dashboard's API token nears its expiry (under 7 days left), then is rotated.</summary>
internal sealed class TokenExpiryScenario : IScenario
{
    public static readonly TimeSpan NearExpiry = TimeSpan.FromDays(5);
    public static readonly TimeSpan AfterRotation = TimeSpan.FromDays(30);

    public string Name => "token-expiry";

    public bool IsApplicable(ScenarioContext context) => true;

    public IReadOnlyList<ObjectRef> Trigger(ScenarioContext context)
    {
        context.Authentik.SetTokenExpiry(AuthentikState.DashboardTokenIdentifier, context.Now + NearExpiry);
        return [new ObjectRef(Kinds.AuthentikToken, null, AuthentikState.DashboardTokenIdentifier)];
    }

    public IReadOnlyList<ObjectRef> Recover(ScenarioContext context)
    {
        context.Authentik.SetTokenExpiry(AuthentikState.DashboardTokenIdentifier, context.Now + AfterRotation);
        return [new ObjectRef(Kinds.AuthentikToken, null, AuthentikState.DashboardTokenIdentifier)];
    }
}
