using System.Net;
using System.Net.Sockets;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using HomeOps.Cluster.Tests.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>What an informer's freshness says when the API cannot or will not serve a kind.</summary>
public sealed class InformerFreshnessTests
{
    /// <summary>A CRD the simulator does not serve (as BGPv2 kinds are missing on a cluster without them).</summary>
    private static readonly KindInfo Widget = new("Widget", "homeops.test", "v1", "widgets", true, Area.Flux);

    [Fact]
    public async Task A_kind_the_API_does_not_serve_is_not_installed_and_not_retried_in_a_loop()
    {
        await using var rig = await InformerRig.StartAsync(kinds: [Kinds.Node, Widget]);
        await rig.WaitUntilAsync(() => rig.Store.Value.Slice(Widget).Freshness.State == FeedState.NotInstalled && rig.Informer(Kinds.Node).State == FeedState.Live,
            "widgets not installed, nodes live");

        // Discovery said so: no informer was started for it at all.
        Assert.Null(rig.Host.Find(Widget));
        Assert.Equal(KindServing.NotServed, rig.Host.Availability(Widget)!.Serving);
        var freshness = rig.Store.Value.Slice(Widget).Freshness;
        Assert.Equal(FeedState.NotInstalled, freshness.State);
        Assert.Contains("widgets.homeops.test", freshness.LastError);
        Assert.Equal("not installed", freshness.Describe(DateTimeOffset.UtcNow));
        // Not installed is a settled answer: readiness does not wait for it.
        Assert.True(rig.Host.AllSynced);

        // No loop: nothing more is asked while we watch the counter for many backoff periods of this rig (50 ms .. 500 ms).
        var lists = rig.Simulator.Faults.ListRequests;
        var until = DateTime.UtcNow.AddSeconds(1.5);
        while (DateTime.UtcNow < until)
        {
            Assert.Equal(lists, rig.Simulator.Faults.ListRequests);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_kind_that_disappears_is_emptied_and_found_again_when_installed()
    {
        await using var rig = await InformerRig.StartAsync(
            kinds: [Kinds.LonghornBackup],
            cluster: o => o.NotInstalledRetry = TimeSpan.FromMilliseconds(300));
        await rig.WaitLiveAndConvergedAsync("backups live");
        Assert.NotEmpty(rig.Store.Value.Items(Kinds.LonghornBackup));

        // The CRD is removed (the API answers 404 for a while), then installed again.
        rig.Simulator.Faults.FailNextRequests(2, HttpStatusCode.NotFound, Kinds.LonghornBackup);
        var mark = rig.FreshnessHistory.Count;
        rig.Simulator.Faults.DropAllWatches();

        await rig.WaitUntilAsync(() => rig.FreshnessOf(Kinds.LonghornBackup, mark).Any(f => f.State == FeedState.NotInstalled),
            "not installed shown");
        await rig.WaitLiveAndConvergedAsync("found again and re-listed");
        Assert.NotEmpty(rig.Store.Value.Items(Kinds.LonghornBackup));
        Assert.True(rig.Informer(Kinds.LonghornBackup).Lists >= 2);
    }

    [Fact]
    public async Task A_kind_removed_for_good_shows_no_leftover_objects()
    {
        await using var rig = await InformerRig.StartAsync(kinds: [Kinds.LonghornBackup]);
        await rig.WaitLiveAndConvergedAsync("backups live");

        rig.Simulator.Faults.FailNextRequests(1000, HttpStatusCode.NotFound, Kinds.LonghornBackup);
        rig.Simulator.Faults.DropAllWatches();

        await rig.WaitUntilAsync(() => rig.Informer(Kinds.LonghornBackup).State == FeedState.NotInstalled, "not installed");
        Assert.Empty(rig.Store.Value.Items(Kinds.LonghornBackup));
        Assert.Equal(FeedState.NotInstalled, rig.Store.Value.Slice(Kinds.LonghornBackup).Freshness.State);
    }

    [Fact]
    public async Task A_forbidden_kind_names_the_missing_permission_and_recovers_when_allowed()
    {
        await using var forbidden = await InformerRig.StartAsync(
            kinds: [Kinds.LonghornBackup],
            cluster: o => o.BackoffInitial = TimeSpan.FromMilliseconds(100));
        var informer = forbidden.Informer(Kinds.LonghornBackup);
        await forbidden.WaitLiveAndConvergedAsync("backups live");

        // RBAC is tightened: the next requests for Longhorn backups are refused, then the role is fixed again.
        forbidden.Simulator.Faults.FailNextRequests(4, HttpStatusCode.Forbidden, Kinds.LonghornBackup);
        var mark = forbidden.FreshnessHistory.Count;
        forbidden.Simulator.Faults.DropAllWatches();

        await forbidden.WaitUntilAsync(() => forbidden.FreshnessOf(Kinds.LonghornBackup, mark).Any(f => f.State == FeedState.Forbidden),
            "forbidden shown");
        var shown = forbidden.FreshnessOf(Kinds.LonghornBackup, mark).First(f => f.State == FeedState.Forbidden);
        Assert.Equal("needs get/list/watch on backups.longhorn.io", shown.LastError);
        Assert.Equal("forbidden: needs get/list/watch on backups.longhorn.io", shown.Describe(DateTimeOffset.UtcNow));

        await forbidden.WaitLiveAndConvergedAsync("live again once allowed");
        Assert.True(informer.Lists >= 2);
    }

    [Fact]
    public async Task An_unreachable_API_is_an_error_before_the_first_sync()
    {
        // A port nobody listens on.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"homeops-unreachable-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(kubeconfig, $$$"""
            apiVersion: v1
            kind: Config
            clusters: [{name: gone, cluster: {server: "http://127.0.0.1:{{{port}}}"}}]
            users: [{name: u, user: {token: not-a-real-token}}]
            contexts: [{name: gone, context: {cluster: gone, user: u}}]
            current-context: gone
            """, TestContext.Current.CancellationToken);
        try
        {
            var options = new ClusterOptions
            {
                Mode = ClusterMode.Kubeconfig, Kubeconfig = kubeconfig,
                BackoffInitial = TimeSpan.FromMilliseconds(20), BackoffMax = TimeSpan.FromMilliseconds(100),
            };
            var store = new ClusterStore();
            using var client = new KubernetesClientFactory(Microsoft.Extensions.Options.Options.Create(options)).Create();
            var informer = new KindInformer(Kinds.Node, client, store, store, options, TimeProvider.System, NullLogger<KindInformer>.Instance);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            var run = informer.RunAsync(cts.Token);

            await Wait.UntilAsync(() => store.Value.Slice(Kinds.Node).Freshness.State == FeedState.Error, "error state");
            var freshness = store.Value.Slice(Kinds.Node).Freshness;
            Assert.StartsWith("API unreachable", freshness.LastError);
            Assert.False(freshness.Synced);
            Assert.DoesNotContain("not-a-real-token", freshness.LastError);
            Assert.False(informer.IsSettled);

            cts.Cancel();
            await run.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken); // ends promptly, without throwing
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact]
    public async Task A_silent_watch_is_marked_stale_and_reopened()
    {
        // No bookmarks: after StaleAfter without any event the watch is presumed hung. The informer's clock is one only
        // this test moves, so "silent for StaleAfter" happens exactly when the test says — never earlier because the
        // machine is slow (the initial list and the first event take what they take), never by waiting for real.
        var staleAfter = TimeSpan.FromSeconds(7);
        var clock = new PendingTimerClock();
        await using var rig = await InformerRig.StartAsync(
            kinds: [Kinds.Node],
            simulator: o => o.BookmarkInterval = TimeSpan.FromHours(1),
            cluster: o => o.StaleAfter = staleAfter,
            time: clock);
        var informer = rig.Informer(Kinds.Node);
        // An event waits out its batch's short linger on the same clock before it reaches the store.
        async Task DeliveredAsync(string what)
        {
            await rig.WaitUntilAsync(() => clock.Pending(KindInformer.BatchLinger) > 0 || rig.Converged(), what + " (batched)");
            if (!rig.Converged()) clock.Advance(KindInformer.BatchLinger);
            await rig.WaitUntilAsync(() => rig.Converged(), what);
        }
        await rig.WaitUntilAsync(() => informer.HasSynced, "listed");
        rig.Annotate(Kinds.Node, null, "mini01", "before-silence"); // an event: the watch is certainly established
        await DeliveredAsync("event received");
        // The watch waits for its next line, with the silence timer running (created after the event was handled).
        await rig.WaitUntilAsync(() => clock.Pending(staleAfter) == 1 && rig.Converged(), "the watch waiting on its silence timer");
        Assert.Equal(0, informer.Reconnects);

        clock.Advance(staleAfter - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, clock.Pending(staleAfter));   // a millisecond short of the limit it is still open
        Assert.Equal(0, informer.Reconnects);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        await rig.WaitUntilAsync(() => informer.Reconnects >= 1, "stale watch reopened");
        var stale = rig.FreshnessOf(Kinds.Node).First(f => f.State == FeedState.Reconnecting);
        Assert.Contains("silent", stale.LastError);
        Assert.Equal(1, informer.Lists); // re-watched from the last resourceVersion, not re-listed

        // The reopened watch still delivers.
        rig.Annotate(Kinds.Node, null, "mini02", "after-silence");
        await DeliveredAsync("converged after the silence");
        Assert.Equal(FeedState.Live, informer.State);
        Assert.Equal(1, informer.Reconnects);
        Assert.Equal(1, informer.Lists);
    }

    [Fact]
    public async Task Bookmarks_keep_a_quiet_watch_fresh()
    {
        await using var rig = await InformerRig.StartAsync(
            kinds: [Kinds.Node],
            simulator: o => o.BookmarkInterval = TimeSpan.FromMilliseconds(100),
            cluster: o => o.StaleAfter = TimeSpan.FromMilliseconds(600));
        await rig.WaitLiveAndConvergedAsync("initial sync");
        var informer = rig.Informer(Kinds.Node);
        var rv = rig.Simulator.Cluster.ResourceVersion.ToString();

        // Twenty bookmarks is three times the stale window of silence in data events.
        var events = informer.EventsReceived;
        await rig.WaitUntilAsync(() => informer.EventsReceived >= events + 20, "bookmarks received");

        Assert.Equal(0, informer.Reconnects);
        Assert.Equal(FeedState.Live, informer.State);
        Assert.Equal(rv, informer.ResourceVersion); // bookmarks carry the current resourceVersion
    }
}
