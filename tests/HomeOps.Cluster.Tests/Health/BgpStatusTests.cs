using System.Text.Json.Nodes;
using HomeOps.Cluster.Health;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>What the dashboard may honestly claim about BGP sessions, from which API objects exist (cluster brief §5.1, §10.8).</summary>
public sealed class BgpStatusTests
{
    private static readonly string[] V2Kinds = ["CiliumBGPClusterConfig", "CiliumBGPNodeConfig", "CiliumBGPPeerConfig", "CiliumBGPAdvertisement"];

    private static bool IsV2(JsonObject o) => V2Kinds.Contains(o["kind"]?.GetValue<string>());

    [Fact]
    public void The_live_cluster_policy_alone_means_BGPv1_with_only_the_configuration_known_and_the_1_19_warning()
    {
        var report = BgpStatus.Evaluate(SeededState.Build(o => IsV2(o) ? null : o));

        Assert.Equal(ActiveBgpApi.V1, report.Active);
        Assert.False(report.SessionStateKnown);
        Assert.Equal(1, report.ConfiguredNeighbours);
        Assert.Contains("Only the configuration is known", report.Explanation);
        Assert.Contains("cilium-dbg bgp peers", report.Explanation);
        Assert.Contains("bgp-peering-policy", report.Explanation);
        Assert.Equal([BgpStatus.V1RemovalWarning], report.Warnings);
        Assert.Contains("1.19", report.Warnings[0]);
    }

    [Fact]
    public void BGPv2_alone_reports_live_session_state_from_the_node_configs()
    {
        var report = BgpStatus.Evaluate(SeededState.Build(o => o["kind"]?.GetValue<string>() == "CiliumBGPPeeringPolicy" ? null : o));

        Assert.Equal(ActiveBgpApi.V2, report.Active);
        Assert.True(report.SessionStateKnown);
        Assert.Equal((3, 3), (report.Established, report.Sessions));
        Assert.Contains("3/3 sessions established", report.Explanation);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void With_both_APIs_the_peering_policy_wins_and_node_config_status_is_not_trusted()
    {
        var report = BgpStatus.Evaluate(SeededState.Build());

        Assert.Equal(ActiveBgpApi.V1, report.Active);
        Assert.False(report.SessionStateKnown);
        Assert.Equal((3, 3), (report.Established, report.Sessions)); // what the node configs say, reported but not believed
        Assert.Contains("do not describe the sessions that run", report.Explanation);
        Assert.Equal([BgpStatus.V1RemovalWarning, BgpStatus.BothApisWarning], report.Warnings);
    }

    [Fact]
    public void BGPv2_node_configs_without_status_say_only_the_configuration_is_known()
    {
        var report = BgpStatus.Evaluate(SeededState.Build(o =>
        {
            if (o["kind"]?.GetValue<string>() == "CiliumBGPPeeringPolicy") return null;
            if (o["kind"]?.GetValue<string>() != "CiliumBGPNodeConfig") return o;
            var copy = (JsonObject)o.DeepClone();
            copy.Remove("status");
            return copy;
        }));

        Assert.Equal(ActiveBgpApi.V2, report.Active);
        Assert.False(report.SessionStateKnown);
        Assert.Contains("only the configuration is known", report.Explanation);
    }

    [Fact]
    public void No_BGP_object_at_all_is_said_plainly()
    {
        var report = BgpStatus.Evaluate(SeededState.Build(o => o["apiVersion"]?.GetValue<string>()?.StartsWith("cilium.io/") == true ? null : o));
        Assert.Equal(ActiveBgpApi.None, report.Active);
        Assert.False(report.SessionStateKnown);
        Assert.Contains("not advertised", report.Explanation);
    }
}
