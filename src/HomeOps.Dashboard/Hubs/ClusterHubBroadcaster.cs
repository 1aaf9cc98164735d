using HomeOps.Cluster.Health;
using HomeOps.Cluster.Reports;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Hubs;

/// <summary>
/// One store subscription for all hub clients: changes are coalesced into windows and each window is sent once to
/// every connection (all connections are authorized viewers), so the cost does not grow with work per client.
/// </summary>
public sealed class ClusterHubBroadcaster(ClusterStore store, IHubContext<ClusterHub, IClusterHubClient> hub, TimeProvider time,
    IOptions<DashboardOptions> options, IOptions<ClusterOptions> clusterOptions, ILogger<ClusterHubBroadcaster> logger) : IHostedService
{
    private CoalescingSubscription? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = store.SubscribeCoalesced(SendAsync, options.Value.BatchWindow);
        return Task.CompletedTask;
    }

    private async Task SendAsync(ClusterState state, ChangeSet changes)
    {
        try
        {
            await hub.Clients.All.Changes(Delta(state, changes, clusterOptions.Value.ExpectedNodeNames, time.GetUtcNow()));
            // The floor of the benchmarks: the same push path as the circuits, with no rendering (see LiveTrace).
            if (LiveTrace.Log.IsEnabled()) LiveTrace.Log.Sent("hub", nameof(ClusterHub), state, changes);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not send changes to hub clients");
        }
    }

    public static HealthDelta Delta(ClusterState state, ChangeSet changes, IReadOnlyList<string> expectedNodes, DateTimeOffset now)
    {
        var upserted = new List<HealthEntry>();
        var removed = new List<string>();
        FluxGraph? graph = null;
        foreach (var (kindKey, keys) in changes.Objects)
        {
            state.Kinds.TryGetValue(kindKey, out var slice);
            foreach (var key in keys)
            {
                if (slice is not null && slice.Items.TryGetValue(key, out var item))
                    upserted.Add(HealthReport.Entry(item, graph ??= FluxGraph.Build(state.AllItems.ToList())));
                else
                    removed.Add(key);
            }
        }
        return new HealthDelta(now, upserted, removed, HealthReport.AreasOf(state, expectedNodes, now));
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
