using HomeOps.Cluster.Model;
using MudBlazor;

namespace HomeOps.Dashboard.Components.Controls;

/// <summary>One icon, title and route per area, shared by the tiles and the navigation.</summary>
public static class AreaInfo
{
    public static string Icon(Area area) => area switch
    {
        Area.Nodes => Icons.Material.Filled.Dns,
        Area.Flux => Icons.Material.Filled.AccountTree,
        Area.Longhorn => Icons.Material.Filled.Storage,
        Area.Bgp => Icons.Material.Filled.Hub,
        Area.Authentik => Icons.Material.Filled.Key,
        Area.Secrets => Icons.Material.Filled.Lock,
        _ => Icons.Material.Filled.Circle,
    };

    public static string Title(Area area) => area switch
    {
        Area.Bgp => "BGP",
        _ => area.ToString(),
    };

    public static string Slug(Area area) => area.ToString().ToLowerInvariant();

    public static string Href(Area area) => Slug(area);
}
