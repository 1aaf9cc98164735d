using HomeOps.Cluster.Sources;

namespace HomeOps.Cluster.Tests.Sources;

public sealed class BackoffTests
{
    [Fact]
    public void Delays_grow_exponentially_with_jitter_up_to_the_maximum_and_reset()
    {
        var initial = TimeSpan.FromMilliseconds(100);
        var max = TimeSpan.FromSeconds(2);
        var backoff = new Backoff(initial, max, new Random(7));

        var ceilings = new List<double>();
        for (var n = 0; n < 10; n++)
        {
            var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, n));
            var delay = backoff.Next();
            Assert.InRange(delay.TotalMilliseconds, initial.TotalMilliseconds / 10, ceiling);
            ceilings.Add(ceiling);
        }
        Assert.Equal(10, backoff.Failures);
        Assert.Equal(max.TotalMilliseconds, ceilings[^1]);

        backoff.Reset();
        Assert.Equal(0, backoff.Failures);
        Assert.InRange(backoff.Next().TotalMilliseconds, 10, 100);
    }

    [Fact]
    public void Full_jitter_spreads_delays_across_the_window()
    {
        // Many informers failing together must not retry in lockstep.
        var delays = Enumerable.Range(0, 200)
            .Select(i => new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(i)))
            .Select(b => { b.Next(); b.Next(); b.Next(); return b.Next().TotalMilliseconds; }) // 4th failure: window up to 8 s
            .ToList();
        Assert.True(delays.Min() < 2000 && delays.Max() > 6000, $"min {delays.Min()} max {delays.Max()}");
    }
}
