using HomeOps.Cluster.Reports;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using HomeOps.Dashboard.Auth;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Flux;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Hubs;

/// <summary>The client-side contract of <see cref="ClusterHub"/>: what the server sends.</summary>
public interface IClusterHubClient
{
    /// <summary>The whole health model, sent once right after connecting.</summary>
    Task Snapshot(HealthReport report);

    /// <summary>Coalesced changes since the last message (about 100 ms windows).</summary>
    Task Changes(HealthDelta delta);
}

/// <summary>Changed and removed objects (by key) and the areas' current summaries.</summary>
public sealed record HealthDelta(DateTimeOffset At, IReadOnlyList<HealthEntry> Upserted, IReadOnlyList<string> Removed, IReadOnlyList<AreaReport> Areas);

/// <summary>
/// The live health model for clients other than the Blazor UI (a phone widget, a script, a second screen):
/// a snapshot, then coalesced changes, and any run's events on request (<see cref="StreamRun"/>). Viewers by cookie or by a bearer token from the same Authentik provider.
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class ClusterHub(ClusterStore store, TimeProvider time, IOptions<AuthOptions> authOptions, IOptions<ClusterOptions> clusterOptions,
    IOperationsEngine engine) : Hub<IClusterHubClient>
{
    public const string Path = "/hubs/cluster";

    public override async Task OnConnectedAsync()
    {
        await Clients.Caller.Snapshot(HealthReport.From(store.Value, clusterOptions.Value.ExpectedNodeNames, time.GetUtcNow()));
        await base.OnConnectedAsync();
    }

    /// <summary>The current snapshot on demand (e.g. after a client-side gap).</summary>
    [Authorize(Policy = Policies.Viewer)]
    public HealthReport GetSnapshot() => HealthReport.From(store.Value, clusterOptions.Value.ExpectedNodeNames, time.GetUtcNow());

    /// <summary>
    /// One run, live: its state and stored log, then step and status changes and output lines until the run stops
    /// (succeeded, failed, cancelled, interrupted) or the caller cancels. Viewers, as the run pages and
    /// <c>GET /api/v1/operations/runs/{id}</c>. An unknown run ends the stream with a HubException.
    /// </summary>
    [Authorize(Policy = Policies.Viewer)]
    public IAsyncEnumerable<RunEventDto> StreamRun(Guid runId, CancellationToken cancellationToken) =>
        RunEventStream.ReadAsync(engine, time, runId, cancellationToken);

    /// <summary>Requests a Flux reconcile. Operators only: checked by the policy and again by the Flux actions (audited).</summary>
    [Authorize(Policy = Policies.Operator)]
    public async Task<string> Reconcile(string kind, string @namespace, string name)
    {
        var actions = Context.GetHttpContext()?.RequestServices.GetService<IFluxActions>()
            ?? throw new HubException("Flux actions are not available in this deployment.");
        var actor = ActorFactory.From(Context.User!, authOptions.Value);
        var result = await actions.ReconcileAsync(new FluxObjectRef(kind, @namespace, name), withSource: false, actor, Context.ConnectionAborted);
        return result.ToString();
    }
}
