using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Timeline;
using HomeOps.Operations.Tests.Support;
using HomeOps.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static HomeOps.Operations.Tests.Timeline.TimelineObjects;

namespace HomeOps.Operations.Tests.Timeline;

/// <summary>
/// The recorder over a real store and a real SQLite file, under a fake clock: transitions, revision changes with their
/// commit link, versions and reboots, actions and Warning events, background pruning, and a restart.
/// </summary>
public sealed class TimelineRecorderTests : IDisposable
{
    private const string ShaA = "1111111111111111111111111111111111111111";
    private const string ShaB = "2222222222222222222222222222222222222222";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero));
    private readonly TimelineOptions _options = new() { FlushInterval = TimeSpan.FromSeconds(1), PruneInterval = TimeSpan.FromHours(1) };

    private async Task<OperationsDatabase> DatabaseAsync()
    {
        var db = new OperationsDatabase(new DatabaseOptions(), new OperationsOptions { DataDirectory = _dir.Path });
        await db.EnsureCreatedAsync(Ct);
        return db;
    }

    private async Task<(ClusterStore Store, TimelineRecorder Recorder, EfTimelineLog Log)> StartAsync(OperationsDatabase db, params IWarningEventSource[] warnings)
    {
        var store = new ClusterStore(_time);
        var recorder = new TimelineRecorder(store, db, _options, _time, warnings);
        await recorder.StartAsync(Ct);
        return (store, recorder, new EfTimelineLog(db));
    }

    private DateTimeOffset List(ClusterStore store, KindInfo kind, params ResourceSnapshot[] items)
    {
        var at = _time.GetUtcNow();
        store.Dispatch(new ResourcesReplaced(kind, items, at));
        return at;
    }

    private DateTimeOffset Change(ClusterStore store, KindInfo kind, params ResourceSnapshot[] items)
    {
        var at = _time.GetUtcNow();
        store.Dispatch(new ResourcesChanged(kind, items, [], at));
        return at;
    }

    [Fact]
    public async Task A_health_transition_is_recorded_from_the_rules_verdict_with_from_and_to()
    {
        var db = await DatabaseAsync();
        var (store, recorder, log) = await StartAsync(db);
        List(store, Kinds.Kustomization, Kustomization("apps", "True", $"main@sha1:{ShaA}"));
        await recorder.FlushAsync(Ct);
        Assert.Empty(await log.QueryAsync(new TimelineQuery(), Ct)); // the first sight is the baseline, not a change

        _time.Advance(TimeSpan.FromMinutes(5));
        var failed = Kustomization("apps", "False", $"main@sha1:{ShaA}", "HealthCheckFailed");
        var at = Change(store, Kinds.Kustomization, failed);
        await recorder.FlushAsync(Ct);

        var e = Assert.Single(await log.QueryAsync(new TimelineQuery(), Ct));
        Assert.Equal((TimelineCategory.Health, "Flux", "Kustomization", "flux-system", "apps"), (e.Category, e.Area, e.Kind, e.Namespace, e.Name));
        Assert.Equal(HealthStatus.Healthy, Kustomization("apps", "True", $"main@sha1:{ShaA}").Verdict.Health);
        Assert.Equal(("Healthy", failed.Verdict.Health.ToString()), (e.From, e.To));
        Assert.Contains("HealthCheckFailed", e.Summary);
        Assert.Equal(at, e.At);
        Assert.False(e.SeenAtStart);
        await recorder.StopAsync(Ct);
    }

    [Fact]
    public async Task A_revision_change_links_the_commit_on_the_git_host_of_the_source_url()
    {
        var db = await DatabaseAsync();
        var (store, recorder, log) = await StartAsync(db);
        List(store, Kinds.GitRepository, GitRepository($"main@sha1:{ShaA}"));
        List(store, Kinds.Kustomization, Kustomization("apps", "True", $"main@sha1:{ShaA}"));
        await recorder.FlushAsync(Ct);

        _time.Advance(TimeSpan.FromMinutes(1));
        Change(store, Kinds.GitRepository, GitRepository($"main@sha1:{ShaB}"));
        Change(store, Kinds.Kustomization, Kustomization("apps", "True", $"main@sha1:{ShaB}"));
        await recorder.FlushAsync(Ct);

        var entries = await log.QueryAsync(new TimelineQuery(Category: TimelineCategory.Revision), Ct);
        Assert.Equal(["Kustomization", "GitRepository"], entries.Select(e => e.Kind)); // newest first (same time: by id)
        Assert.All(entries, e =>
        {
            Assert.Equal($"https://github.com/onedr0p/home-ops/commit/{ShaB}", e.Link);
            Assert.Equal(($"main@sha1:{ShaA}", $"main@sha1:{ShaB}"), (e.From, e.To));
            Assert.Equal("revision main@sha1:1111111 → main@sha1:2222222", e.Summary);
        });
        await recorder.StopAsync(Ct);
    }

    [Fact]
    public async Task Chart_and_app_versions_reboots_and_versions_are_recorded()
    {
        var db = await DatabaseAsync();
        var (store, recorder, log) = await StartAsync(db);
        List(store, Kinds.HelmRelease, HelmRelease("podinfo", "6.5.0", "6.5.0"));
        List(store, Kinds.Node, Node("mini01", "True", "boot-1"));
        await recorder.FlushAsync(Ct);

        Change(store, Kinds.HelmRelease, HelmRelease("podinfo", "6.5.1", "6.5.1"));
        Change(store, Kinds.Node, Node("mini01", "True", "boot-2", talos: "v1.9.2", kubelet: "v1.32.1"));
        await recorder.FlushAsync(Ct);

        var entries = await log.QueryAsync(new TimelineQuery(), Ct);
        Assert.Contains(entries, e => e is { Category: TimelineCategory.Chart, From: "podinfo@6.5.0", To: "podinfo@6.5.1" });
        Assert.Contains(entries, e => e is { Category: TimelineCategory.Chart, From: "6.5.0", To: "6.5.1" } && e.Summary.StartsWith("app version", StringComparison.Ordinal));
        Assert.Contains(entries, e => e is { Category: TimelineCategory.Reboot, Name: "mini01", From: "boot-1", To: "boot-2", Area: "Nodes" });
        Assert.Contains(entries, e => e is { Category: TimelineCategory.Version, From: "v1.9.1", To: "v1.9.2" } && e.Summary.StartsWith("Talos", StringComparison.Ordinal));
        Assert.Contains(entries, e => e is { Category: TimelineCategory.Version, From: "v1.32.0", To: "v1.32.1" } && e.Summary.StartsWith("Kubernetes", StringComparison.Ordinal));
        Assert.Equal(5, entries.Count);
        await recorder.StopAsync(Ct);
    }

    [Fact]
    public async Task Many_changes_are_written_in_one_flush_not_one_round_trip_each()
    {
        var db = await DatabaseAsync();
        var (store, recorder, log) = await StartAsync(db);
        List(store, Kinds.Node, Node("mini01", "True", "boot-0"));
        await recorder.FlushAsync(Ct);
        var flushes = recorder.Flushes;

        for (var i = 1; i <= 100; i++) Change(store, Kinds.Node, Node("mini01", i % 2 == 0 ? "True" : "False", $"boot-{i}"));
        await recorder.FlushAsync(Ct);

        Assert.Equal(flushes + 1, recorder.Flushes);
        var entries = await log.QueryAsync(new TimelineQuery(), Ct);
        Assert.Equal(100, entries.Count(e => e.Category == TimelineCategory.Health)); // every flip, none merged away
        Assert.Equal(100, entries.Count(e => e.Category == TimelineCategory.Reboot));
        await recorder.StopAsync(Ct);
    }

    [Fact]
    public async Task Entries_older_than_the_retention_are_pruned_in_the_background_on_the_clock()
    {
        var db = await DatabaseAsync();
        var (_, recorder, log) = await StartAsync(db);
        var now = _time.GetUtcNow();
        recorder.Record(new TimelineEntry { At = now - TimeSpan.FromDays(29), Category = TimelineCategory.Action, Area = "Operations", Kind = "Action", Name = "old", Summary = "old" });
        recorder.Record(new TimelineEntry { At = now - TimeSpan.FromHours(1), Category = TimelineCategory.Action, Area = "Operations", Kind = "Action", Name = "recent", Summary = "recent" });
        await recorder.FlushAsync(Ct);
        Assert.Equal(2, (await log.QueryAsync(new TimelineQuery(), Ct)).Count);

        // Two days on, the 29-day-old entry is past the 30-day retention; the background loop's next tick removes it.
        // (Advanced an hour at a time after that, in case the loop was not yet waiting on the clock when it moved.)
        _time.Advance(TimeSpan.FromDays(2));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        IReadOnlyList<TimelineEntry> left;
        while ((left = await log.QueryAsync(new TimelineQuery(), Ct)).Count != 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
            _time.Advance(_options.PruneInterval);
        }
        Assert.Equal("recent", Assert.Single(left).Name);
        await recorder.StopAsync(Ct);
    }

    [Fact]
    public async Task After_a_restart_what_changed_while_down_comes_from_the_first_list_marked_seen_at_start() =>
        await RestartScenarioAsync(() => new OperationsDatabase(new DatabaseOptions(), new OperationsOptions { DataDirectory = _dir.Path }));

    [Fact]
    public async Task After_a_restart_on_PostgreSQL_the_same_holds()
    {
        await using var server = await PostgresServer.StartAsync();
        var connection = await server.CreateDatabaseAsync("timeline");
        await RestartScenarioAsync(() => new OperationsDatabase(new DatabaseOptions { ConnectionString = connection }, new OperationsOptions { DataDirectory = _dir.Path }));
    }

    /// <summary>
    /// Two processes in turn on one database. The timeline's tables are dropped and made again by the schema upgrade
    /// first, so the hand-written CREATE TABLE statements (for databases older than the timeline) are what is tested.
    /// </summary>
    private async Task RestartScenarioAsync(Func<OperationsDatabase> open)
    {
        var db = open();
        await db.EnsureCreatedAsync(Ct);
        await using (var ctx = db.CreateContext())
        {
            await ctx.Database.ExecuteSqlRawAsync("DROP TABLE \"timeline\"; DROP TABLE \"timeline_objects\";", Ct);
        }
        await db.EnsureCreatedAsync(Ct);
        var (store, recorder, _) = await StartAsync(db);
        List(store, Kinds.Node, Node("mini01", "True", "boot-1"), Node("mini02", "True", "boot-1"));
        List(store, Kinds.GitRepository, GitRepository($"main@sha1:{ShaA}"));
        await recorder.StopAsync(Ct); // the stop writes what it saw
        recorder.Dispose();

        // Down for an hour: mini02 rebooted and is NotReady, a new commit was applied. A new process, a new store, the same database.
        _time.Advance(TimeSpan.FromHours(1));
        var (store2, recorder2, log2) = await StartAsync(open());
        var listedAt = List(store2, Kinds.Node, Node("mini01", "True", "boot-1"), Node("mini02", "False", "boot-2"));
        List(store2, Kinds.GitRepository, GitRepository($"main@sha1:{ShaB}"));
        await recorder2.FlushAsync(Ct);

        var atStart = await log2.QueryAsync(new TimelineQuery(), Ct);
        Assert.Equal(3, atStart.Count);
        Assert.All(atStart, e => Assert.True(e.SeenAtStart, e.Summary));
        Assert.All(atStart, e => Assert.Equal(listedAt, e.At));
        var wasReady = Node("mini02", "True", "boot-1").Verdict.Health.ToString();
        var notReady = Node("mini02", "False", "boot-2").Verdict.Health.ToString();
        Assert.NotEqual(wasReady, notReady);
        Assert.Contains(atStart, e => e.Category == TimelineCategory.Health && e.Name == "mini02" && e.From == wasReady && e.To == notReady);
        Assert.Contains(atStart, e => e is { Category: TimelineCategory.Reboot, Name: "mini02" });
        Assert.Contains(atStart, e => e is { Category: TimelineCategory.Revision, Link: $"https://github.com/onedr0p/home-ops/commit/{ShaB}" });

        // Later changes are live again, and a re-list after a dropped watch is not "seen at start".
        _time.Advance(TimeSpan.FromMinutes(1));
        Change(store2, Kinds.Node, Node("mini02", "True", "boot-2"));
        List(store2, Kinds.Node, Node("mini01", "False", "boot-1"), Node("mini02", "True", "boot-2"));
        await recorder2.FlushAsync(Ct);
        var live = (await log2.QueryAsync(new TimelineQuery(), Ct)).Where(e => !e.SeenAtStart).ToList();
        Assert.Equal(["mini01", "mini02"], live.Select(e => e.Name));
        Assert.Single(await log2.QueryAsync(new TimelineQuery(Object: "mini01"), Ct));
        await recorder2.StopAsync(Ct);
    }

    [Fact]
    public async Task The_dashboards_actions_and_warning_events_reach_the_timeline()
    {
        var db = await DatabaseAsync();
        var warnings = new ManualWarnings();
        var (_, recorder, log) = await StartAsync(db, warnings);
        var audit = new EfAuditLog(db, [new TimelineAuditSink(recorder)]);
        await audit.RecordAsync(new AuditEntry { At = _time.GetUtcNow(), User = "admin", Action = "flux.suspend", Target = "Kustomization flux-system/apps", Outcome = AuditOutcome.Succeeded }, Ct);
        warnings.Raise(new WarningEvent(_time.GetUtcNow(), "Pod", "default", "podinfo-7d9", "Failed", "Error: ImagePullBackOff", "Flux"));
        await recorder.FlushAsync(Ct);

        var entries = await log.QueryAsync(new TimelineQuery(), Ct);
        Assert.Contains(entries, e => e is { Category: TimelineCategory.Action, Area: TimelineEntry.OperationsArea, Namespace: "flux-system", Name: "apps" }
            && e.Summary == "flux.suspend Succeeded by admin");
        Assert.Contains(entries, e => e is { Category: TimelineCategory.Warning, Kind: "Pod", Name: "podinfo-7d9", Summary: "Failed: Error: ImagePullBackOff" });
        await recorder.StopAsync(Ct);
        Assert.Equal(0, warnings.Subscribers); // unsubscribed at stop
    }

    [Fact]
    public async Task The_same_warning_on_every_replica_is_one_entry_about_the_deployment_with_a_count()
    {
        var db = await DatabaseAsync();
        var store = new ClusterStore(_time);
        var recorder = new TimelineRecorder(store, db, _options, _time, [new StoreWarningEventSource(store)]);
        await recorder.StartAsync(Ct);
        var log = new EfTimelineLog(db);
        var published = new List<TimelineEntry>();
        using var feed = recorder.Subscribe(published.AddRange);
        string[] pods = ["headlamp-5d8f-aaaaa", "headlamp-5d8f-bbbbb", "headlamp-5d8f-ccccc"];
        List(store, Kinds.Pod, [.. pods.Select(p => DeploymentPod(p))]);
        List(store, Kinds.Event);
        await recorder.FlushAsync(Ct);

        // Each replica reports BackOff, one flush apart; the first also reports it again (its count grows).
        for (var i = 0; i < pods.Length; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(30));
            Change(store, Kinds.Event, WarningEvent($"ev-{i}", pods[i], 1, _time.GetUtcNow()));
            await recorder.FlushAsync(Ct);
        }
        _time.Advance(TimeSpan.FromSeconds(30));
        Change(store, Kinds.Event, WarningEvent("ev-0", pods[0], 2, _time.GetUtcNow()));
        Change(store, Kinds.Event, WarningEvent("ev-other", pods[1], 1, _time.GetUtcNow(), reason: "Failed"));
        await recorder.FlushAsync(Ct);

        var entries = await log.QueryAsync(new TimelineQuery(Category: TimelineCategory.Warning), Ct);
        Assert.Equal(2, entries.Count);
        var backOff = Assert.Single(entries, e => e.To == "BackOff");
        Assert.Equal(("Deployment", "headlamp", "headlamp", 4), (backOff.Kind, backOff.Namespace, backOff.Name, backOff.Count));
        var failed = Assert.Single(entries, e => e.To == "Failed");
        Assert.Equal(("Pod", pods[1], (int?)null), (failed.Kind, failed.Name, failed.Count));
        // Live views got the merged entry again under its id (to replace it), never a second row.
        Assert.Equal(2, published.Select(e => e.Id).Distinct().Count());
        Assert.Equal(4, published.Last(e => e.Id == backOff.Id).Count);

        // After the merge window the same warning is a new entry.
        _time.Advance(TimelineRecorder.MergeWindow + TimeSpan.FromMinutes(1));
        Change(store, Kinds.Event, WarningEvent("ev-0", pods[0], 3, _time.GetUtcNow()));
        await recorder.FlushAsync(Ct);
        Assert.Equal(2, (await log.QueryAsync(new TimelineQuery(Category: TimelineCategory.Warning), Ct)).Count(e => e.To == "BackOff"));
        await recorder.StopAsync(Ct);
    }

    [Fact]
    public async Task Replicas_going_red_together_are_one_health_entry_and_other_objects_are_not_merged()
    {
        var db = await DatabaseAsync();
        var (store, recorder, log) = await StartAsync(db);
        string[] pods = ["headlamp-5d8f-aaaaa", "headlamp-5d8f-bbbbb"];
        List(store, Kinds.Pod, [.. pods.Select(p => DeploymentPod(p))]);
        List(store, Kinds.Node, Node("mini01", "True", "boot-1"), Node("mini02", "True", "boot-2"));
        await recorder.FlushAsync(Ct);

        _time.Advance(TimeSpan.FromSeconds(10));
        Change(store, Kinds.Pod, DeploymentPod(pods[0], "ImagePullBackOff"));
        Change(store, Kinds.Node, Node("mini01", "False", "boot-1"));
        await recorder.FlushAsync(Ct);
        _time.Advance(TimeSpan.FromSeconds(10));
        Change(store, Kinds.Pod, DeploymentPod(pods[1], "ImagePullBackOff"));
        Change(store, Kinds.Node, Node("mini02", "False", "boot-2"));
        await recorder.FlushAsync(Ct);

        var health = await log.QueryAsync(new TimelineQuery(Category: TimelineCategory.Health), Ct);
        var pod = Assert.Single(health, e => e.Namespace == "headlamp");
        Assert.Equal(("Deployment", "headlamp", 2, "Failed"), (pod.Kind, pod.Name, pod.Count, pod.To));
        Assert.Equal(["mini01", "mini02"], health.Where(e => e.Kind == "Node").Select(e => e.Name).Order());
        Assert.All(health.Where(e => e.Kind == "Node"), e => Assert.Null(e.Count));
        await recorder.StopAsync(Ct);
    }

    [Theory]
    [InlineData("ssh://git@github.com/onedr0p/home-ops.git", "main@sha1:abcdef1234567", "https://github.com/onedr0p/home-ops/commit/abcdef1234567")]
    [InlineData("https://github.com/onedr0p/home-ops", "sha1:ABCDEF1234567", "https://github.com/onedr0p/home-ops/commit/abcdef1234567")]
    [InlineData("git@gitlab.com:group/sub/repo.git", "main/abcdef1234567", "https://gitlab.com/group/sub/repo/-/commit/abcdef1234567")]
    [InlineData("https://codeberg.org/me/repo.git", "main@sha1:abcdef1234567", "https://codeberg.org/me/repo/commit/abcdef1234567")]
    [InlineData("https://github.com/onedr0p/home-ops", "6.5.0", null)]
    [InlineData("oci://ghcr.io/x/y", "main@sha1:abcdef1234567", null)]
    [InlineData("https://github.com/a/<script>", "main@sha1:abcdef1234567", null)]
    public void Commit_links_follow_the_git_host(string url, string revision, string? expected) =>
        Assert.Equal(expected, CommitLinks.CommitUrl(url, revision));

    public void Dispose() => _dir.Dispose();

    private sealed class ManualWarnings : IWarningEventSource
    {
        private readonly List<Action<WarningEvent>> _handlers = [];
        public int Subscribers => _handlers.Count;

        public IDisposable Subscribe(Action<WarningEvent> onWarning)
        {
            _handlers.Add(onWarning);
            return new Remove(() => _handlers.Remove(onWarning));
        }

        public void Raise(WarningEvent e)
        {
            foreach (var h in _handlers.ToList()) h(e);
        }

        private sealed class Remove(Action a) : IDisposable
        {
            public void Dispose() => a();
        }
    }
}
