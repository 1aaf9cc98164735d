using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources.Probes;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>Ingresses, read only for their hosts: the slim decode, and how their hosts join the network probe's targets.</summary>
public sealed class IngressHealthTests
{
    private static string Ingress(string name, string rules, string tls, string status) =>
        "{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'" + name + "','namespace':'ns','uid':'u-" + name + "'}," +
        "'spec':{'ingressClassName':'nginx-internal','rules':[" + rules + "],'tls':[" + tls + "]}," +
        "'status':{'loadBalancer':{" + status + "}}}";

    private static ResourceSnapshot Decode(string json) => ResourceDecoder.Decode(Kinds.Ingress, Json.Parse(json), SeededState.Now);

    [Fact]
    public void Decodes_class_distinct_hosts_tls_hosts_and_published_addresses()
    {
        var s = Decode(Ingress("app", "{'host':'a.example.com'},{'host':'B.example.com'},{'host':'a.example.com'},{'http':{}}",
            "{'hosts':['a.example.com'],'secretName':'t'}", "'ingress':[{'ip':'172.29.52.200'}]"));
        var d = Assert.IsType<IngressDetails>(s.Details);
        Assert.Equal("nginx-internal", d.IngressClassName);
        Assert.Equal(["a.example.com", "B.example.com"], d.Hosts);
        Assert.Equal(["a.example.com"], d.TlsHosts);
        Assert.Equal(["172.29.52.200"], d.Addresses);
        Assert.Equal(("https", "http"), (d.SchemeOf("a.example.com"), d.SchemeOf("B.example.com")));
        Assert.Equal((HealthStatus.Healthy, "Admitted"), (s.Verdict.Health, s.Verdict.Reason));
    }

    [Fact]
    public void An_Ingress_without_a_published_address_says_so_but_leaves_the_verdict_to_the_probe()
    {
        var s = Decode(Ingress("app", "{'host':'a.example.com'}", "", ""));
        Assert.Equal((HealthStatus.Healthy, IngressHealth.NoAddress), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Contains("a.example.com", s.Verdict.Message, StringComparison.Ordinal);
    }

    private static ClusterState StateWith(params string[] ingresses)
    {
        var store = new ClusterStore();
        store.Dispatch(new ResourcesReplaced(Kinds.Ingress, [.. ingresses.Select(Decode)], SeededState.Now));
        return store.Value;
    }

    [Fact]
    public void Every_distinct_Ingress_host_is_a_target_https_when_in_tls_else_http_and_deduplicated_with_configured_hosts()
    {
        var state = StateWith(
            Ingress("one", "{'host':'a.example.com'},{'host':'plain.example.com'}", "{'hosts':['a.example.com']}", "'ingress':[{'ip':'10.0.0.1'}]"),
            Ingress("two", "{'host':'A.example.com'},{'host':'conf.example.com'}", "{'hosts':['A.example.com','conf.example.com']}", ""));
        var targets = NetworkProbe.Targets(state, new NetworkProbeOptions { Hosts = ["conf.example.com"] });

        Assert.Equal(
            [("conf.example.com", "", "https", 443), ("a.example.com", "ns/one", "https", 443), ("plain.example.com", "ns/one", "http", 80)],
            targets.Select(t => (t.Target, t.Owner, t.Scheme, t.Port)));
        Assert.All(targets, t => Assert.Equal((ProbeSources.IngressHost, t.Target, (string?)null), (t.Source, t.Host!, t.Address)));
    }

    [Fact]
    public void Ingress_hosts_are_bounded_by_MaxTargets_and_can_be_switched_off()
    {
        var state = StateWith(Ingress("many", "{'host':'a.example.com'},{'host':'b.example.com'},{'host':'c.example.com'}", "", ""));
        Assert.Equal(["a.example.com", "b.example.com"],
            NetworkProbe.Targets(state, new NetworkProbeOptions { MaxTargets = 2 }).Select(t => t.Target));
        Assert.Empty(NetworkProbe.Targets(state, new NetworkProbeOptions { IngressHosts = false }));
    }
}
