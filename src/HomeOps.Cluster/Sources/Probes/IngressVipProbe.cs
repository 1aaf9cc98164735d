using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HomeOps.Cluster.Sources.Probes;

/// <summary>
/// Every <see cref="IngressVipProbeOptions.Interval"/>: reads the ingress Service's LoadBalancer address from the store
/// (LB-IPAM's assignment, as the API reports it) and opens a TCP connection to it from the dashboard. The answer goes
/// to the <see cref="ReachabilityBoard"/>; the <c>ingress-vip-reachable</c> gate reads it. A Service without an
/// address is recorded as such (nothing to probe), never probed at a guessed address.
/// </summary>
public sealed class IngressVipProbe(IState<ClusterState> state, IReachabilityProber prober, ReachabilityBoard board,
    TimeProvider time, ILogger<IngressVipProbe> logger) : BackgroundService
{
    private IngressVipProbeOptions Options => board.Options;

    /// <summary>The probe's clock (what <see cref="ReachabilityRecord.At"/> is stamped with).</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Options.Enabled) return;
        var interval = Options.Interval > TimeSpan.Zero ? Options.Interval : TimeSpan.FromSeconds(10);
        while (!stoppingToken.IsCancellationRequested)
        {
            await ProbeOnceAsync(stoppingToken).ConfigureAwait(false);
            try { await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>
    /// One probe of the Service's current address (the first, IPv4 first). Never throws but for cancellation. Called by
    /// the loop and, on demand, by the <c>ingress-vip-reachable</c> gate before it decides.
    /// </summary>
    public async Task<ReachabilityRecord?> ProbeOnceAsync(CancellationToken cancellationToken)
    {
        var o = Options;
        var slice = state.Value.Slice(Kinds.Service);
        if (slice.Freshness.State != FeedState.Live) return null;
        var svc = slice.Items.Values.FirstOrDefault(s =>
            string.Equals(s.Meta.Namespace, o.Namespace, StringComparison.Ordinal) && string.Equals(s.Meta.Name, o.Service, StringComparison.Ordinal));
        var addresses = svc?.Details is ServiceDetails d && d.HasAddress ? d.IngressAddresses : [];
        var address = addresses.OrderBy(a => a.Contains(':') ? 1 : 0).FirstOrDefault();
        ReachabilityRecord record;
        if (address is null)
        {
            record = new(o.Namespace, o.Service, null, o.Port, false,
                svc is null ? $"Service {o.Namespace}/{o.Service} does not exist" : $"Service {o.Namespace}/{o.Service} has no LoadBalancer address (<pending>)",
                time.GetUtcNow());
        }
        else
        {
            ReachabilityAnswer answer;
            try
            {
                answer = await prober.ProbeAsync(address, o.Port, o.Timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                answer = new(false, $"probe failed: {e.Message}");
            }
            record = new(o.Namespace, o.Service, address, o.Port, answer.Reachable, answer.Detail, time.GetUtcNow());
        }
        var before = board.Latest(o.Namespace, o.Service);
        if (before is null || before.Reachable != record.Reachable || before.Address != record.Address)
            logger.LogInformation("Ingress VIP probe {Namespace}/{Service} {Address}:{Port}: {Reachable} — {Detail}",
                record.Namespace, record.Service, record.Address ?? "-", record.Port, record.Reachable ? "reachable" : "unreachable", record.Detail);
        board.Record(record);
        return record;
    }
}
