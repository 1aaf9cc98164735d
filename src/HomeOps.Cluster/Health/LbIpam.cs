using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Health;

/// <summary>One CiliumLoadBalancerIPPool with the Services that use it.</summary>
/// <param name="Assigned">LoadBalancer Services holding an address inside the pool's blocks.</param>
/// <param name="Requesting">Services whose <c>io.cilium/lb-ipam-pool</c> label names the pool (how home-ops pools select).</param>
/// <param name="PendingRequesting">Of those, the ones still without an address.</param>
public sealed record PoolUsage(
    ResourceSnapshot Pool,
    IpPoolDetails? Details,
    ImmutableArray<ResourceSnapshot> Assigned,
    ImmutableArray<ResourceSnapshot> Requesting,
    ImmutableArray<ResourceSnapshot> PendingRequesting)
{
    public string Name => Pool.Meta.Name;
}

/// <summary>LB-IPAM at a glance: every pool's usage and every LoadBalancer Service without an address.</summary>
public sealed record LbIpamReport(
    ImmutableArray<PoolUsage> Pools,
    ImmutableArray<ResourceSnapshot> WithoutAddress,
    ImmutableArray<ResourceSnapshot> AnnotationWithoutLabel,
    ImmutableArray<ResourceSnapshot> OutsideAnyPool);

/// <summary>
/// Joins <c>CiliumLoadBalancerIPPool</c>s and LoadBalancer Services (cluster brief §5.3, §10.9). Pure.
/// An address counts for a pool when it lies in one of the pool's blocks (a CIDR or a start-stop range), which is
/// what "used" means to LB-IPAM; the pool label says which pool a Service asks for.
/// </summary>
public static class LbIpam
{
    public static LbIpamReport Evaluate(ClusterState state)
    {
        var services = state.Items(Kinds.Service).Where(s => s.Details is ServiceDetails { Type: ServiceHealth.LoadBalancerType })
            .OrderBy(s => s.Meta.DisplayName, StringComparer.Ordinal).ToList();
        var pools = new List<PoolUsage>();
        var inAnyPool = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pool in state.Items(Kinds.LoadBalancerIPPool).OrderBy(p => p.Meta.Name, StringComparer.Ordinal))
        {
            var details = pool.Details as IpPoolDetails;
            var blocks = details is null ? [] : details.Blocks.Select(IpBlock.TryParse).OfType<IpBlock>().ToList();
            var assigned = services.Where(s => ((ServiceDetails)s.Details).IngressAddresses.Any(a => blocks.Any(b => b.Contains(a)))).ToList();
            foreach (var s in assigned) inAnyPool.Add(s.Key);
            var requesting = services.Where(s => ((ServiceDetails)s.Details).PoolLabel == pool.Meta.Name).ToList();
            pools.Add(new PoolUsage(pool, details, [.. assigned], [.. requesting],
                [.. requesting.Where(s => !((ServiceDetails)s.Details).HasAddress)]));
        }
        return new LbIpamReport(
            [.. pools],
            [.. services.Where(s => !((ServiceDetails)s.Details).HasAddress)],
            [.. services.Where(s => s.Details is ServiceDetails { PoolAnnotation.Length: > 0, PoolLabel.Length: 0 })],
            [.. services.Where(s => ((ServiceDetails)s.Details).HasAddress && !inAnyPool.Contains(s.Key))]);
    }
}

/// <summary>An address block of a pool: a CIDR or an inclusive start-stop range, IPv4 or IPv6.</summary>
public sealed record IpBlock(AddressFamily Family, BigInteger First, BigInteger Last)
{
    public static IpBlock? TryParse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = text.Trim();
        if (s.Contains('/'))
        {
            if (!IPNetwork.TryParse(s, out var network)) return null;
            var bits = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            var first = Value(network.BaseAddress);
            var size = BigInteger.One << (bits - network.PrefixLength);
            return new IpBlock(network.BaseAddress.AddressFamily, first, first + size - 1);
        }
        // IPv6 addresses contain no '-', so the first '-' separates start and stop.
        var dash = s.IndexOf('-');
        var startText = dash < 0 ? s : s[..dash];
        var stopText = dash < 0 ? s : s[(dash + 1)..];
        if (!IPAddress.TryParse(startText, out var start) || !IPAddress.TryParse(stopText, out var stop) ||
            start.AddressFamily != stop.AddressFamily) return null;
        var (a, b) = (Value(start), Value(stop));
        return a <= b ? new IpBlock(start.AddressFamily, a, b) : new IpBlock(start.AddressFamily, b, a);
    }

    public bool Contains(string address) =>
        IPAddress.TryParse(address, out var ip) && ip.AddressFamily == Family && Value(ip) is var v && v >= First && v <= Last;

    private static BigInteger Value(IPAddress ip) => new(ip.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
}
