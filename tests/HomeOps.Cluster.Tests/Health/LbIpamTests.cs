using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>Pool usage and pending LoadBalancers over the home-ops seed (cluster brief §5.3, §10.9).</summary>
public sealed class LbIpamTests
{
    [Fact]
    public void Pools_count_the_services_holding_their_addresses_and_those_asking_for_them()
    {
        var report = LbIpam.Evaluate(SeededState.Build());
        var pools = report.Pools.ToDictionary(p => p.Name);

        Assert.Equal(["bgp-default", "bgp-default-ipv6", "bgp-ingress", "bgp-reserved"], pools.Keys.Order());
        Assert.Equal(["ingress-nginx-controller", "ingress-nginx-internal-controller"], pools["bgp-ingress"].Assigned.Select(s => s.Meta.Name).Order());
        Assert.Equal(["kube-prometheus-stack-alertmanager", "kube-prometheus-stack-grafana"], pools["bgp-default"].Assigned.Select(s => s.Meta.Name).Order());
        Assert.Empty(pools["bgp-reserved"].Assigned);
        Assert.Equal(2, pools["bgp-default"].Requesting.Length); // the Longhorn UI only annotates: it does not ask by label
        Assert.Equal(21, pools["bgp-ingress"].Details!.IpsTotal);

        Assert.Equal(["longhorn-frontend"], report.WithoutAddress.Select(s => s.Meta.Name));
        Assert.Equal(["longhorn-frontend"], report.AnnotationWithoutLabel.Select(s => s.Meta.Name));
        Assert.Empty(report.OutsideAnyPool);
    }

    [Theory]
    [InlineData("172.29.52.200-172.29.52.220", "172.29.52.220", true)]
    [InlineData("172.29.52.200-172.29.52.220", "172.29.52.221", false)]
    [InlineData("172.29.52.0/25", "172.29.52.127", true)]
    [InlineData("172.29.52.0/25", "172.29.52.128", false)]
    [InlineData("fd47:25e1:2f96:52:100::/120", "fd47:25e1:2f96:52:100::ff", true)]
    [InlineData("fd47:25e1:2f96:52:100::/120", "172.29.52.1", false)]
    [InlineData("not a block", "172.29.52.1", false)]
    public void Blocks_contain_addresses_by_range_or_cidr(string block, string address, bool contained)
    {
        var parsed = IpBlock.TryParse(block);
        Assert.Equal(contained, parsed?.Contains(address) ?? false);
    }
}
