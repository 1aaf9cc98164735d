using HomeOps.Cluster.Model;
using HomeOps.Reliability.Tests.Support;
using HomeOps.Simulator.Faults;

namespace HomeOps.Reliability.Tests.Faults;

/// <summary>One fault at a time through the real informers: what the schedules do by the hundred, spelled out.</summary>
public sealed class InformerFaultTests
{
    [Fact]
    public async Task A_corrupted_event_line_ends_the_session_and_is_replayed_not_lost()
    {
        // No bookmarks: the first line after arming is the event itself.
        await using var rig = await ReliabilityRig.StartAsync([Kinds.Node], simulator: o => o.BookmarkInterval = TimeSpan.FromHours(1));
        var informer = rig.Informer(Kinds.Node);
        await rig.WaitUntilAsync(() => informer.HasSynced && rig.Simulator.Faults.OpenWatches == 1, "listed and watching");
        // A first good line, so the corrupted one arrives mid-stream (a corrupted first line fails the watch request
        // itself inside KubernetesClient, and the informer re-lists: also safe, but not what this test is about).
        rig.Annotate(Kinds.Node, null, "mini03", "first-line");
        await rig.WaitUntilAsync(() => rig.LiveAndConverged(Kinds.Node), "live");
        var mark = rig.Timeline.Count;

        rig.Simulator.Faults.Arm(FaultSchedule.Scripted(s => s.Line(Kinds.Node, 0, 0, FaultType.CorruptEvent)));
        rig.Annotate(Kinds.Node, null, "mini01", "corrupted-then-replayed");
        rig.Annotate(Kinds.Node, null, "mini02", "after-the-corruption");

        await rig.WaitUntilAsync(() => rig.Converged(Kinds.Node), "both changes arrive");
        Assert.Equal(1, informer.UnreadableEvents);
        Assert.Equal(1, informer.Lists); // resumed from the last event read, no re-list needed
        var mini01 = rig.Store.Value.Items(Kinds.Node).Single(n => n.Meta.Name == "mini01");
        Assert.Equal("corrupted-then-replayed", mini01.Meta.Annotations["homeops.test/touched"]);
        var shown = rig.Timeline.For(Kinds.Node).Where(e => e.State == FeedState.Reconnecting).ToList();
        Assert.Contains(shown, e => e.Error?.StartsWith("unreadable watch event (JsonException)", StringComparison.Ordinal) == true);
        Assert.Contains(rig.Logs.Lines, l => l.Contains("unreadable watch event") && l.Contains("resuming from resourceVersion"));
        Assert.True(rig.Timeline.Count > mark);
    }

    [Fact]
    public async Task A_429_with_Retry_After_on_a_watch_is_waited_out_and_the_watch_resumes_without_a_relist()
    {
        await using var rig = await ReliabilityRig.StartAsync([Kinds.Node]);
        var informer = rig.Informer(Kinds.Node);
        await rig.WaitUntilAsync(() => rig.LiveAndConverged(Kinds.Node), "live");

        // The open watch is cut at its next line (a bookmark); the watch that follows is throttled for a second.
        rig.Simulator.Faults.Arm(FaultSchedule.Scripted(s => s
            .Line(Kinds.Node, 0, 0, FaultType.CutMidLine)
            .Request(Kinds.Node, 1, RequestFault.TooManyRequests(TimeSpan.FromSeconds(1)))));
        await rig.WaitUntilAsync(() => rig.Recorder.Requests.Any(r => r.Fault is not null), "the 429 was served");
        var throttled = rig.Recorder.Requests.Single(r => r.Fault is not null);
        await rig.WaitUntilAsync(() => rig.Recorder.Requests.Any(r => r.At > throttled.At), "the next request");
        rig.Annotate(Kinds.Node, null, "mini03", "after-throttling");
        await rig.WaitUntilAsync(() => rig.LiveAndConverged(Kinds.Node), "live again");

        var next = rig.Recorder.Requests.First(r => r.At > throttled.At);
        Assert.True(throttled.Watch);
        Assert.True(next.Watch, "a 429 on a watch says 'not now', not 'you missed something': no re-list");
        Assert.True(Clock.Ms(throttled.At, next.At) >= 950, $"came back after {Clock.Ms(throttled.At, next.At):0} ms, before Retry-After: 1");
        Assert.Equal(1, informer.Lists);
    }

    [Fact]
    public async Task A_500_with_Retry_After_on_a_list_is_waited_out()
    {
        await using var rig = await ReliabilityRig.StartAsync([Kinds.Kustomization]);
        var informer = rig.Informer(Kinds.Kustomization);
        await rig.WaitUntilAsync(() => rig.LiveAndConverged(Kinds.Kustomization), "live");

        // ERROR 410 on the open watch forces a re-list; that list gets a 500 asking to come back in a second.
        rig.Simulator.Faults.Arm(FaultSchedule.Scripted(s => s
            .Line(Kinds.Kustomization, 0, 0, FaultType.ErrorEvent410)
            .Request(Kinds.Kustomization, 1, RequestFault.ServerError(TimeSpan.FromSeconds(1)))));
        await rig.WaitUntilAsync(() => informer.Lists >= 2 && rig.LiveAndConverged(Kinds.Kustomization), "re-listed and live");

        var failed = rig.Recorder.Requests.Single(r => r.Fault is not null);
        var retry = rig.Recorder.Requests.First(r => r.At > failed.At);
        Assert.False(failed.Watch);
        Assert.False(retry.Watch);
        Assert.True(Clock.Ms(failed.At, retry.At) >= 950, $"retried after {Clock.Ms(failed.At, retry.At):0} ms");
    }

    [Fact]
    public async Task A_watch_answered_by_an_ERROR_410_first_line_is_never_shown_live()
    {
        await using var rig = await ReliabilityRig.StartAsync([Kinds.LonghornVolume]);
        var informer = rig.Informer(Kinds.LonghornVolume);
        await rig.WaitUntilAsync(() => rig.LiveAndConverged(Kinds.LonghornVolume), "live");

        rig.Simulator.Faults.Arm(FaultSchedule.Scripted(s => s
            .Line(Kinds.LonghornVolume, 0, 0, FaultType.CutMidLine)
            .Line(Kinds.LonghornVolume, 1, 0, FaultType.ErrorEvent410)));
        await rig.WaitUntilAsync(() => informer.Lists >= 2 && rig.LiveAndConverged(Kinds.LonghornVolume), "re-listed after the 410");

        var requests = rig.Recorder.Requests.Where(r => r.Kind == Kinds.LonghornVolume.Key).ToList();
        var expiredWatch = rig.Recorder.Sessions.Single(s => s.EndedBy == FaultNames.Of(FaultType.ErrorEvent410));
        var relist = requests.First(r => !r.Watch && r.At > expiredWatch.Started);
        Assert.DoesNotContain(rig.Timeline.For(Kinds.LonghornVolume), e => e.State == FeedState.Live && e.At > expiredWatch.Started && e.At < relist.At);
    }

    [Fact]
    public async Task A_line_nested_deeper_than_the_API_allows_is_reported_and_loses_nothing_else()
    {
        await using var rig = await ReliabilityRig.StartAsync([Kinds.HelmRelease, Kinds.Kustomization]);
        var helm = rig.Informer(Kinds.HelmRelease);
        await rig.WaitUntilAsync(() => rig.LiveAndConverged(Kinds.HelmRelease, Kinds.Kustomization), "live");
        var release = rig.Simulator.Cluster.List(Kinds.HelmRelease).Items[0];
        var (ns, name) = (release["metadata"]!["namespace"]!.GetValue<string>(), release["metadata"]!["name"]!.GetValue<string>());

        rig.Annotate(Kinds.HelmRelease, ns, name, "before");
        rig.Simulator.Faults.InjectLine(Kinds.HelmRelease, HostileLines.TooDeep(Kinds.HelmRelease, name: "too-deep"));
        rig.Annotate(Kinds.HelmRelease, ns, name, "after");
        var kustomization = rig.Simulator.Cluster.List(Kinds.Kustomization).Items[0];
        rig.Annotate(Kinds.Kustomization, kustomization["metadata"]!["namespace"]!.GetValue<string>(), kustomization["metadata"]!["name"]!.GetValue<string>(), "untouched-by-the-fault");

        await rig.WaitUntilAsync(() => helm.UnreadableEvents >= 1 && rig.LiveAndConverged(Kinds.HelmRelease, Kinds.Kustomization), "converged after the deep line");
        Assert.DoesNotContain(rig.Store.Value.Items(Kinds.HelmRelease), s => s.Meta.Name == "too-deep");
        Assert.Equal("after", rig.Store.Value.Items(Kinds.HelmRelease).Single(s => s.Meta.Name == name).Meta.Annotations["homeops.test/touched"]);
        Assert.Contains(rig.Timeline.For(Kinds.HelmRelease), e => e.State == FeedState.Reconnecting && e.Error?.Contains("unreadable watch event") == true);
        Assert.Equal(0, rig.Informer(Kinds.Kustomization).Reconnects);
    }
}
