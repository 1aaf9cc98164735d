using System.Collections.Immutable;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// Runs exactly one feed per kind for the whole process, whatever the number of viewers: the cache is the only reader
/// of the API. API discovery decides first: a kind is read at the version the API serves it at (BGPv2 kinds at
/// cilium.io/v2 or v2alpha1), a kind the API does not serve gets no feed at all and shows "not installed" (no
/// error loop), and discovery is asked again every <see cref="ClusterOptions.DiscoveryInterval"/> — sooner when a feed
/// meets a 404 — so installing a CRD or upgrading Cilium is picked up without a restart. Watchable kinds get a
/// <see cref="KindInformer"/>, the metrics API a <see cref="NodeMetricsPoller"/>. Exposes per-kind status and readiness.
/// </summary>
public sealed class InformerHost : BackgroundService
{
    private readonly IKubernetes? _client;
    private readonly IDispatcher _dispatcher;
    private readonly IState<ClusterState> _state;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<KindInfo> _kinds;
    private readonly ApiDiscovery? _discovery;
    private readonly SemaphoreSlim _rediscover = new(0, 1);

    // Replaced as a whole by the discovery loop (the only writer); read from any thread.
    private volatile ImmutableDictionary<string, RunningFeed> _running = ImmutableDictionary<string, RunningFeed>.Empty;
    private volatile ImmutableDictionary<string, KindAvailability> _availability = ImmutableDictionary<string, KindAvailability>.Empty;
    private int _rounds;
    private CancellationToken _stopping;

    private sealed record RunningFeed(IKindFeed Feed, CancellationTokenSource Stop, Task Task);

    public InformerHost(KubernetesClientFactory factory, ClusterStore store, IOptions<ClusterOptions> options,
        TimeProvider time, ILoggerFactory loggers)
        : this(TryCreate(factory, loggers, out var error), store, store, options.Value, time, loggers, Kinds.Kubernetes)
    {
        StartupError = error;
    }

    /// <summary>For tests and tools: a given client and kinds.</summary>
    internal InformerHost(IKubernetes? client, IDispatcher dispatcher, IState<ClusterState> state, ClusterOptions options,
        TimeProvider time, ILoggerFactory loggers, IEnumerable<KindInfo> kinds)
    {
        _client = client;
        _dispatcher = dispatcher;
        _state = state;
        _options = options;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<InformerHost>();
        _kinds = [.. kinds];
        _discovery = client is null ? null : new ApiDiscovery(client, _logger);
    }

    /// <summary>The running informers (list+watch), in catalogue order. A kind the API does not serve has none.</summary>
    public IReadOnlyList<KindInformer> Informers => Feeds.OfType<KindInformer>().ToList();

    /// <summary>Every running feed (informers and pollers), in catalogue order.</summary>
    public IReadOnlyList<IKindFeed> Feeds
    {
        get
        {
            var running = _running;
            return [.. _kinds.Select(k => running.GetValueOrDefault(k.Key)?.Feed).OfType<IKindFeed>()];
        }
    }

    /// <summary>Why no client could be built (bad kubeconfig, not in a cluster); null when fine.</summary>
    public string? StartupError { get; private set; }

    /// <summary>Discovery rounds applied so far (the first one starts the feeds).</summary>
    public int DiscoveryRounds => Volatile.Read(ref _rounds);

    /// <summary>What the last discovery round said about a kind; null before the first round.</summary>
    public KindAvailability? Availability(KindInfo kind) => _availability.GetValueOrDefault(kind.Key);

    /// <summary>
    /// Ready for /readyz: discovery has run once and every kind has either no feed because the API does not serve it,
    /// or a feed that has listed once or got a definitive answer (not installed, forbidden) — otherwise a cluster
    /// without an optional CRD would never be ready.
    /// </summary>
    public bool AllSynced
    {
        get
        {
            if (_client is null || DiscoveryRounds == 0) return false;
            var running = _running;
            var availability = _availability;
            return _kinds.All(k =>
                availability.GetValueOrDefault(k.Key)?.Serving == KindServing.NotServed
                || running.GetValueOrDefault(k.Key)?.Feed.IsSettled == true);
        }
    }

    /// <summary>The kinds readiness still waits for.</summary>
    public IReadOnlyList<KindInfo> NotSettled
    {
        get
        {
            var running = _running;
            var availability = _availability;
            return [.. _kinds.Where(k => availability.GetValueOrDefault(k.Key)?.Serving != KindServing.NotServed
                                          && running.GetValueOrDefault(k.Key)?.Feed.IsSettled != true)];
        }
    }

    public KindInformer? Find(KindInfo kind) => _running.GetValueOrDefault(kind.Key)?.Feed as KindInformer;

    public IKindFeed? FindFeed(KindInfo kind) => _running.GetValueOrDefault(kind.Key)?.Feed;

    /// <summary>Asks discovery to run again now instead of at the next interval (a feed met a 404; tests).</summary>
    public void RequestDiscovery()
    {
        try { _rediscover.Release(); }
        catch (SemaphoreFullException) { } // one pending request is enough
        catch (ObjectDisposedException) { } // the host has stopped
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_client is null || _discovery is null)
        {
            var now = _time.GetUtcNow();
            foreach (var kind in _kinds)
            {
                var fresh = _state.Value.Slice(kind).Freshness with { State = FeedState.Error, LastError = StartupError, Since = now };
                _dispatcher.Dispatch(new FreshnessChanged(kind, fresh));
            }
            return;
        }
        _stopping = stoppingToken;
        // Task.Yield: the first discovery must not run on the host's startup thread.
        await Task.Yield();
        var retry = new Backoff(_options.BackoffInitial, _options.DiscoveryInterval > TimeSpan.Zero ? _options.DiscoveryInterval : TimeSpan.FromMinutes(5));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var result = await _discovery.DiscoverAsync(_kinds, stoppingToken).ConfigureAwait(false);
                await ApplyAsync(result).ConfigureAwait(false);
                Interlocked.Increment(ref _rounds);
                // An incomplete answer (API unreachable, a group version failing) is asked again soon; a complete one on the interval.
                if (result.Complete) retry.Reset();
                var wait = result.Complete ? _options.DiscoveryInterval : retry.Next();
                await WaitForNextRoundAsync(wait, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(_running.Values.Select(StopAsync)).ConfigureAwait(false);
            _running = ImmutableDictionary<string, RunningFeed>.Empty;
        }
    }

    private async Task WaitForNextRoundAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMinutes(5), _time, cts.Token);
        var requested = _rediscover.WaitAsync(cts.Token);
        await Task.WhenAny(delay, requested).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        try { await Task.WhenAll(delay, requested).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>Starts, re-targets or stops each kind's feed to match what discovery said.</summary>
    private async Task ApplyAsync(DiscoveryResult result)
    {
        var availability = _availability;
        foreach (var kind in _kinds)
        {
            var answer = result.For(kind);
            var previous = availability.GetValueOrDefault(kind.Key);
            var running = _running.GetValueOrDefault(kind.Key);
            switch (answer.Serving)
            {
                case KindServing.Served when running is not null && running.Feed.Kind.Version == answer.Kind.Version:
                    break;
                case KindServing.Served:
                    if (running is not null)
                    {
                        _logger.LogInformation("{Kind}: now served at {ApiVersion} (was {Old}); switching", kind.Key, answer.Kind.ApiVersion,
                            running.Feed.Kind.ApiVersion);
                        await StopAsync(running).ConfigureAwait(false);
                    }
                    Start(answer.Kind, wasNotInstalled: previous?.Serving == KindServing.NotServed);
                    break;
                case KindServing.NotServed:
                    if (running is not null)
                    {
                        _logger.LogInformation("{Kind}: no longer served by the API; stopping its feed", kind.Key);
                        await StopAsync(running).ConfigureAwait(false);
                        _running = _running.Remove(kind.Key);
                    }
                    if (running is not null || previous?.Serving != KindServing.NotServed) PublishNotInstalled(kind, answer.Message);
                    break;
                default:
                    // Discovery could not tell: keep what runs; start a first feed at the best guess (it reports what the API says).
                    if (running is null) Start(answer.Kind, wasNotInstalled: previous?.Serving == KindServing.NotServed);
                    break;
            }
            availability = availability.SetItem(kind.Key, answer);
        }
        _availability = availability;
    }

    private void Start(KindInfo kind, bool wasNotInstalled)
    {
        if (wasNotInstalled)
        {
            // Installed since: stop saying "not installed" while the first list is under way.
            var current = _state.Value.Slice(kind).Freshness;
            _dispatcher.Dispatch(new FreshnessChanged(kind, current with { State = FeedState.Connecting, LastError = null, Since = _time.GetUtcNow() }));
            _logger.LogInformation("{Kind}: now served at {ApiVersion}; starting", kind.Key, kind.ApiVersion);
        }
        IKindFeed feed = Kinds.IsPolled(kind)
            ? new NodeMetricsPoller(kind, _client!, _dispatcher, _state, _options, _time, _loggers.CreateLogger<NodeMetricsPoller>(), RequestDiscovery)
            : new KindInformer(kind, _client!, _dispatcher, _state, _options, _time, _loggers.CreateLogger<KindInformer>(), notServed: RequestDiscovery);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        // Task.Run: each feed's first steps must not run on the discovery loop.
        var task = Task.Run(() => feed.RunAsync(stop.Token), CancellationToken.None);
        _running = _running.SetItem(kind.Key, new RunningFeed(feed, stop, task));
    }

    private static async Task StopAsync(RunningFeed feed)
    {
        await feed.Stop.CancelAsync().ConfigureAwait(false);
        try { await feed.Task.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        feed.Stop.Dispose();
    }

    /// <summary>Deleting a CRD deletes its objects: what the store held no longer exists.</summary>
    private void PublishNotInstalled(KindInfo kind, string message)
    {
        var now = _time.GetUtcNow();
        if (_state.Value.Slice(kind).Items.Count > 0)
            _dispatcher.Dispatch(new ResourcesReplaced(kind, [], now));
        var current = _state.Value.Slice(kind).Freshness;
        _dispatcher.Dispatch(new FreshnessChanged(kind, current with
        {
            State = FeedState.NotInstalled,
            LastError = message,
            Since = now,
            Polled = Kinds.IsPolled(kind),
        }));
        _logger.LogInformation("{Kind}: {Message}", kind.Key, message);
    }

    public override void Dispose()
    {
        base.Dispose();
        _rediscover.Dispose();
        _client?.Dispose();
    }

    private static IKubernetes? TryCreate(KubernetesClientFactory factory, ILoggerFactory loggers, out string? error)
    {
        try
        {
            var client = factory.Create();
            loggers.CreateLogger<InformerHost>().LogInformation("Kubernetes API: {Target}", factory.Describe());
            error = null;
            return client;
        }
        catch (Exception ex)
        {
            // Shown as the freshness of every kind instead of crashing the host: the page can say what is wrong.
            error = $"cannot configure the Kubernetes client: {ex.Message}";
            loggers.CreateLogger<InformerHost>().LogError("{Error}", error);
            return null;
        }
    }
}
