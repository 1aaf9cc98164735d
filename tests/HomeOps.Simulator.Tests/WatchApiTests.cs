using HomeOps.Cluster.Model;
using HomeOps.Simulator.Tests.Support;

namespace HomeOps.Simulator.Tests;

/// <summary>Watch streams over raw HTTP: chunked, one event at a time, resumable, expiring, bookmarked, filtered.</summary>
public sealed class WatchApiTests : IAsyncLifetime
{
    private const string Kustomizations = "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations";
    private SimulatorHost _host = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await SimulatorTestHost.StartAsync(o => o.BookmarkInterval = TimeSpan.FromMilliseconds(200));
        _http = _host.KubernetesClient(Timeout.InfiniteTimeSpan);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<string> CurrentVersion(string url) => (await _http.GetObjectAsync(url)).Str("metadata", "resourceVersion")!;

    private Task Label(string node, string value) =>
        _http.PatchAsync($"/api/v1/nodes/{node}", HttpJson.LabelPatch("step", value));

    [Fact]
    public async Task Events_stream_chunked_one_at_a_time()
    {
        var rv = await CurrentVersion("/api/v1/nodes");
        await using var watch = await WatchStream.OpenAsync(_http, $"/api/v1/nodes?watch=true&resourceVersion={rv}");

        Assert.Equal(200, (int)watch.Response.StatusCode);
        Assert.True(watch.Response.Headers.TransferEncodingChunked);
        Assert.Equal("application/json", watch.Response.Content.Headers.ContentType?.MediaType);

        // Each change is received before the next one is made: the server flushes every event on its own.
        for (var i = 1; i <= 3; i++)
        {
            await Label("mini01", $"s{i}");
            var line = await watch.NextAsync();
            Assert.NotNull(line);
            Assert.Equal("MODIFIED", line.Type);
            Assert.Equal("mini01", line.Name);
            Assert.Equal($"s{i}", line.Object["metadata"]!["labels"]!["step"]!.GetValue<string>());
            Assert.EndsWith("}", line.Raw);
        }
    }

    [Fact]
    public async Task A_watch_replays_what_happened_after_its_resource_version()
    {
        var rv = await CurrentVersion("/api/v1/nodes");
        await Label("mini02", "a");
        await Label("mini03", "b");

        await using var watch = await WatchStream.OpenAsync(_http, $"/api/v1/nodes?watch=1&resourceVersion={rv}");
        var first = await watch.NextAsync();
        var second = await watch.NextAsync();

        Assert.Equal(("MODIFIED", "mini02"), (first!.Type, first.Name));
        Assert.Equal(("MODIFIED", "mini03"), (second!.Type, second.Name));
        Assert.True(long.Parse(second.ResourceVersion!) > long.Parse(first.ResourceVersion!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("&resourceVersion=0")]
    public async Task A_watch_without_a_version_starts_with_the_current_objects_as_added(string version)
    {
        await using var watch = await WatchStream.OpenAsync(_http, $"/api/v1/nodes?watch=true{version}");
        var names = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var line = await watch.NextAsync();
            Assert.Equal("ADDED", line!.Type);
            names.Add(line.Name);
        }
        await Label("mini01", "later");
        var change = await watch.NextAsync();

        Assert.Equal(["mini01", "mini02", "mini03"], names.Order());
        Assert.Equal(("MODIFIED", "mini01"), (change!.Type, change.Name));
    }

    [Fact]
    public async Task A_watch_from_an_expired_version_gets_one_410_error_event_and_ends()
    {
        var rv = await CurrentVersion(Kustomizations);
        _host.Faults.ExpireHistory();

        await using var watch = await WatchStream.OpenAsync(_http, $"{Kustomizations}?watch=true&resourceVersion={rv}");
        var error = await watch.NextAsync();
        var end = await watch.NextAsync();

        Assert.Equal(200, (int)watch.Response.StatusCode);
        Assert.Equal("ERROR", error!.Type);
        Assert.Equal("Status", error.Object.Str("kind"));
        Assert.Equal("Expired", error.Object.Str("reason"));
        Assert.Equal(410, error.Object["code"]!.GetValue<int>());
        Assert.StartsWith($"too old resource version: {rv} (", error.Object.Str("message"));
        Assert.Null(end);
    }

    [Fact]
    public async Task History_is_bounded_and_older_versions_expire()
    {
        await using var host = await SimulatorTestHost.StartAsync(o => o.HistoryCapacity = 5);
        using var http = host.KubernetesClient();
        var rv = (await http.GetObjectAsync("/api/v1/nodes")).Str("metadata", "resourceVersion");
        for (var i = 0; i < 6; i++) await http.PatchAsync("/api/v1/nodes/mini01", HttpJson.LabelPatch("n", $"v{i}"));

        await using var watch = await WatchStream.OpenAsync(http, $"/api/v1/nodes?watch=true&resourceVersion={rv}");
        var error = await watch.NextAsync();

        Assert.Equal("ERROR", error!.Type);
        Assert.Equal(410, error.Object["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Bookmarks_arrive_with_the_current_version_when_asked_for()
    {
        var rv = await CurrentVersion(Kustomizations);
        await using var watch = await WatchStream.OpenAsync(_http, $"{Kustomizations}?watch=true&allowWatchBookmarks=true&resourceVersion={rv}");

        var bookmark = await watch.NextAsync();

        Assert.Equal("BOOKMARK", bookmark!.Type);
        Assert.Equal("Kustomization", bookmark.Object.Str("kind"));
        Assert.Equal("kustomize.toolkit.fluxcd.io/v1", bookmark.Object.Str("apiVersion"));
        Assert.Equal(_host.Cluster.ResourceVersion.ToString(), bookmark.ResourceVersion);
        Assert.Null(bookmark.Object["spec"]);
    }

    [Fact]
    public async Task No_bookmarks_unless_asked_for()
    {
        var rv = await CurrentVersion("/api/v1/nodes");
        await using var watch = await WatchStream.OpenAsync(_http, $"/api/v1/nodes?watch=true&resourceVersion={rv}&timeoutSeconds=1");

        // The stream stays silent until the server's timeout ends it.
        var line = await watch.NextAsync(TimeSpan.FromSeconds(10));

        Assert.Null(line);
    }

    [Fact]
    public async Task TimeoutSeconds_ends_the_stream()
    {
        var started = DateTime.UtcNow;
        await using var watch = await WatchStream.OpenAsync(_http, "/api/v1/nodes?watch=true&resourceVersion=1&timeoutSeconds=1&allowWatchBookmarks=true");
        await watch.Ended.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(9));
    }

    [Fact]
    public async Task Label_selectors_filter_watches_and_objects_moving_across_the_selector_are_added_or_deleted()
    {
        var rv = await CurrentVersion("/api/v1/nodes");
        await using var watch = await WatchStream.OpenAsync(_http,
            $"/api/v1/nodes?watch=true&resourceVersion={rv}&labelSelector={Uri.EscapeDataString("tier=edge")}");

        await Label("mini01", "ignored");
        await _http.PatchAsync("/api/v1/nodes/mini02", """{"metadata":{"labels":{"tier":"edge"}}}""");
        var entered = await watch.NextAsync();
        await _http.PatchAsync("/api/v1/nodes/mini02", """{"metadata":{"labels":{"tier":"core"}}}""");
        var left = await watch.NextAsync();

        Assert.Equal(("ADDED", "mini02"), (entered!.Type, entered.Name));
        Assert.Equal(("DELETED", "mini02"), (left!.Type, left.Name));
    }

    [Fact]
    public async Task Namespaced_watch_sees_only_its_namespace()
    {
        var rv = await CurrentVersion("/apis/helm.toolkit.fluxcd.io/v2/helmreleases");
        await using var watch = await WatchStream.OpenAsync(_http, $"/apis/helm.toolkit.fluxcd.io/v2/namespaces/authentik/helmreleases?watch=true&resourceVersion={rv}");

        _host.Cluster.Update(Kinds.HelmRelease, "longhorn-system", "longhorn", o => o["metadata"]!["labels"] = new System.Text.Json.Nodes.JsonObject { ["x"] = "1" });
        _host.Cluster.Update(Kinds.HelmRelease, "authentik", "authentik", o => o["metadata"]!["labels"] = new System.Text.Json.Nodes.JsonObject { ["x"] = "2" });
        var line = await watch.NextAsync();

        Assert.Equal(("MODIFIED", "authentik"), (line!.Type, line.Name));
        Assert.Equal("authentik", line.Object.Str("metadata", "namespace"));
    }

    [Fact]
    public async Task Dropping_watches_ends_every_stream_and_counts_them()
    {
        var rv = await CurrentVersion("/api/v1/nodes");
        await using var nodes = await WatchStream.OpenAsync(_http, $"/api/v1/nodes?watch=true&resourceVersion={rv}");
        await using var flux = await WatchStream.OpenAsync(_http, $"{Kustomizations}?watch=true&resourceVersion={rv}");
        await Eventually.Until(() => _host.Faults.OpenWatches, n => n == 2, "two open watches");
        Assert.True(_host.Faults.Counters.WatchRequestsFor(Kinds.Node) >= 1);
        Assert.Equal(2, _host.Faults.DropAllWatches());
        Assert.Null(await nodes.NextAsync());
        Assert.Null(await flux.NextAsync());
        Assert.Equal(0, _host.Faults.OpenWatches);
    }

    [Fact]
    public async Task A_restart_resets_watches_and_without_a_reset_the_client_resumes_from_its_version()
    {
        var rv = await CurrentVersion("/api/v1/nodes");
        await using var watch = await WatchStream.OpenAsync(_http, $"/api/v1/nodes?watch=true&resourceVersion={rv}");
        await Label("mini01", "before");
        var seen = await watch.NextAsync();

        await _host.RestartAsync(resetResourceVersions: false);
        await watch.Ended.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await Label("mini01", "after");
        await using var resumed = await WatchStream.OpenAsync(_http, $"/api/v1/nodes?watch=true&resourceVersion={seen!.ResourceVersion}");
        var next = await resumed.NextAsync();

        Assert.Equal("after", next!.Object["metadata"]!["labels"]!["step"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_restart_with_reset_versions_makes_held_versions_expire()
    {
        var rv = await CurrentVersion("/api/v1/nodes");
        await _host.RestartAsync(resetResourceVersions: true);

        await using var watch = await WatchStream.OpenAsync(_http, $"/api/v1/nodes?watch=true&resourceVersion={rv}");
        var error = await watch.NextAsync();

        Assert.Equal("ERROR", error!.Type);
        Assert.Equal(410, error.Object["code"]!.GetValue<int>());
    }
}
