using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using k8s;
using Microsoft.Extensions.Logging;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// Node CPU and memory from <c>metrics.k8s.io</c> (metrics-server). The metrics API serves get and list only — no
/// watch — so this lists every <see cref="ClusterOptions.MetricsPollInterval"/> and replaces the kind's slice.
/// Usage is optional decoration: any answer (even an error) settles readiness, and a failing poll keeps the last
/// values marked stale. 404 means metrics-server is not installed; discovery is asked to look again.
/// </summary>
public sealed class NodeMetricsPoller : IKindFeed
{
    private readonly IKubernetes _client;
    private readonly IDispatcher _dispatcher;
    private readonly IState<ClusterState> _state;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action? _notServed;
    private volatile FeedState _feed = FeedState.Connecting;
    private volatile bool _synced;
    private int _polls;
    private int _failures;
    private DateTimeOffset _since;

    public NodeMetricsPoller(KindInfo kind, IKubernetes client, IDispatcher dispatcher, IState<ClusterState> state,
        ClusterOptions options, TimeProvider time, ILogger<NodeMetricsPoller> logger, Action? notServed = null)
    {
        Kind = kind;
        _client = client;
        _dispatcher = dispatcher;
        _state = state;
        _options = options;
        _time = time;
        _logger = logger;
        _notServed = notServed;
        _since = time.GetUtcNow();
    }

    public KindInfo Kind { get; }

    public FeedState State => _feed;

    public bool HasSynced => _synced;

    /// <summary>Polled once, whatever the answer: readiness must not wait for an optional API.</summary>
    public bool IsSettled => Polls > 0;

    public int Polls => Volatile.Read(ref _polls);

    public int Failures => Volatile.Read(ref _failures);

    public override string ToString() => $"{Kind.Key}: {_feed}, polls {Polls}, failures {Failures}";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var interval = _options.MetricsPollInterval > TimeSpan.Zero ? _options.MetricsPollInterval : TimeSpan.FromSeconds(15);
        while (!cancellationToken.IsCancellationRequested)
        {
            var ok = await PollOnceAsync(cancellationToken).ConfigureAwait(false);
            var wait = !ok && _feed == FeedState.NotInstalled ? _options.NotInstalledRetry : interval;
            try { await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>One poll. Returns whether it succeeded; never throws (cancellation ends it quietly).</summary>
    public async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync(
                Kind.Group, Kind.Version, Kind.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var items = new List<ResourceSnapshot>();
            if (response.Body is JsonElement { ValueKind: JsonValueKind.Object } body && body.Prop("items") is { ValueKind: JsonValueKind.Array } array)
                foreach (var item in array.EnumerateArray())
                    items.Add(ResourceDecoder.Decode(Kind, item, now));
            _dispatcher.Dispatch(new ResourcesReplaced(Kind, items, now));
            _synced = true;
            Publish(FeedState.Live, null, now);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _failures);
            var failure = ApiFailure.From(ex, Kind);
            switch (failure.Kind)
            {
                case ApiFailureKind.NotInstalled:
                    if (_state.Value.Slice(Kind).Items.Count > 0)
                        _dispatcher.Dispatch(new ResourcesReplaced(Kind, [], _time.GetUtcNow()));
                    Publish(FeedState.NotInstalled, failure.Message, null);
                    _notServed?.Invoke();
                    break;
                case ApiFailureKind.Forbidden:
                    Publish(FeedState.Forbidden, failure.Message, null);
                    break;
                default:
                    // metrics-server down answers 503 through the aggregator: keep the last values, marked stale.
                    Publish(_synced ? FeedState.Reconnecting : FeedState.Error, failure.Message, null);
                    break;
            }
            _logger.LogWarning("{Kind}: poll failed: {Message}", Kind.Key, failure.Message);
            return false;
        }
        finally
        {
            Interlocked.Increment(ref _polls);
        }
    }

    private void Publish(FeedState state, string? error, DateTimeOffset? syncedAt)
    {
        var now = _time.GetUtcNow();
        if (state != _feed)
        {
            _since = now;
            _feed = state;
        }
        var current = _state.Value.Slice(Kind).Freshness;
        _dispatcher.Dispatch(new FreshnessChanged(Kind, current with
        {
            State = state,
            LastError = error,
            Since = _since,
            LastSyncAt = syncedAt ?? current.LastSyncAt,
            Polled = true,
        }));
    }
}
