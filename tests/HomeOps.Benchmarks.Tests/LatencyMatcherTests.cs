using HomeOps.Benchmarks.Live.Harness;

namespace HomeOps.Benchmarks.Tests;

public sealed class LatencyMatcherTests
{
    [Fact]
    public void A_write_renders_when_its_own_sequence_appears()
    {
        var m = LatencyMatcher.Match([new ProbeWrite(0, 1, 1000)], [new ProbeSighting(0, 1, 1080)]);
        Assert.Equal([80.0], m.Milliseconds);
        Assert.Equal(0, m.Missed);
    }

    [Fact]
    public void A_coalesced_write_renders_with_the_later_value_that_superseded_it()
    {
        // 1 and 2 arrive in one batch window; the page only ever shows 2.
        var m = LatencyMatcher.Match(
            [new ProbeWrite(0, 1, 1000), new ProbeWrite(0, 2, 1040)],
            [new ProbeSighting(0, 2, 1100)]);
        Assert.Equal([100.0, 60.0], m.Milliseconds);
        Assert.Equal(0, m.Missed);
    }

    [Fact]
    public void A_write_no_page_ever_showed_is_missed_not_skipped()
    {
        var m = LatencyMatcher.Match(
            [new ProbeWrite(0, 1, 1000), new ProbeWrite(0, 2, 1040)],
            [new ProbeSighting(0, 1, 1050)]);
        Assert.Equal([50.0], m.Milliseconds);
        Assert.Equal(1, m.Missed);
    }

    [Fact]
    public void Probes_are_matched_separately()
    {
        // Probe 1 showing a higher number says nothing about probe 0.
        var m = LatencyMatcher.Match([new ProbeWrite(0, 5, 1000)], [new ProbeSighting(1, 9, 1010)]);
        Assert.Empty(m.Milliseconds);
        Assert.Equal(1, m.Missed);
    }

    [Fact]
    public void Percentiles_use_the_nearest_rank()
    {
        double[] values = [5, 1, 4, 2, 3];
        Assert.Equal(3, Percentiles.Of(values, 50));
        Assert.Equal(5, Percentiles.Of(values, 99));
        Assert.True(double.IsNaN(Percentiles.Of([], 50)));
    }
}
