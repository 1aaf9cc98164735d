using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>LoadBalancer Services and the LB-IPAM label-versus-annotation failure mode (cluster brief §9 row 4).</summary>
public sealed class ServiceHealthTests
{
    private static string Service(string type, string labels, string annotations, string ingress) =>
        "{'apiVersion':'v1','kind':'Service','metadata':{'name':'svc','namespace':'ns','uid':'u1','labels':{" + labels + "},'annotations':{" + annotations + "}}," +
        "'spec':{'type':'" + type + "','ports':[{'name':'http','port':80,'protocol':'TCP'}]}," +
        "'status':{'loadBalancer':{" + ingress + "}}}";

    private static ResourceSnapshot Decode(string json) => ResourceDecoder.Decode(Kinds.Service, Json.Parse(json), SeededState.Now);

    [Fact]
    public void A_labelled_service_with_an_address_is_healthy()
    {
        var s = Decode(Service("LoadBalancer", "'io.cilium/lb-ipam-pool':'bgp-ingress'", "'io.cilium/lb-ipam-pool':'bgp-ingress'", "'ingress':[{'ip':'172.29.52.200'}]"));
        Assert.Equal((HealthStatus.Healthy, "Assigned"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Equal("172.29.52.200 from pool 'bgp-ingress'", s.Verdict.Message);
        var d = Assert.IsType<ServiceDetails>(s.Details);
        Assert.Equal(["172.29.52.200"], d.IngressAddresses);
        Assert.Equal(["http 80/TCP"], d.Ports);
    }

    [Fact]
    public void Without_an_address_it_is_failed_pending()
    {
        var s = Decode(Service("LoadBalancer", "'io.cilium/lb-ipam-pool':'bgp-default'", "", ""));
        Assert.Equal((HealthStatus.Failed, "Pending"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.StartsWith("no address assigned", s.Verdict.Message);
    }

    [Fact]
    public void The_pool_annotation_without_the_label_is_named_as_the_cause()
    {
        var pending = Decode(Service("LoadBalancer", "", "'io.cilium/lb-ipam-pool':'bgp-default'", ""));
        Assert.Equal((HealthStatus.Failed, "PoolAnnotationWithoutLabel"), (pending.Verdict.Health, pending.Verdict.Reason));
        Assert.Contains("no address assigned", pending.Verdict.Message);
        Assert.Contains("select Services by label", pending.Verdict.Message);

        // Got an address anyway (from elsewhere): a warning, the annotation still does nothing.
        var assigned = Decode(Service("LoadBalancer", "", "'io.cilium/lb-ipam-pool':'bgp-ingress'", "'ingress':[{'ip':'172.29.52.201'}]"));
        Assert.Equal((HealthStatus.Degraded, "PoolAnnotationWithoutLabel"), (assigned.Verdict.Health, assigned.Verdict.Reason));
    }

    [Fact]
    public void Only_LoadBalancer_services_are_tracked()
    {
        var clusterIp = Json.Parse(Service("ClusterIP", "", "", ""));
        Assert.False(ResourceDecoder.IsTracked(Kinds.Service, clusterIp));
        Assert.Null(ResourceDecoder.KindOf(clusterIp)); // the CLI and seed folders skip it too
        Assert.Null(ResourceDecoder.TryDecode(clusterIp, SeededState.Now));
        Assert.True(ResourceDecoder.IsTracked(Kinds.Service, Json.Parse(Service("LoadBalancer", "", "", ""))));
        Assert.True(ResourceDecoder.IsTracked(Kinds.Node, clusterIp)); // other kinds are never filtered
        // Decoded directly, a ClusterIP Service is not a problem.
        Assert.Equal(HealthStatus.Healthy, ResourceDecoder.Decode(Kinds.Service, clusterIp, SeededState.Now).Verdict.Health);
    }

    [Fact]
    public void A_hostname_ingress_counts_as_an_address_and_odd_shapes_do_not_throw()
    {
        var s = Decode(Service("LoadBalancer", "'io.cilium/lb-ipam-pool':'p'", "", "'ingress':[{'hostname':'lb.example'}]"));
        Assert.Equal(HealthStatus.Healthy, s.Verdict.Health);
        var odd = ResourceDecoder.Decode(Kinds.Service, Json.Parse("{'apiVersion':'v1','kind':'Service','metadata':{'name':'x'},'spec':{'type':'LoadBalancer'},'status':{'loadBalancer':{'ingress':'nope'}}}"), SeededState.Now);
        Assert.Equal(ResourceDecoder.MalformedReason, odd.Verdict.Reason);
    }
}
