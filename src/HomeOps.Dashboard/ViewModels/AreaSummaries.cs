using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Dashboard.ViewModels;

/// <summary>The summary of any area, for views that show all of them (navigation).</summary>
public static class AreaSummaries
{
    public static IAreaSummary For(Area area, ClusterState state, DashboardOptions options, DateTimeOffset now) => area switch
    {
        Area.Nodes => NodesView.Summarize(state, options.ExpectedNodeNames),
        Area.Flux => FluxView.Summarize(state),
        Area.Longhorn => LonghornView.Summarize(state),
        Area.Bgp => BgpView.Summarize(state),
        Area.Authentik => AuthentikView.Summarize(state, now),
        Area.Secrets => SecretsView.Summarize(state),
        _ => throw new ArgumentOutOfRangeException(nameof(area), area, null),
    };
}
