using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Dashboard.Components.Controls;

/// <summary>
/// The row open in the detail drawer, by kind and key: the drawer looks the object up in the current state on
/// every render, so it stays live and shows when the object is deleted.
/// </summary>
public sealed record Selection(KindInfo? Kind, string Key, string Name, HealthStatus Health = HealthStatus.Unknown,
    string Reason = "", string Message = "")
{
    public ResourceSnapshot? Find(ClusterState state) =>
        Kind is not null && state.Slice(Kind).Items.TryGetValue(Key, out var s) ? s : null;

    public static Selection Of(ResourceSnapshot s) => new(s.Kind, s.Key, s.Meta.DisplayName);
}
