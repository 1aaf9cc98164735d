using HomeOps.Simulator.Network;

namespace HomeOps.Simulator.Scenarios;

/// <summary>
/// The ingress VIP stops answering while every object stays as it was — the BGP configuration, its sessions, the
/// Service's address: what this cluster has hit (the UDM Pro dropped the route, pods all green). Only the black-box
/// probe from outside can see it. Acts on the <see cref="LoopbackProbeTargets"/>; touches no Kubernetes object.
/// </summary>
internal sealed class VipStopsAnsweringScenario : IScenario
{
    public const string Address = "172.29.52.200";

    public string Name => "vip-stops-answering";

    public bool IsApplicable(ScenarioContext context) => context.ProbeTargets?.Addresses.Contains(Address) == true;

    public IReadOnlyList<ObjectRef> Trigger(ScenarioContext context)
    {
        context.ProbeTargets?.Silence(Address);
        return [];
    }

    public IReadOnlyList<ObjectRef> Recover(ScenarioContext context)
    {
        context.ProbeTargets?.Restore(Address);
        return [];
    }
}
