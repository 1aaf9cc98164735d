using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Dashboard.ViewModels;

public sealed record LoadBalancerRow(
    string Key,
    string Namespace,
    string Name,
    HealthStatus Health,
    string Reason,
    string Message,
    string Addresses,
    string PoolLabel,
    string PoolAnnotation,
    ResourceSnapshot Resource)
{
    public string TestId => RowIds.For(Kinds.Service, $"{Namespace}-{Name}");
}

public sealed record PoolUsageRow(string Name, HealthStatus Health, string Blocks, int Assigned, int Requesting, int PendingRequesting,
    long? IpsTotal, long? IpsAvailable, ResourceSnapshot Resource)
{
    public string TestId => RowIds.For("poolusage", Name);

    public string Usage => IpsTotal is { } t && IpsAvailable is { } a ? $"{t - a} of {t} used" : $"{Assigned} in use";
}

/// <summary>The LoadBalancers tile and page: the Cluster rollup (health, counts) and the Services with a problem.</summary>
public sealed record LoadBalancersSummary(LoadBalancersRollup Rollup, IReadOnlyList<LoadBalancerRow> Problems)
{
    public HealthStatus Health => Rollup.Health;

    public int WithAddress => Rollup.WithAddress;

    public int Services => Rollup.Services;

    public Freshness Freshness => Rollup.Freshness;

    public string Count => Rollup.Count;
}

/// <summary>
/// LB-IPAM (cluster brief §5.3, §9 row 4, §10.9): every <c>type: LoadBalancer</c> Service with its address, the ones
/// without one (and the pool annotation set without the label), and each CiliumLoadBalancerIPPool's usage.
/// </summary>
public static class LoadBalancersView
{
    public static IReadOnlyList<LoadBalancerRow> Services(ClusterState state) =>
        HealthOrder.WorstFirst(state.Items(Kinds.Service).Where(s => s.Details is ServiceDetails { Type: ServiceHealth.LoadBalancerType }).Select(s =>
        {
            var d = (ServiceDetails)s.Details;
            return new LoadBalancerRow(s.Key, s.Meta.Namespace ?? "", s.Meta.Name, s.Verdict.Health, s.Verdict.Reason, s.Verdict.Message,
                LoadBalancersRollup.AddressesOf(d), d.PoolLabel, d.PoolAnnotation, s);
        }), r => r.Health, r => $"{r.Namespace}/{r.Name}");

    public static IReadOnlyList<PoolUsageRow> Pools(ClusterState state) =>
        HealthOrder.WorstFirst(LbIpam.Evaluate(state).Pools.Select(p => new PoolUsageRow(p.Name, p.Pool.Verdict.Health,
            p.Details is null ? "" : string.Join(", ", p.Details.Blocks), p.Assigned.Length, p.Requesting.Length, p.PendingRequesting.Length,
            p.Details?.IpsTotal, p.Details?.IpsAvailable, p.Pool)), r => r.Health, r => r.Name);

    public static LoadBalancersSummary Summarize(ClusterState state) =>
        new(AreaRollups.LoadBalancers(state), Services(state).Where(s => HealthOrder.IsProblem(s.Health)).ToList());
}
