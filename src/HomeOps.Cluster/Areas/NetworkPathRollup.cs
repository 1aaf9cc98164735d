using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Areas;

/// <summary>
/// The network path seen from outside: the worst of the black-box probes (<see cref="Kinds.ProbeTarget"/>, each judged
/// by <see cref="ProbeHealth.Rule"/>) of every LB-IPAM VIP and host, from where the dashboard runs. Its own tile and its
/// own entry in the API and /metrics, like LoadBalancers. A VIP that stops answering turns it Failed at the next probe
/// round, whatever BGP reports; <see cref="Contradiction"/> says so when BGP looks fine at the same time (the failure
/// this cluster has hit: the route vanished on the router while every session and pod stayed green).
/// Unknown until the first round, and while probing is disabled (its freshness says which).
/// </summary>
public sealed record NetworkPathRollup(HealthStatus Health, int Answering, int Targets, string? Contradiction, Freshness Freshness) : IAreaRollup
{
    public const string Name = "NetworkPath";

    public string Area => Name;

    public int Ok => Answering;

    public int Total => Targets;

    public string Count => $"{Answering}/{Targets}";

    public string CountLabel => "targets answering";

    internal static NetworkPathRollup Compute(ClusterState state, BgpRollup bgp)
    {
        var slice = state.Slice(Kinds.ProbeTarget);
        var probes = slice.Items.Values.ToList();
        var answering = probes.Count(p => p.Details is ProbeDetails { Answered: true });
        var health = slice.Freshness.Synced ? HealthOrder.Worst(probes.Select(p => p.Verdict.Health)) : HealthStatus.Unknown;
        var silentVips = probes.Where(p => p.Details is ProbeDetails { Answered: false, Source: ProbeSources.Vip })
            .Select(p => p.Meta.Name).Order(StringComparer.Ordinal).ToList();
        string? contradiction = null;
        if (silentVips.Count > 0 && bgp.Health != HealthStatus.Failed && bgp.Active != ActiveBgpApi.None)
            contradiction = $"{string.Join(", ", silentVips)} not answering while BGP reports " +
                            (bgp.SessionStateKnown ? $"{bgp.Count} sessions established" : "its configuration unchanged (sessions not known)") +
                            ": the route to the VIP is gone outside the cluster (router) or the ingress stopped serving.";
        return new NetworkPathRollup(health, answering, probes.Count, contradiction, slice.Freshness);
    }
}
