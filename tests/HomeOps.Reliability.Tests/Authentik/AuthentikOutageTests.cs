using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using HomeOps.Cluster.Tests.State;
using HomeOps.Reliability.Tests.Support;
using HomeOps.Simulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace HomeOps.Reliability.Tests.Authentik;

/// <summary>
/// Authentik slow or gone, with the poller wired exactly as the dashboard wires it (typed HttpClient, standard
/// resilience — with shorter timeouts so the test is quick): the last data stays, marked stale since the first failure,
/// and comes back live when Authentik does.
/// </summary>
public sealed class AuthentikOutageTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private static ServiceProvider Services(Uri authentik, string token) =>
        new ServiceCollection()
            .AddLogging()
            .AddClusterSources(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Cluster:Mode"] = "Kubeconfig",
                ["Authentik:BaseUrl"] = authentik.ToString(),
                ["Authentik:Token"] = token,
                ["Authentik:PollInterval"] = Interval.ToString(),
            }).Build())
            // The production pipeline (attempt timeout, retries, total timeout), scaled down from 10 s / 25 s.
            .PostConfigure<HttpStandardResilienceOptions>($"{nameof(AuthentikClient)}-standard", o =>
            {
                o.AttemptTimeout.Timeout = TimeSpan.FromMilliseconds(300);
                o.Retry.MaxRetryAttempts = 1;
                o.Retry.Delay = TimeSpan.FromMilliseconds(50);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(1);
            })
            .BuildServiceProvider();

    [Fact]
    public async Task A_slow_Authentik_times_out_keeps_the_last_data_stale_since_the_first_failure_and_recovers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Scenarios = { Enabled = false } }, cancellationToken: ct);
        await using var proxy = await SlowProxy.StartAsync(sim.AuthentikBaseUri);
        await using var services = Services(proxy.BaseUri, sim.AuthentikToken);
        var poller = services.GetRequiredService<AuthentikPoller>();
        var store = services.GetRequiredService<ClusterStore>();
        Freshness Outposts() => store.Value.Slice(Kinds.AuthentikOutpost).Freshness;
        await poller.StartAsync(ct);
        try
        {
            await Wait.UntilAsync(() => Outposts().State == FeedState.Live, "first poll");
            var outposts = store.Value.Items(Kinds.AuthentikOutpost).Select(o => o.Meta.Uid).Order().ToList();
            Assert.NotEmpty(outposts);

            proxy.Delay = TimeSpan.FromSeconds(5); // far beyond the 1 s total timeout
            var slowFrom = DateTimeOffset.UtcNow;
            await Wait.UntilAsync(() => Outposts().State == FeedState.Reconnecting, "the slow poll fails", TimeSpan.FromSeconds(5),
                () => $"{Outposts()}");
            var stale = Outposts();
            var lastSync = stale.LastSyncAt;
            Assert.Equal("Authentik API timed out", stale.LastError);
            Assert.True(stale.Since >= slowFrom.AddMilliseconds(-50), $"stale since {stale.Since:O}, slow from {slowFrom:O}");
            Assert.True(lastSync < slowFrom, "LastSyncAt is the last good poll");
            Assert.StartsWith("stale: API unreachable since", stale.Describe(DateTimeOffset.UtcNow));
            Assert.Equal(outposts, store.Value.Items(Kinds.AuthentikOutpost).Select(o => o.Meta.Uid).Order()); // kept

            // More failed polls: still stale, still since the first failure.
            var failures = poller.Failures;
            await Wait.UntilAsync(() => poller.Failures >= failures + 2, "two more failed polls", TimeSpan.FromSeconds(10));
            Assert.Equal(stale.Since, Outposts().Since);
            Assert.Equal(lastSync, Outposts().LastSyncAt);
            Assert.Equal(FeedState.Reconnecting, Outposts().State);

            proxy.Delay = TimeSpan.Zero;
            await Wait.UntilAsync(() => Outposts().State == FeedState.Live, "live again", TimeSpan.FromSeconds(10));
            Assert.True(Outposts().LastSyncAt > lastSync);
            Assert.Null(Outposts().LastError);
        }
        finally
        {
            await poller.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task With_the_simulator_stopped_every_poll_fails_fast_and_the_data_stays_stale_since_the_first_failure()
    {
        var ct = TestContext.Current.CancellationToken;
        var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Scenarios = { Enabled = false } }, cancellationToken: ct);
        await using var services = Services(sim.AuthentikBaseUri, sim.AuthentikToken);
        var poller = services.GetRequiredService<AuthentikPoller>();
        var store = services.GetRequiredService<ClusterStore>();
        Freshness Tokens() => store.Value.Slice(Kinds.AuthentikToken).Freshness;
        await poller.StartAsync(ct);
        try
        {
            await Wait.UntilAsync(() => Tokens().State == FeedState.Live, "first poll");
            var tokens = store.Value.Items(Kinds.AuthentikToken).Count();
            var lastSync = Tokens().LastSyncAt;

            await sim.DisposeAsync();
            var stoppedAt = DateTimeOffset.UtcNow;
            await Wait.UntilAsync(() => Tokens().State == FeedState.Reconnecting, "the poll after the stop fails");
            var since = Tokens().Since;
            Assert.StartsWith("Authentik API unreachable", Tokens().LastError);
            Assert.True(since >= stoppedAt.AddMilliseconds(-50));

            var failures = poller.Failures;
            await Wait.UntilAsync(() => poller.Failures >= failures + 3, "three more failed polls");
            Assert.Equal(since, Tokens().Since);
            Assert.Equal(lastSync, Tokens().LastSyncAt);
            Assert.Equal(tokens, store.Value.Items(Kinds.AuthentikToken).Count());
            Assert.Equal(Tokens().State, store.Value.Slice(Kinds.AuthentikOutpost).Freshness.State);
            var shown = Tokens().Describe(since.AddMinutes(3));
            Assert.Equal("stale: API unreachable since 3 min", shown);
        }
        finally
        {
            await poller.StopAsync(CancellationToken.None);
        }
    }
}
