using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Areas;

/// <summary>
/// LB-IPAM (cluster brief §5.3): every <c>type: LoadBalancer</c> Service; the count is those with an address out of all.
/// Its own tile and its own entry in the API, although its kinds belong to <see cref="Model.Area.Bgp"/>.
/// </summary>
public sealed record LoadBalancersRollup(HealthStatus Health, int WithAddress, int Services, Freshness Freshness) : IAreaRollup
{
    public const string Name = "LoadBalancers";

    public string Area => Name;

    public int Ok => WithAddress;

    public int Total => Services;

    public string Count => $"{WithAddress}/{Services}";

    public string CountLabel => "with an address";

    /// <summary>The Service's ingress addresses, comma-separated; empty while it has none.</summary>
    public static string AddressesOf(ServiceDetails d) => d.HasAddress ? string.Join(", ", d.IngressAddresses) : "";

    internal static LoadBalancersRollup Compute(ClusterState state)
    {
        var slice = state.Slice(Kinds.Service);
        var services = slice.Items.Values.Where(s => s.Details is ServiceDetails { Type: ServiceHealth.LoadBalancerType }).ToList();
        return new LoadBalancersRollup(
            slice.Freshness.Synced || slice.Items.Count > 0 ? HealthOrder.Worst(services.Select(s => s.Verdict.Health)) : HealthStatus.Unknown,
            services.Count(s => AddressesOf((ServiceDetails)s.Details).Length > 0),
            services.Count,
            AreaFreshness.Combine([slice.Freshness, state.Slice(Kinds.LoadBalancerIPPool).Freshness]));
    }
}
