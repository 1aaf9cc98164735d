using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// Section <c>Cluster:Bgp</c>: where live BGP session state is read while BGPv1 (CiliumBGPPeeringPolicy, no status) is
/// active. The Cilium agents export <c>cilium_bgp_control_plane_session_state</c>; kube-prometheus-stack scrapes it when
/// the Cilium chart has <c>prometheus.enabled: true</c> and <c>prometheus.serviceMonitor.enabled: true</c> (README,
/// "BGP session state"). Env-var form: <c>Cluster__Bgp__PrometheusUrl</c>.
/// </summary>
public sealed class BgpSessionOptions
{
    public const string Section = "Cluster:Bgp";

    /// <summary>The Prometheus root, e.g. <c>http://kube-prometheus-stack-prometheus.observability.svc:9090</c>; empty: not read.</summary>
    public string PrometheusUrl { get; set; } = "";

    /// <summary>The instant query; the default is the agents' metric as Cilium documents it.</summary>
    public string Query { get; set; } = BgpSessionMetrics.Metric;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => Uri.TryCreate(PrometheusUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https";
}

/// <summary>
/// Polls Prometheus's HTTP API (<c>GET /api/v1/query</c>) for the Cilium agents' BGP session state and replaces the
/// <see cref="Kinds.BgpSession"/> slice. <see cref="BgpStatus.Evaluate"/> uses it while BGPv1 is active. Not configured:
/// the slice says NotInstalled and names the missing setting; a failed poll keeps the last sessions, marked stale.
/// </summary>
public sealed class BgpSessionPoller(IHttpClientFactory httpClients, IOptions<BgpSessionOptions> options, ClusterStore store,
    TimeProvider time, ILogger<BgpSessionPoller> logger) : BackgroundService
{
    public const string NotConfigured = "Cluster:Bgp:PrometheusUrl is not set";

    private readonly PolledFreshness _freshness = new(Kinds.BgpSession, store, store, time);
    private bool _synced;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.IsConfigured)
        {
            Publish(FeedState.NotInstalled, NotConfigured, null);
            return;
        }
        using var timer = new PeriodicTimer(o.PollInterval > TimeSpan.Zero ? o.PollInterval : TimeSpan.FromSeconds(30), time);
        try
        {
            do
            {
                await PollOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One poll; returns whether it succeeded. Never throws but for cancellation.</summary>
    public async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        try
        {
            using var http = httpClients.CreateClient(nameof(BgpSessionPoller));
            var url = new Uri(new Uri(o.PrometheusUrl.TrimEnd('/') + "/"), "api/v1/query?query=" + Uri.EscapeDataString(o.Query));
            using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
            // Prometheus answers 400/422/503 with the same JSON envelope ("status":"error"): read it for the message.
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var doc = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            var sessions = BgpSessionMetrics.Parse(doc.RootElement);
            var at = time.GetUtcNow();
            store.Dispatch(new ResourcesReplaced(Kinds.BgpSession, sessions, at));
            _synced = true;
            Publish(FeedState.Live, null, at);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            var message = e switch
            {
                PrometheusQueryException q => q.Message,
                HttpRequestException { StatusCode: { } code } => $"Prometheus answered {(int)code}",
                HttpRequestException => "Prometheus unreachable",
                JsonException => "Prometheus returned malformed JSON",
                TaskCanceledException or TimeoutException => "Prometheus timed out",
                _ => $"Prometheus query failed ({e.GetType().Name})",
            };
            Publish(_synced ? FeedState.Reconnecting : FeedState.Error, message, null);
            logger.LogWarning("BGP session poll from Prometheus failed: {Message}", message);
            return false;
        }
    }

    private void Publish(FeedState feed, string? error, DateTimeOffset? syncedAt) => _freshness.Publish(feed, error, syncedAt);
}
