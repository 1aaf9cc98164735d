using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Areas;

/// <summary>The Authentik area: the worst of outposts and API tokens; the count is healthy outposts out of all outposts.</summary>
public sealed record AuthentikRollup(HealthStatus Health, int HealthyOutposts, int Outposts, Freshness Freshness) : IAreaRollup
{
    public string Area => nameof(Model.Area.Authentik);

    public int Ok => HealthyOutposts;

    public int Total => Outposts;

    public string Count => $"{HealthyOutposts}/{Outposts}";

    public string CountLabel => "outposts healthy";

    internal static AuthentikRollup Compute(ClusterState state)
    {
        var outposts = state.Items(Kinds.AuthentikOutpost).ToList();
        var healths = outposts.Concat(state.Items(Kinds.AuthentikToken)).Concat(AreaWorkloads.Of(state, Model.Area.Authentik))
            .Select(i => i.Verdict.Health);
        return new AuthentikRollup(
            AreaFreshness.HasData(state, Model.Area.Authentik) ? HealthOrder.Worst(healths) : HealthStatus.Unknown,
            outposts.Count(o => o.Verdict.Health == HealthStatus.Healthy),
            outposts.Count,
            AreaFreshness.Of(state, Model.Area.Authentik));
    }
}
