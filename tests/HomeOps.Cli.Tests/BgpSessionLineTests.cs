namespace HomeOps.Cli.Tests;

/// <summary>
/// The table's BGP group says what the dashboard's BGP tile says (both from BgpStatus.Evaluate): live session counts
/// only from BGPv2 node status, and "unknown" while a v1 PeeringPolicy is active.
/// </summary>
public sealed class BgpSessionLineTests
{
    [Fact]
    public async Task With_only_bgpv2_node_configs_the_sessions_are_counted_live()
    {
        using var dir = new TempFolder();
        dir.CopyFixture("cilium/bgpnodeconfig-established-v2alpha1-docs.json");
        var result = await CliProcess.RunAsync("status", "--from", dir.Path);
        Assert.Matches(@"sessions: \d+/\d+ established \(BGPv2", result.Stdout);
        Assert.DoesNotContain("warning:", result.Stdout);
    }

    [Fact]
    public async Task With_a_v1_policy_the_sessions_are_unknown_even_beside_established_node_configs()
    {
        using var dir = new TempFolder();
        dir.CopyFixture("cilium/bgppeeringpolicy-v2alpha1-docs.json");
        dir.CopyFixture("cilium/bgpnodeconfig-established-v2alpha1-docs.json");
        var result = await CliProcess.RunAsync("status", "--from", dir.Path);
        Assert.Contains("sessions: unknown (BGPv1", result.Stdout);
        Assert.Contains("only the configuration is known", result.Stdout);
        Assert.Contains("warning: Cilium", result.Stdout);
        Assert.DoesNotContain("established (BGPv", result.Stdout);
    }
}
