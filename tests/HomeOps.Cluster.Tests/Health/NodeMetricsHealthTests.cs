using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>metrics.k8s.io NodeMetrics as metrics-server writes them.</summary>
public sealed class NodeMetricsHealthTests
{
    [Fact]
    public void Usage_in_nanocores_and_kibibytes_becomes_millicores_and_bytes()
    {
        var s = ResourceDecoder.TryDecode(Json.Parse("""
            {'kind':'NodeMetrics','apiVersion':'metrics.k8s.io/v1beta1','metadata':{'name':'mini01'},
             'timestamp':'2026-11-25T11:59:53Z','window':'10.06s','usage':{'cpu':'352913122n','memory':'5318032Ki'}}
            """), SeededState.Now)!;

        var d = Assert.IsType<NodeMetricsDetails>(s.Details);
        Assert.Equal(Kinds.NodeMetrics.Key, s.Kind.Key);
        Assert.Equal(353, d.CpuMillicores);
        Assert.Equal(5318032L * 1024, d.MemoryBytes);
        Assert.Equal(TimeSpan.FromSeconds(10.06), d.Window);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 11, 59, 53, TimeSpan.Zero), d.Timestamp);
        Assert.Equal((HealthStatus.Healthy, "Measured"), (s.Verdict.Health, s.Verdict.Reason));
        Assert.Equal("CPU 353m, memory 5.1 GiB", s.Verdict.Message);
    }

    [Fact]
    public void Unreadable_usage_is_unknown_not_zero_health()
    {
        var s = ResourceDecoder.Decode(Kinds.NodeMetrics, Json.Parse("{'metadata':{'name':'mini02'},'usage':{'cpu':'lots'}}"), SeededState.Now);
        Assert.Equal((HealthStatus.Unknown, "NoUsage"), (s.Verdict.Health, s.Verdict.Reason));
        var minutes = ResourceDecoder.Decode(Kinds.NodeMetrics, Json.Parse("{'metadata':{'name':'m'},'window':'1m0s','usage':{'cpu':'2','memory':'1Gi'}}"), SeededState.Now);
        Assert.Equal(TimeSpan.FromMinutes(1), Assert.IsType<NodeMetricsDetails>(minutes.Details).Window);
        Assert.Equal(2000, Assert.IsType<NodeMetricsDetails>(minutes.Details).CpuMillicores);
    }
}
