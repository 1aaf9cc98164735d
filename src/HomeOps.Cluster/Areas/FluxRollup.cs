using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Areas;

/// <summary>
/// The Flux area: the worst of every Kustomization, HelmRelease and GitRepository; the count is Kustomizations Ready out of
/// all Kustomizations, counted live (never a hard-coded 31 or 32).
/// </summary>
public sealed record FluxRollup(HealthStatus Health, int Ready, int Total, int Suspended, int Waiting, Freshness Freshness) : IAreaRollup
{
    public string Area => nameof(Model.Area.Flux);

    public int Ok => Ready;

    public string Count => $"{Ready}/{Total}";

    public string CountLabel => "Kustomizations Ready";

    internal static FluxRollup Compute(ClusterState state)
    {
        var items = state.SlicesIn(Model.Area.Flux).SelectMany(s => s.Items.Values).ToList();
        var kustomizations = state.Items(Kinds.Kustomization).ToList();
        return new FluxRollup(
            AreaFreshness.HasData(state, Model.Area.Flux) ? HealthOrder.Worst(items.Select(i => i.Verdict.Health)) : HealthStatus.Unknown,
            kustomizations.Count(k => k.Verdict.Health == HealthStatus.Healthy),
            kustomizations.Count,
            items.Count(IsSuspended),
            items.Count(i => HealthOrder.IsProblem(i.Verdict.Health) && FluxGraph.IsWaiting(i)),
            AreaFreshness.Of(state, Model.Area.Flux));
    }

    private static bool IsSuspended(ResourceSnapshot item) => item.Details switch
    {
        KustomizationDetails k => k.Suspended,
        HelmReleaseDetails h => h.Suspended,
        GitRepositoryDetails g => g.Suspended,
        _ => false,
    };
}
