using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Operations.Timeline;
using Microsoft.Extensions.Time.Testing;
using static HomeOps.Operations.Tests.Timeline.TimelineObjects;

namespace HomeOps.Operations.Tests.Timeline;

/// <summary>
/// The timeline's Warning events come from the store's Event slice: a new event or a repeat (its count grew) is passed
/// on at its own time; an unchanged one is not; a re-list after a restart does not pass on again what happened before.
/// </summary>
public sealed class StoreWarningEventSourceTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void New_and_repeated_warnings_are_passed_on_once_at_their_own_time_and_old_ones_are_not_replayed_at_start()
    {
        var time = new FakeTimeProvider(Start);
        var store = new ClusterStore(time);
        var seen = new List<WarningEvent>();
        using var _ = new StoreWarningEventSource(store).Subscribe(seen.Add);

        var before = WarningEvent("e-old", "headlamp-old", 5, Start.AddHours(-3));
        var fresh = WarningEvent("e-new", "headlamp-5d8f-abcde", 1, Start.AddSeconds(5));
        store.Dispatch(new ResourcesReplaced(Kinds.Event, [before, fresh], Start.AddSeconds(6)));

        var first = Assert.Single(seen);
        Assert.Equal(("Pod", "headlamp", "headlamp-5d8f-abcde", "BackOff"), (first.Kind, first.Namespace, first.Name, first.Reason));
        Assert.Equal(Start.AddSeconds(5), first.At);
        Assert.Equal("Workloads", first.Area);
        Assert.Contains("Back-off pulling image", first.Message);

        // The same event again, unchanged (a resync): nothing. Its count grows: one more, at its new time.
        store.Dispatch(new ResourcesChanged(Kinds.Event, [fresh], [], Start.AddSeconds(10)));
        Assert.Single(seen);
        store.Dispatch(new ResourcesChanged(Kinds.Event, [WarningEvent("e-new", "headlamp-5d8f-abcde", 2, Start.AddSeconds(40))], [], Start.AddSeconds(41)));
        Assert.Equal(2, seen.Count);
        Assert.Equal(Start.AddSeconds(40), seen[1].At);

        // Other kinds never reach the timeline's Warning input.
        store.Dispatch(new ResourcesChanged(Kinds.Node, [Node("mini01", "False", "boot-2")], [], Start.AddSeconds(50)));
        Assert.Equal(2, seen.Count);
    }
}
