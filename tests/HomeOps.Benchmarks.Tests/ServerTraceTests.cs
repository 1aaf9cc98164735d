using HomeOps.Benchmarks.Live.Harness;

namespace HomeOps.Benchmarks.Tests;

/// <summary>The server-side matching rule: writes named by resource version, matched to the dashboard's trace points.</summary>
public sealed class ServerTraceTests
{
    private const string K = "Kustomization.kustomize.toolkit.fluxcd.io";

    private static TracePoint Ready(long rv, double at) => new("", "", K, rv, at);
    private static TracePoint Sent(string viewer, long rv, double at, string kind = K) => new(viewer, "FluxList", kind, rv, at);

    [Fact]
    public void A_batch_carrying_a_later_version_carries_the_earlier_ones()
    {
        // Versions 10 and 11 were coalesced into one batch whose highest version is 11.
        var writes = new[] { new ProbeWrite(0, 1, 1000, 10), new ProbeWrite(1, 2, 1010, 11) };
        var s = ServerTrace.Match(writes, [Ready(10, 1002), Ready(11, 1012), Sent("a", 11, 1020), Sent("hub", 11, 1015)], K);
        Assert.Equal([2.0, 2.0], s.Ready.Milliseconds);
        Assert.Equal([20.0, 10.0], s.LastCircuit.Milliseconds);
        Assert.Equal([15.0, 5.0], s.Hub.Milliseconds);
        Assert.Equal(1, s.Circuits);
    }

    [Fact]
    public void The_last_circuit_is_the_slowest_of_all_and_a_circuit_that_never_sent_makes_it_missed()
    {
        var writes = new[] { new ProbeWrite(0, 1, 1000, 10), new ProbeWrite(0, 2, 1100, 20) };
        var s = ServerTrace.Match(writes, [Sent("a", 10, 1005), Sent("b", 10, 1030), Sent("a", 20, 1110)], K);
        Assert.Equal([30.0], s.LastCircuit.Milliseconds);   // write 2 never left on circuit b
        Assert.Equal(1, s.LastCircuit.Missed);
        Assert.Equal([5.0, 30.0, 10.0], s.EveryCircuit.Milliseconds);
        Assert.Equal(1, s.EveryCircuit.Missed);
        Assert.Equal(4, s.EveryCircuit.Writes);
        Assert.Equal(2, s.Hub.Missed);   // no hub point at all: the floor is missing, not zero
    }

    [Fact]
    public void Points_of_other_kinds_and_opaque_versions_say_nothing_about_the_writes()
    {
        var writes = new[] { new ProbeWrite(0, 1, 1000, 10) };
        var s = ServerTrace.Match(writes, [Sent("a", 50, 1001, kind: "Volume.longhorn.io"), Sent("a", -1, 1002), Sent("a", 10, 1040)], K);
        Assert.Equal([40.0], s.LastCircuit.Milliseconds);
        Assert.Equal(1, s.Circuits);
    }

    [Fact]
    public void The_earliest_sufficient_point_wins_even_when_a_higher_version_left_first()
    {
        // Two renders both carry version 10; the rule takes the earliest of all points at or above it.
        var at = ServerTrace.Earliest([new ProbeWrite(0, 1, 1000, 10)], [Sent("a", 12, 1020), Sent("a", 10, 1030)]);
        Assert.Equal(1020.0, at[0]);
    }
}
