using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Sources.Probes;

/// <summary>
/// Every <see cref="NetworkProbeOptions.Interval"/>: probes what users reach, from where the dashboard runs — every
/// address LB-IPAM assigned to a LoadBalancer Service (read from the store: <c>status.loadBalancer.ingress</c>, never a
/// guessed address) and every configured host — with at most <see cref="NetworkProbeOptions.MaxConcurrency"/> probes at
/// once. Each round replaces the <see cref="Kinds.ProbeTarget"/> slice of the store, so the verdicts (one per target,
/// <see cref="ProbeHealth.Rule"/>) reach the LoadBalancers tile, the page, the API, the hub and /metrics together.
/// </summary>
public sealed class NetworkProbe(IState<ClusterState> state, IDispatcher dispatcher, INetworkProber prober,
    IOptions<NetworkProbeOptions> options, TimeProvider time, ILogger<NetworkProbe> logger) : BackgroundService
{
    private readonly Dictionary<string, bool> _answered = new(StringComparer.Ordinal);
    private readonly PolledFreshness _freshness = new(Kinds.ProbeTarget, state, dispatcher, time);

    private NetworkProbeOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Options.Enabled)
        {
            Publish(FeedState.NotInstalled, $"{NetworkProbeOptions.Section}:Enabled is false");
            return;
        }
        using var timer = new PeriodicTimer(Options.Interval, time);
        try
        {
            // The first round waits for the Services (the VIPs) to be listed, checked each second rather than a whole
            // interval later: until then the feed says "connecting", and the area must not stay so for 30 s after start.
            while (!ServicesKnown(state.Value))
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
            do
            {
                await ProbeRoundAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// The targets of one round, VIPs first (by Service), then the configured hosts, then the hosts of the Ingresses
    /// (by Ingress, a host once); at most
    /// <see cref="NetworkProbeOptions.MaxTargets"/>. A VIP is probed on 443 (HTTPS) when the Service exposes it, else on
    /// 80 (HTTP), else with a TCP connect on its first port.
    /// </summary>
    public static IReadOnlyList<ProbeRequest> Targets(ClusterState state, NetworkProbeOptions o)
    {
        var redirects = o.RedirectMap();
        var list = new List<ProbeRequest>();
        var services = state.Items(Kinds.Service)
            .Where(s => s.Details is ServiceDetails { Type: ServiceHealth.LoadBalancerType, HasAddress: true })
            .OrderBy(s => s.Meta.DisplayName, StringComparer.Ordinal);
        foreach (var svc in services)
        {
            var d = (ServiceDetails)svc.Details;
            var ports = d.Ports.Select(PortNumber).Where(p => p > 0).ToList();
            var (port, scheme) = ports.Contains(443) ? (443, "https") : ports.Contains(80) ? (80, "http") : (ports.FirstOrDefault(), "tcp");
            if (port == 0) continue;
            foreach (var address in d.IngressAddresses)
            {
                var target = address.Contains(':') ? $"[{address}]:{port}" : $"{address}:{port}";
                list.Add(new ProbeRequest(target, ProbeSources.Vip, svc.Meta.DisplayName, null, address, port, scheme, redirects.GetValueOrDefault(target)));
            }
        }
        foreach (var host in o.Hosts.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim()))
            list.Add(new ProbeRequest(host, ProbeSources.IngressHost, "", host, null, 443, "https", redirects.GetValueOrDefault($"{host}:443")));
        if (o.IngressHosts)
        {
            // Every host of every Ingress, as a user reaches it: resolved through DNS, https when its TLS section covers
            // it, else http. A host also configured in Hosts is probed once (the configured entry, listed first).
            var ingresses = state.Items(Kinds.Ingress).Where(i => i.Details is IngressDetails)
                .OrderBy(i => i.Meta.DisplayName, StringComparer.Ordinal);
            foreach (var ing in ingresses)
            {
                var d = (IngressDetails)ing.Details;
                foreach (var host in d.Hosts)
                {
                    var scheme = d.SchemeOf(host);
                    var port = scheme == "https" ? 443 : 80;
                    list.Add(new ProbeRequest(host, ProbeSources.IngressHost, ing.Meta.DisplayName, host, null, port, scheme,
                        redirects.GetValueOrDefault($"{host}:{port}")));
                }
            }
        }
        return [.. list.DistinctBy(t => (t.Source, t.Target.ToLowerInvariant())).Take(o.MaxTargets)];
    }

    /// <summary>"https 443/TCP" → 443; 0 when the port is not TCP.</summary>
    internal static int PortNumber(string port)
    {
        var slash = port.LastIndexOf('/');
        if (slash < 0 || !port[(slash + 1)..].Equals("TCP", StringComparison.OrdinalIgnoreCase)) return 0;
        var start = port.LastIndexOf(' ', slash) + 1;
        return int.TryParse(port[start..slash], out var n) ? n : 0;
    }

    /// <summary>One round: every target once, bounded concurrency. Never throws but for cancellation.</summary>
    public async Task<IReadOnlyList<ProbeDetails>> ProbeRoundAsync(CancellationToken cancellationToken)
    {
        var o = Options;
        var current = state.Value;
        if (!ServicesKnown(current)) return []; // no addresses known yet: nothing to probe
        var targets = Targets(current, o);
        using var gate = new SemaphoreSlim(o.MaxConcurrency);
        var results = await Task.WhenAll(targets.Select(async t =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await prober.ProbeAsync(t, o.Timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return new ProbeDetails(t.Target, t.Source, t.Owner, t.Address ?? "", t.Port, t.Scheme, ProbeSteps.Tcp,
                    $"probe failed: {e.GetType().Name}", null, null, 0, null, time.GetUtcNow());
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        foreach (var r in results)
        {
            if (_answered.TryGetValue(r.Target, out var before) && before == r.Answered) continue;
            _answered[r.Target] = r.Answered;
            logger.LogInformation("Network probe {Target} ({Owner}): {Answered} — {Detail}", r.Target, r.Owner.Length > 0 ? r.Owner : r.Source,
                r.Answered ? "answering" : "not answering", r.Detail);
        }
        dispatcher.Dispatch(new ResourcesReplaced(Kinds.ProbeTarget, [.. results.Select(ProbeHealth.Snapshot)], time.GetUtcNow()));
        Publish(FeedState.Live, null);
        return results;
    }

    private static bool ServicesKnown(ClusterState state)
    {
        var services = state.Slice(Kinds.Service);
        return services.Freshness.Synced || services.Items.Count > 0;
    }

    private void Publish(FeedState feed, string? error) =>
        _freshness.Publish(feed, error, feed == FeedState.Live ? time.GetUtcNow() : null);
}
