using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>The feeds of the newer kinds against the simulator: node metrics (polled) and LoadBalancer Services (filtered).</summary>
public sealed class NodeMetricsAndServicesFeedTests
{
    [Fact]
    public async Task Node_usage_is_polled_from_the_metrics_API_and_follows_the_nodes()
    {
        await using var rig = await InformerRig.StartAsync(
            cluster: o => o.MetricsPollInterval = TimeSpan.FromMilliseconds(150),
            kinds: [Kinds.Node, Kinds.NodeMetrics]);
        await rig.WaitUntilAsync(() => rig.Store.Value.Items(Kinds.NodeMetrics).Count() == 3 && rig.Host.AllSynced, "three nodes measured");

        var feed = Assert.IsType<NodeMetricsPoller>(rig.Host.FindFeed(Kinds.NodeMetrics));
        Assert.Null(rig.Host.Find(Kinds.NodeMetrics)); // not an informer: the metrics API has no watch
        Assert.Equal(0, rig.Simulator.Faults.Counters.WatchRequestsFor(Kinds.NodeMetrics));
        foreach (var s in rig.Store.Value.Items(Kinds.NodeMetrics))
        {
            var usage = Assert.IsType<NodeMetricsDetails>(s.Details);
            Assert.InRange(usage.CpuMillicores, 100, 12_000); // a 12-core Mac mini
            Assert.InRange(usage.MemoryBytes, 1L << 30, 32L << 30);
            Assert.Equal(TimeSpan.FromSeconds(10.06), usage.Window);
            Assert.Equal(HealthStatus.Healthy, s.Verdict.Health);
            Assert.StartsWith("CPU ", s.Verdict.Message);
        }
        var freshness = rig.Store.Value.Slice(Kinds.NodeMetrics).Freshness;
        Assert.Equal(FeedState.Live, freshness.State);
        Assert.True(freshness.Polled);
        Assert.StartsWith("updated", freshness.Describe(DateTimeOffset.UtcNow));
        Assert.True(rig.Host.AllSynced);

        // mini02's kubelet stops: metrics-server cannot scrape it, and the next poll drops it.
        var polls = feed.Polls;
        rig.Simulator.Scenarios.Trigger("node-notready");
        await rig.WaitUntilAsync(() => feed.Polls > polls + 1 && rig.Store.Value.Items(Kinds.NodeMetrics).Count() == 2, "mini02 unmeasured");
        Assert.DoesNotContain("mini02", rig.Store.Value.Items(Kinds.NodeMetrics).Select(s => s.Meta.Name));
    }

    [Fact]
    public async Task Without_metrics_server_node_usage_is_not_installed_and_readiness_does_not_wait()
    {
        await using var rig = await InformerRig.StartAsync(simulator: o => o.Api.Omit = ["NodeMetrics"], kinds: [Kinds.Node, Kinds.NodeMetrics]);
        await rig.WaitUntilAsync(() => rig.Store.Value.Slice(Kinds.NodeMetrics).Freshness.State == FeedState.NotInstalled && rig.Host.AllSynced,
            "metrics not installed, host ready");
        Assert.Null(rig.Host.FindFeed(Kinds.NodeMetrics));
        Assert.Contains("nodes.metrics.k8s.io", rig.Store.Value.Slice(Kinds.NodeMetrics).Freshness.LastError);
    }

    [Fact]
    public async Task Forbidden_node_metrics_name_the_two_verbs_the_metrics_API_has()
    {
        await using var rig = await InformerRig.StartAsync(simulator: o => o.Api.Forbid = ["NodeMetrics"], kinds: [Kinds.Node, Kinds.NodeMetrics]);
        await rig.WaitUntilAsync(() => rig.Store.Value.Slice(Kinds.NodeMetrics).Freshness.State == FeedState.Forbidden && rig.Host.AllSynced,
            "forbidden, and readiness does not wait for it");
        Assert.Equal("needs get/list on nodes.metrics.k8s.io", rig.Store.Value.Slice(Kinds.NodeMetrics).Freshness.LastError);
    }

    [Fact]
    public async Task Only_LoadBalancer_services_are_kept_and_one_that_changes_type_leaves_the_store()
    {
        await using var rig = await InformerRig.StartAsync(kinds: [Kinds.Service]);
        await rig.WaitLiveAndConvergedAsync("services live");

        var names = rig.Store.Value.Items(Kinds.Service).Select(s => s.Meta.Name).Order().ToList();
        Assert.DoesNotContain("kubernetes", names); // the ClusterIP default/kubernetes Service is dropped on arrival
        Assert.Contains("longhorn-frontend", names);
        Assert.All(rig.Store.Value.Items(Kinds.Service), s => Assert.Equal("LoadBalancer", Assert.IsType<ServiceDetails>(s.Details).Type));
        var pending = rig.Store.Value.Items(Kinds.Service).Single(s => s.Meta.Name == "longhorn-frontend");
        Assert.Equal((HealthStatus.Failed, "PoolAnnotationWithoutLabel"), (pending.Verdict.Health, pending.Verdict.Reason));

        // Grafana's Service is switched to ClusterIP: it is no longer a LoadBalancer, so it leaves the store.
        rig.Simulator.Cluster.Update(Kinds.Service, "monitoring", "kube-prometheus-stack-grafana", o => o["spec"]!["type"] = "ClusterIP");
        await rig.WaitUntilAsync(() => rig.Store.Value.Items(Kinds.Service).All(s => s.Meta.Name != "kube-prometheus-stack-grafana"), "grafana gone");
        Assert.True(rig.Converged());

        // The Longhorn UI gets its label: LB-IPAM hands out an address and the verdict turns Healthy.
        rig.Simulator.Cluster.Update(Kinds.Service, "longhorn-system", "longhorn-frontend", o =>
        {
            o["metadata"]!["labels"]!["io.cilium/lb-ipam-pool"] = "bgp-default";
            o["status"] = System.Text.Json.Nodes.JsonNode.Parse("""{"loadBalancer":{"ingress":[{"ip":"172.29.52.100"}]}}""");
        });
        await rig.WaitUntilAsync(() => rig.Store.Value.Items(Kinds.Service).Single(s => s.Meta.Name == "longhorn-frontend").Verdict.Health == HealthStatus.Healthy,
            "longhorn-frontend assigned");
    }
}
