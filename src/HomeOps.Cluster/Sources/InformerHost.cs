using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// Runs exactly one <see cref="KindInformer"/> per watched kind for the whole process, whatever the number of viewers:
/// the cache is the only reader of the API. Exposes per-kind status and readiness.
/// </summary>
public sealed class InformerHost : BackgroundService
{
    private readonly IKubernetes? _client;
    private readonly IDispatcher _dispatcher;
    private readonly IState<ClusterState> _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<KindInfo> _kinds;

    public InformerHost(KubernetesClientFactory factory, ClusterStore store, IOptions<ClusterOptions> options,
        TimeProvider time, ILoggerFactory loggers)
        : this(TryCreate(factory, loggers, out var error), store, store, options.Value, time, loggers, Kinds.Watched)
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
        _time = time;
        _logger = loggers.CreateLogger<InformerHost>();
        _kinds = [.. kinds];
        Informers = client is null
            ? []
            : [.. _kinds.Select(k => new KindInformer(k, client, dispatcher, state, options, time, loggers.CreateLogger<KindInformer>()))];
    }

    /// <summary>One informer per kind, in catalogue order.</summary>
    public IReadOnlyList<KindInformer> Informers { get; }

    /// <summary>Why no client could be built (bad kubeconfig, not in a cluster); null when fine.</summary>
    public string? StartupError { get; private set; }

    /// <summary>
    /// Ready for /readyz: every informer has listed its kind once, or got a definitive answer that there is nothing
    /// to list (kind not installed, forbidden) — otherwise a cluster without an optional CRD would never be ready.
    /// </summary>
    public bool AllSynced => Informers.Count > 0 && Informers.All(i => i.IsSettled);

    public KindInformer? Find(KindInfo kind) => Informers.FirstOrDefault(i => i.Kind.Key == kind.Key);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_client is null)
        {
            var now = _time.GetUtcNow();
            foreach (var kind in _kinds)
            {
                var fresh = _state.Value.Slice(kind).Freshness with { State = FeedState.Error, LastError = StartupError, Since = now };
                _dispatcher.Dispatch(new FreshnessChanged(kind, fresh));
            }
            return Task.CompletedTask;
        }
        // Task.Run: each informer's first steps must not run on the host's startup thread.
        return Task.WhenAll(Informers.Select(i => Task.Run(() => i.RunAsync(stoppingToken), CancellationToken.None)));
    }

    public override void Dispose()
    {
        base.Dispose();
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
