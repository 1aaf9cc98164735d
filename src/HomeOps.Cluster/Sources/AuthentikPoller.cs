using System.Net;
using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// Polls Authentik every <see cref="AuthentikOptions.PollInterval"/>: the token's validity, the outposts with their
/// health, and the tokens. Results replace the Authentik slices of the store; a failed poll keeps the last data and
/// marks it stale, with the time failures started.
/// </summary>
public sealed class AuthentikPoller : BackgroundService
{
    private static readonly JsonElement NoInstances = JsonDocument.Parse("[]").RootElement.Clone();

    private readonly Func<AuthentikClient> _clientFactory;
    private readonly IDispatcher _dispatcher;
    private readonly IState<ClusterState> _state;
    private readonly AuthentikOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private bool _synced;
    private FeedState _feed = FeedState.Connecting;
    private DateTimeOffset _since;
    private int _polls;
    private int _failures;

    public AuthentikPoller(IHttpClientFactory httpClients, IOptions<AuthentikOptions> options, ClusterStore store,
        TimeProvider time, ILogger<AuthentikPoller> logger)
        // A fresh HttpClient per poll from the factory: handlers rotate (DNS, CA bundle changes) as the factory intends.
        : this(() => new AuthentikClient(httpClients.CreateClient(nameof(AuthentikClient))), store, store, options.Value, time, logger)
    {
    }

    internal AuthentikPoller(Func<AuthentikClient> clientFactory, IDispatcher dispatcher, IState<ClusterState> state,
        AuthentikOptions options, TimeProvider time, ILogger logger)
    {
        _clientFactory = clientFactory;
        _dispatcher = dispatcher;
        _state = state;
        _options = options;
        _time = time;
        _logger = logger;
        _since = time.GetUtcNow();
    }

    public FeedState State => _feed;

    public int Polls => Volatile.Read(ref _polls);

    public int Failures => Volatile.Read(ref _failures);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.IsConfigured)
        {
            Publish(FeedState.NotInstalled, "Authentik API not configured", null);
            return;
        }
        var interval = _options.PollInterval > TimeSpan.Zero ? _options.PollInterval : TimeSpan.FromSeconds(10);
        using var timer = new PeriodicTimer(interval, _time);
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

    /// <summary>One poll. Returns whether it succeeded; never throws except on cancellation.</summary>
    public async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _polls);
        try
        {
            var client = _clientFactory();
            // users/me first: a rejected token gets the clearest message.
            await client.GetMeAsync(cancellationToken).ConfigureAwait(false);

            var now = _time.GetUtcNow();
            var outposts = new List<ResourceSnapshot>();
            foreach (var outpost in await client.ListOutpostsAsync(cancellationToken).ConfigureAwait(false))
            {
                var pk = outpost.ValueKind == JsonValueKind.Object && outpost.TryGetProperty("pk", out var p) && p.ValueKind == JsonValueKind.String
                    ? p.GetString()
                    : null;
                var health = string.IsNullOrEmpty(pk) ? NoInstances : await client.GetOutpostHealthAsync(pk, cancellationToken).ConfigureAwait(false);
                outposts.Add(AuthentikDecoder.DecodeOutpost(outpost, health, now));
            }
            var tokens = (await client.ListTokensAsync(cancellationToken).ConfigureAwait(false))
                .Select(t => AuthentikDecoder.DecodeToken(t, now))
                .ToList();

            var at = _time.GetUtcNow();
            _dispatcher.Dispatch(new ResourcesReplaced(Kinds.AuthentikOutpost, outposts, at));
            _dispatcher.Dispatch(new ResourcesReplaced(Kinds.AuthentikToken, tokens, at));
            _synced = true;
            Publish(FeedState.Live, null, at);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _failures);
            var message = Describe(ex);
            // Error while never synced, else Reconnecting: the last data stays, marked stale since failures started.
            Publish(_synced ? FeedState.Reconnecting : FeedState.Error, message, null);
            _logger.LogWarning("Authentik poll failed: {Message}", message);
            return false;
        }
    }

    /// <summary>What a 401 from Authentik means in practice (cluster brief §9 row 7): the token expired, was rotated or is wrong.</summary>
    public const string TokenRejected = "token rejected (401): the Authentik API token is invalid, expired or revoked (check Authentik:Token)";

    /// <summary>The server's certificate is not trusted: the usual cause is Authentik's self-signed (selfsigned-issuer) certificate.</summary>
    public const string CertificateNotTrusted =
        "TLS: the Authentik server's certificate is not trusted (self-signed? set Authentik:CaBundlePath to its CA bundle)";

    /// <summary>An operator-facing reason. Built from status codes and exception types only, so no header (token) can leak.</summary>
    public static string Describe(Exception ex) => ex switch
    {
        AuthentikApiException api => api.Message,
        HttpRequestException { StatusCode: HttpStatusCode.Unauthorized } => TokenRejected,
        HttpRequestException { InnerException: System.Security.Authentication.AuthenticationException } => CertificateNotTrusted,
        HttpRequestException { StatusCode: { } code } => $"Authentik API error {(int)code}",
        HttpRequestException => "Authentik API unreachable",
        TaskCanceledException or TimeoutException => "Authentik API timed out",
        JsonException => "Authentik API returned malformed JSON",
        _ when ex.GetType().Name.Contains("Timeout", StringComparison.Ordinal) => "Authentik API timed out",
        _ when ex.GetType().Name.Contains("BrokenCircuit", StringComparison.Ordinal) => "Authentik API unreachable (circuit open after repeated failures)",
        _ => $"Authentik poll failed ({ex.GetType().Name})",
    };

    private void Publish(FeedState state, string? error, DateTimeOffset? syncedAt)
    {
        var now = _time.GetUtcNow();
        if (state != _feed)
        {
            _since = now;
            _feed = state;
        }
        foreach (var kind in (KindInfo[])[Kinds.AuthentikOutpost, Kinds.AuthentikToken])
        {
            var current = _state.Value.Slice(kind).Freshness;
            var next = current with
            {
                State = state,
                LastError = error,
                Since = _since,
                LastSyncAt = syncedAt ?? current.LastSyncAt,
                Polled = true,
            };
            _dispatcher.Dispatch(new FreshnessChanged(kind, next));
        }
    }
}
