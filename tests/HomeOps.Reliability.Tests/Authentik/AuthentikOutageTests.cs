using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using HomeOps.Reliability.Tests.Support;
using HomeOps.Simulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HomeOps.Reliability.Tests.Authentik;

/// <summary>
/// Authentik slow or gone, with the poller's HTTP client wired exactly as the dashboard wires it (typed HttpClient,
/// standard resilience — with shorter timeouts so the test is quick): the last data stays, marked stale since the first
/// failure, and comes back live when Authentik does.
/// Deterministic: the test drives every poll itself with <see cref="AuthentikPoller.PollOnceAsync"/> (no timer runs),
/// and the poller's clock is a <see cref="FakeTimeProvider"/> that only the test moves, so every timestamp it asserts
/// is known exactly and taken before the fault is injected. Only the HTTP timeouts run on real time (they time real
/// I/O), and the test waits for the poll that they end, never for a wall-clock moment.
/// </summary>
public sealed class AuthentikOutageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private sealed class Rig(ServiceProvider services, AuthentikPoller poller, FakeTimeProvider clock) : IAsyncDisposable
    {
        public AuthentikPoller Poller { get; } = poller;
        public FakeTimeProvider Clock { get; } = clock;
        public ClusterStore Store { get; } = services.GetRequiredService<ClusterStore>();

        public Freshness Freshness(KindInfo kind) => Store.Value.Slice(kind).Freshness;

        /// <summary>
        /// Polls until the first success (at most 5 tries): a cold simulator and HTTP stack on a busy machine can miss
        /// the scaled-down attempt timeout once. The clock does not move, so the sync is at <see cref="T0"/> either way.
        /// Returns the failure count after it, the baseline for the rest of the test.
        /// </summary>
        public async Task<int> FirstSyncAsync(KindInfo kind, CancellationToken ct)
        {
            for (var i = 0; i < 5 && !await Poller.PollOnceAsync(ct); i++) { }
            Assert.True(Freshness(kind).State == FeedState.Live, $"first sync: {Freshness(kind).LastError}");
            Assert.Equal(T0, Freshness(kind).LastSyncAt);
            return Poller.Failures;
        }

        public ValueTask DisposeAsync() => services.DisposeAsync();
    }

    private static Rig Create(Uri authentik, string token)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddClusterSources(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Cluster:Mode"] = "Kubeconfig",
                ["Authentik:BaseUrl"] = authentik.ToString(),
                ["Authentik:Token"] = token,
            }).Build())
            // The production pipeline (attempt timeout, retries, total timeout), scaled down from 10 s / 25 s.
            .PostConfigure<HttpStandardResilienceOptions>($"{nameof(AuthentikClient)}-standard", o =>
            {
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(1);
                o.Retry.MaxRetryAttempts = 1;
                o.Retry.Delay = TimeSpan.FromMilliseconds(50);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(2);
            })
            .BuildServiceProvider();
        var clock = new FakeTimeProvider(T0);
        // The dashboard's constructor with the test's clock; never started, so no timer polls behind the test's back.
        var poller = new AuthentikPoller(
            services.GetRequiredService<IHttpClientFactory>(),
            services.GetRequiredService<IOptions<AuthentikOptions>>(),
            services.GetRequiredService<ClusterStore>(),
            clock,
            services.GetRequiredService<ILogger<AuthentikPoller>>());
        return new Rig(services, poller, clock);
    }

    [Fact]
    public async Task A_slow_Authentik_times_out_keeps_the_last_data_stale_since_the_first_failure_and_recovers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Scenarios = { Enabled = false } }, cancellationToken: ct);
        await using var proxy = await SlowProxy.StartAsync(sim.AuthentikBaseUri);
        await using var rig = Create(proxy.BaseUri, sim.AuthentikToken);
        Freshness Outposts() => rig.Freshness(Kinds.AuthentikOutpost);

        var failures = await rig.FirstSyncAsync(Kinds.AuthentikOutpost, ct);
        var outposts = rig.Store.Value.Items(Kinds.AuthentikOutpost).Select(o => o.Meta.Uid).Order().ToList();
        Assert.NotEmpty(outposts);

        rig.Clock.Advance(TimeSpan.FromSeconds(10));
        var slowFrom = rig.Clock.GetUtcNow(); // taken before the fault
        proxy.Delay = TimeSpan.FromSeconds(10); // far beyond the 2 s total timeout
        Assert.False(await rig.Poller.PollOnceAsync(ct), "the slow poll fails");
        var stale = Outposts();
        Assert.Equal(FeedState.Reconnecting, stale.State);
        Assert.Equal("Authentik API timed out", stale.LastError);
        Assert.Equal(slowFrom, stale.Since);
        Assert.Equal(T0, stale.LastSyncAt); // the last good poll
        Assert.Equal("stale: API unreachable since 2 min", stale.Describe(slowFrom.AddMinutes(2)));
        Assert.Equal(outposts, rig.Store.Value.Items(Kinds.AuthentikOutpost).Select(o => o.Meta.Uid).Order()); // kept

        // More failed polls, later: still stale, still since the first failure.
        for (var i = 0; i < 2; i++)
        {
            rig.Clock.Advance(TimeSpan.FromSeconds(10));
            Assert.False(await rig.Poller.PollOnceAsync(ct), $"failed poll {i + 2}");
        }
        Assert.Equal(failures + 3, rig.Poller.Failures);
        Assert.Equal(slowFrom, Outposts().Since);
        Assert.Equal(T0, Outposts().LastSyncAt);
        Assert.Equal(FeedState.Reconnecting, Outposts().State);

        proxy.Delay = TimeSpan.Zero;
        rig.Clock.Advance(TimeSpan.FromSeconds(10));
        var backAt = rig.Clock.GetUtcNow();
        Assert.True(await rig.Poller.PollOnceAsync(ct), "live again");
        Assert.Equal(FeedState.Live, Outposts().State);
        Assert.Equal(backAt, Outposts().LastSyncAt);
        Assert.Equal(backAt, Outposts().Since);
        Assert.Null(Outposts().LastError);
    }

    [Fact]
    public async Task With_the_simulator_stopped_every_poll_fails_fast_and_the_data_stays_stale_since_the_first_failure()
    {
        var ct = TestContext.Current.CancellationToken;
        var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Scenarios = { Enabled = false } }, cancellationToken: ct);
        await using var rig = Create(sim.AuthentikBaseUri, sim.AuthentikToken);
        Freshness Tokens() => rig.Freshness(Kinds.AuthentikToken);

        var failures = await rig.FirstSyncAsync(Kinds.AuthentikToken, ct);
        var tokens = rig.Store.Value.Items(Kinds.AuthentikToken).Count();

        rig.Clock.Advance(TimeSpan.FromSeconds(10));
        var stoppedAt = rig.Clock.GetUtcNow(); // taken before the fault
        await sim.DisposeAsync();
        Assert.False(await rig.Poller.PollOnceAsync(ct), "the poll after the stop fails");
        Assert.Equal(FeedState.Reconnecting, Tokens().State);
        Assert.StartsWith("Authentik API unreachable", Tokens().LastError);
        Assert.Equal(stoppedAt, Tokens().Since);

        for (var i = 0; i < 3; i++)
        {
            rig.Clock.Advance(TimeSpan.FromSeconds(10));
            Assert.False(await rig.Poller.PollOnceAsync(ct), $"failed poll {i + 2}");
        }
        Assert.Equal(failures + 4, rig.Poller.Failures);
        Assert.Equal(stoppedAt, Tokens().Since);
        Assert.Equal(T0, Tokens().LastSyncAt);
        Assert.Equal(tokens, rig.Store.Value.Items(Kinds.AuthentikToken).Count());
        Assert.Equal(Tokens().State, rig.Freshness(Kinds.AuthentikOutpost).State);
        Assert.Equal("stale: API unreachable since 3 min", Tokens().Describe(stoppedAt.AddMinutes(3)));
    }
}
