using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Areas;

/// <summary>
/// The workloads an area's health includes besides its own kinds: the Cilium agent DaemonSet (BGP), the 1Password
/// Connect Deployment (Secrets: a Connect pod that cannot start makes the area red before any ExternalSecret notices),
/// and the Authentik outpost Deployments (the external proxy outpost in <c>authentik-proxy</c>, and the outposts
/// Authentik deploys itself as <c>ak-outpost-*</c>), as <see cref="AreaWorkload.All"/> lists them. Each contributes its
/// own verdict and its pods' verdicts.
/// </summary>
public static class AreaWorkloads
{
    /// <summary>The workloads of <paramref name="area"/> and their pods, as they are now.</summary>
    public static IEnumerable<ResourceSnapshot> Of(ClusterState state, Area area)
    {
        var members = AreaWorkload.All.Where(m => m.Area == area).ToList();
        if (members.Count == 0) yield break;
        var index = WorkloadDrilldown.Of(state);
        foreach (var kind in members.Select(m => m.Kind).Distinct())
        {
            foreach (var w in state.Items(kind))
            {
                if (!members.Any(m => m.Matches(w))) continue;
                yield return w;
                foreach (var pod in index.PodsOf(w)) yield return pod;
            }
        }
    }

    /// <summary>The slices the area workloads are read from: part of a rollup's cache inputs.</summary>
    public static object?[] Inputs(ClusterState state) => ViewInputs.Of(state, Kinds.Pod, Kinds.Deployment, Kinds.DaemonSet);
}
