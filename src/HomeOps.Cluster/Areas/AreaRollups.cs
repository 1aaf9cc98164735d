using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Areas;

/// <summary>
/// The one place an area's verdict is computed. Each rollup is computed once per distinct input (the immutable slices it
/// reads, see <see cref="SharedView{T}"/>) and that one object is shared by every consumer in the process: every circuit's
/// tiles and pages, <c>/api/v1/health</c>, the hub, <c>/metrics</c>. The CLI computes the same rollups from its own state.
/// </summary>
public static class AreaRollups
{
    private static readonly SharedView<NodesRollup> NodesCache = new();
    private static readonly SharedView<FluxRollup> FluxCache = new();
    private static readonly SharedView<LonghornRollup> LonghornCache = new();
    private static readonly SharedView<BgpRollup> BgpCache = new();
    private static readonly SharedView<AuthentikRollup> AuthentikCache = new();
    private static readonly SharedView<SecretsRollup> SecretsCache = new();
    private static readonly SharedView<LoadBalancersRollup> LoadBalancersCache = new();
    private static readonly SharedView<NetworkPathRollup> NetworkPathCache = new();

    /// <param name="expectedNodes"><c>Cluster:ExpectedNodes</c> (<see cref="Sources.ClusterOptions.ExpectedNodeNames"/>).</param>
    public static NodesRollup Nodes(ClusterState state, IReadOnlyList<string> expectedNodes) =>
        NodesCache.Get([state.Slice(Kinds.Node), state.Slice(Kinds.TalosNode), state.Slice(Kinds.Etcd), expectedNodes], () => NodesRollup.Compute(state, expectedNodes));

    public static FluxRollup Flux(ClusterState state) =>
        FluxCache.Get(ViewInputs.OfArea(state, Area.Flux), () => FluxRollup.Compute(state));

    public static LonghornRollup Longhorn(ClusterState state) =>
        LonghornCache.Get(ViewInputs.OfArea(state, Area.Longhorn), () => LonghornRollup.Compute(state));

    // The node count sizes v1 sessions ("all selected nodes").
    public static BgpRollup Bgp(ClusterState state) =>
        BgpCache.Get(ViewInputs.OfArea(state, Area.Bgp, [state.Slice(Kinds.Node), .. AreaWorkloads.Inputs(state)]), () => BgpRollup.Compute(state));

    public static AuthentikRollup Authentik(ClusterState state) =>
        AuthentikCache.Get(ViewInputs.OfArea(state, Area.Authentik, AreaWorkloads.Inputs(state)), () => AuthentikRollup.Compute(state));

    // The risk report reads the Kustomizations that depend on the store.
    public static SecretsRollup Secrets(ClusterState state) =>
        SecretsCache.Get(ViewInputs.OfArea(state, Area.Secrets, [.. state.SlicesIn(Area.Flux), .. AreaWorkloads.Inputs(state)]), () => SecretsRollup.Compute(state));

    public static LoadBalancersRollup LoadBalancers(ClusterState state) =>
        LoadBalancersCache.Get(ViewInputs.Of(state, Kinds.Service, Kinds.LoadBalancerIPPool), () => LoadBalancersRollup.Compute(state));

    // Reads the BGP rollup to name "a VIP is silent while BGP looks fine".
    public static NetworkPathRollup NetworkPath(ClusterState state) =>
        NetworkPathCache.Get(ViewInputs.OfArea(state, Area.Bgp, state.Slice(Kinds.Node)), () => NetworkPathRollup.Compute(state, Bgp(state)));

    /// <summary>The rollup of one overview area.</summary>
    public static IAreaRollup For(Area area, ClusterState state, IReadOnlyList<string> expectedNodes) => area switch
    {
        Area.Nodes => Nodes(state, expectedNodes),
        Area.Flux => Flux(state),
        Area.Longhorn => Longhorn(state),
        Area.Bgp => Bgp(state),
        Area.Authentik => Authentik(state),
        Area.Secrets => Secrets(state),
        // Area.Workloads has no tile: its kinds count in the areas that own them (AreaWorkloads) and in the drill-down.
        _ => throw new ArgumentOutOfRangeException(nameof(area), area, null),
    };

    /// <summary>Every area in overview order (<see cref="Overview"/>'s order, then LoadBalancers and NetworkPath, the overview's last tiles).</summary>
    public static IReadOnlyList<IAreaRollup> All(ClusterState state, IReadOnlyList<string> expectedNodes) =>
        [.. Overview.Select(a => For(a, state, expectedNodes)), LoadBalancers(state), NetworkPath(state)];

    /// <summary>The areas with a tile of their own, in overview order (every <see cref="Area"/> but Workloads).</summary>
    public static readonly IReadOnlyList<Area> Overview = [.. Enum.GetValues<Area>().Where(a => a != Area.Workloads)];
}
