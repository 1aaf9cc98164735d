using HomeOps.Dashboard.ViewModels.Operations;
using HomeOps.Operations.Runners;

namespace HomeOps.Dashboard.Tests.Operations;

public sealed class RunLogBufferTests
{
    [Fact]
    public void Live_lines_already_in_the_stored_output_are_not_added_twice()
    {
        var log = new RunLogBuffer();
        log.Merge("one\ntwo\n▸ exit code 0", 3);
        Assert.False(log.Add(2, OutputStream.Stdout, "two"));
        Assert.True(log.Add(4, OutputStream.Stdout, "four"));
        Assert.Equal(["one", "two", "exit code 0", "four"], log.Lines.Select(l => l.Text));
        Assert.Equal(OutputStream.System, log.Lines[2].Stream);
        Assert.False(log.HasGap);
    }

    [Fact]
    public void Lines_missed_between_the_last_flush_and_the_subscription_are_filled_in_by_the_next_merge()
    {
        var log = new RunLogBuffer();
        log.Merge("", 0);                                   // subscribed before the first flush
        log.Add(3, OutputStream.Stdout, "third");           // lines 1–2 were written before the subscription
        Assert.True(log.HasGap);
        log.Merge("first\nsecond\nthird", 3);               // the stored output caught up
        Assert.False(log.HasGap);
        Assert.Equal(["first", "second", "third"], log.Lines.Select(l => l.Text));
        Assert.Equal([1L, 2L, 3L], log.Lines.Select(l => l.Number));
    }

    [Fact]
    public void The_log_is_bounded_and_counts_what_it_dropped()
    {
        var log = new RunLogBuffer(capacity: 5);
        for (var i = 1; i <= 12; i++) log.Add(i, OutputStream.Stdout, $"line {i}");
        Assert.Equal(5, log.Lines.Count);
        Assert.Equal("line 12", log.Lines[^1].Text);
        Assert.Equal(7, log.Dropped);
    }
}
