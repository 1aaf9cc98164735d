using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using HomeOps.Cluster.Tests.State;
using HomeOps.Simulator;
using HomeOps.Simulator.Authentik;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>The Authentik poller, wired as the dashboard wires it (typed HttpClient + standard resilience), against the simulator's Authentik API.</summary>
public sealed class AuthentikPollerTests
{
    private sealed class Rig : IAsyncDisposable
    {
        public required SimulatorHost Simulator { get; init; }
        public required ServiceProvider Services { get; init; }
        public required TestLoggerProvider Logs { get; init; }
        public AuthentikPoller Poller => Services.GetRequiredService<AuthentikPoller>();
        public ClusterStore Store => Services.GetRequiredService<ClusterStore>();
        public Freshness Outposts => Store.Value.Slice(Kinds.AuthentikOutpost).Freshness;
        public Freshness Tokens => Store.Value.Slice(Kinds.AuthentikToken).Freshness;

        public static async Task<Rig> StartAsync(string? token = null, string? baseUrl = null, TimeSpan? pollInterval = null)
        {
            var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Scenarios = { Enabled = false } },
                cancellationToken: TestContext.Current.CancellationToken);
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Cluster:Mode"] = "Simulator",
                ["Cluster:Kubeconfig"] = simulator.KubeconfigPath,
                ["Authentik:BaseUrl"] = baseUrl ?? simulator.AuthentikBaseUri.ToString(),
                ["Authentik:Token"] = token ?? simulator.AuthentikToken,
                ["Authentik:PollInterval"] = (pollInterval ?? TimeSpan.FromSeconds(10)).ToString(),
            }).Build();
            var logs = new TestLoggerProvider();
            var services = new ServiceCollection()
                .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
                .AddClusterSources(config)
                .BuildServiceProvider();
            return new Rig { Simulator = simulator, Services = services, Logs = logs };
        }

        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            await Simulator.DisposeAsync();
        }
    }

    [Fact]
    public async Task Outposts_and_tokens_land_in_the_store_and_the_feed_is_live()
    {
        await using var rig = await Rig.StartAsync();

        Assert.True(await rig.Poller.PollOnceAsync(TestContext.Current.CancellationToken));

        var outposts = rig.Store.Value.Items(Kinds.AuthentikOutpost).ToList();
        Assert.Equal(rig.Simulator.Authentik.OutpostIds.Order(), outposts.Select(o => o.Meta.Uid).Order());
        Assert.All(outposts, o => Assert.IsType<AuthentikOutpostDetails>(o.Details));
        Assert.Contains(outposts, o => o.Details is AuthentikOutpostDetails { Embedded: true });
        var tokens = rig.Store.Value.Items(Kinds.AuthentikToken).ToList();
        Assert.Contains(tokens, t => t.Meta.Name == AuthentikState.DashboardTokenIdentifier);

        foreach (var f in new[] { rig.Outposts, rig.Tokens })
        {
            Assert.Equal(FeedState.Live, f.State);
            Assert.True(f.Polled);
            Assert.True(f.Synced);
            Assert.NotNull(f.LastSyncAt);
            Assert.StartsWith("updated", f.Describe(DateTimeOffset.UtcNow));
        }
    }

    [Fact]
    public async Task A_rejected_token_is_reported_and_never_shown()
    {
        const string badToken = "ak-wrong-token-7c1e55d0";
        await using var rig = await Rig.StartAsync(token: badToken);

        Assert.False(await rig.Poller.PollOnceAsync(TestContext.Current.CancellationToken));

        // Never synced: an error, not stale data.
        Assert.Equal(FeedState.Error, rig.Outposts.State);
        Assert.Equal(AuthentikPoller.TokenRejected, rig.Outposts.LastError);
        Assert.Equal(AuthentikPoller.TokenRejected, rig.Tokens.LastError);
        Assert.StartsWith("token rejected (401)", rig.Outposts.LastError);
        Assert.Empty(rig.Store.Value.Items(Kinds.AuthentikOutpost));
        Assert.NotEmpty(rig.Logs.Lines);
        Assert.DoesNotContain(rig.Logs.Lines, l => l.Contains(badToken));
        Assert.DoesNotContain(rig.Logs.Lines, l => l.Contains(rig.Simulator.AuthentikToken));
        Assert.DoesNotContain(badToken, rig.Outposts.Describe(DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task A_failing_API_after_success_keeps_the_data_marked_stale_since_the_first_failure()
    {
        await using var rig = await Rig.StartAsync();
        Assert.True(await rig.Poller.PollOnceAsync(TestContext.Current.CancellationToken));
        var outposts = rig.Store.Value.Items(Kinds.AuthentikOutpost).Count();
        var lastSync = rig.Outposts.LastSyncAt;

        await rig.Simulator.DisposeAsync(); // Authentik goes away
        var failedAt = DateTimeOffset.UtcNow;
        Assert.False(await rig.Poller.PollOnceAsync(TestContext.Current.CancellationToken));

        var stale = rig.Outposts;
        Assert.Equal(FeedState.Reconnecting, stale.State);
        Assert.StartsWith("Authentik API unreachable", stale.LastError);
        Assert.Equal(lastSync, stale.LastSyncAt);
        Assert.True(stale.Since >= failedAt.AddSeconds(-1));
        Assert.StartsWith("stale", stale.Describe(DateTimeOffset.UtcNow));
        Assert.Equal(outposts, rig.Store.Value.Items(Kinds.AuthentikOutpost).Count()); // last data kept

        // A second failure does not move "since".
        Assert.False(await rig.Poller.PollOnceAsync(TestContext.Current.CancellationToken));
        Assert.Equal(stale.Since, rig.Outposts.Since);
        Assert.Equal(2, rig.Poller.Failures);
    }

    [Fact]
    public async Task Without_a_base_url_Authentik_is_not_installed()
    {
        await using var rig = await Rig.StartAsync(baseUrl: "");
        await rig.Poller.StartAsync(TestContext.Current.CancellationToken);

        await Wait.UntilAsync(() => rig.Outposts.State == FeedState.NotInstalled && rig.Tokens.State == FeedState.NotInstalled, "not installed");
        Assert.Equal("Authentik API not configured", rig.Outposts.LastError);
        Assert.Equal(0, rig.Poller.Polls);
        await rig.Poller.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_hosted_poller_follows_changes_on_its_interval()
    {
        await using var rig = await Rig.StartAsync(pollInterval: TimeSpan.FromMilliseconds(200));
        await rig.Poller.StartAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => rig.Outposts.State == FeedState.Live, "first poll");

        Assert.NotEqual("NoInstanceReporting", Outpost(rig, AuthentikState.ExternalOutpostId).Verdict.Reason);
        rig.Simulator.Authentik.SetSilent(AuthentikState.ExternalOutpostId, true);

        await Wait.UntilAsync(() => Outpost(rig, AuthentikState.ExternalOutpostId).Verdict.Reason == "NoInstanceReporting",
            "the silent outpost shows as failed", diagnostics: () => Outpost(rig, AuthentikState.ExternalOutpostId).Verdict.ToString());
        Assert.Equal(HealthStatus.Failed, Outpost(rig, AuthentikState.ExternalOutpostId).Verdict.Health);
        Assert.True(rig.Poller.Polls >= 2);
        await rig.Poller.StopAsync(TestContext.Current.CancellationToken);
    }

    private static ResourceSnapshot Outpost(Rig rig, string pk) =>
        rig.Store.Value.Items(Kinds.AuthentikOutpost).Single(o => o.Meta.Uid == pk);
}
