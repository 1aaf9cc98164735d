namespace HomeOps.Dashboard.Auth;

/// <summary>
/// Can the server reach the identity provider's discovery document? Asked before every challenge (every anonymous
/// request to a page), so the answer is cached for <c>cacheFor</c> (Auth:IdentityProviderProbeCache, 10 s by
/// default): however many anonymous requests arrive, at most one outbound probe per window, and concurrent callers
/// share the probe in flight. An outage or a recovery is seen by the first challenge after the window.
/// </summary>
public sealed class IdentityProviderReachability(TimeProvider time, TimeSpan cacheFor)
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    private readonly Lock _gate = new();
    private (bool Reachable, DateTimeOffset At)? _last;
    private Task<bool>? _inFlight;

    public async Task<bool> IsReachableAsync(HttpClient backchannel, string discoveryUrl, CancellationToken ct)
    {
        Task<bool> probe;
        lock (_gate)
        {
            if (_last is { } last && time.GetUtcNow() - last.At < cacheFor) return last.Reachable;
            // One probe for everyone waiting; it is not tied to any one request, so a caller giving up does not cancel it.
            probe = _inFlight ??= ProbeAndRememberAsync(backchannel, discoveryUrl);
        }
        return await probe.WaitAsync(ct).ConfigureAwait(false);
    }

    private async Task<bool> ProbeAndRememberAsync(HttpClient backchannel, string discoveryUrl)
    {
        var reachable = await ProbeAsync(backchannel, discoveryUrl).ConfigureAwait(false);
        lock (_gate)
        {
            _last = (reachable, time.GetUtcNow());
            _inFlight = null;
        }
        return reachable;
    }

    private static async Task<bool> ProbeAsync(HttpClient backchannel, string discoveryUrl)
    {
        try
        {
            using var cts = new CancellationTokenSource(ProbeTimeout);
            using var response = await backchannel.GetAsync(discoveryUrl, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
            return (int)response.StatusCode < 500;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return false;   // unreachable or too slow
        }
    }
}
