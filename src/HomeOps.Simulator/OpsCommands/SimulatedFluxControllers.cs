using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// Flux's controllers, as far as the dashboard's Flux buttons need them: an object whose
/// <c>reconcile.fluxcd.io/requestedAt</c> differs from its <c>status.lastHandledReconcileAt</c> is reconciled (a
/// source fetches a new revision, a Kustomization applies its source's revision), and a changed spec is observed.
/// Suspended objects are left alone, as Flux does — which is why a plain reconcile of one silently does nothing.
/// Works through the Kubernetes API like the stand-in tools; polls, since it only has to be as quick as a person.
/// </summary>
public sealed class SimulatedFluxControllers(SimClusterClient cluster, ILogger? log = null)
{
    private readonly SimFlux _flux = new(cluster);
    private readonly ILogger _log = log ?? NullLogger.Instance;

    public async Task RunAsync(TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try { await SyncOnceAsync(ct).ConfigureAwait(false); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception ex) { _log.LogDebug(ex, "Simulated Flux controllers: sync failed (will retry)"); }
        }
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
    }

    /// <summary>One pass: sources first, so a reconcile-with-source applies the revision just fetched.</summary>
    public async Task<int> SyncOnceAsync(CancellationToken ct = default)
    {
        var handled = 0;
        foreach (var kind in new[] { Kinds.GitRepository, Kinds.Kustomization, Kinds.HelmRelease })
        {
            foreach (var obj in await cluster.ListAsync(kind, ct: ct).ConfigureAwait(false))
            {
                if (SimFlux.IsSuspended(obj)) continue;
                var ns = obj.Namespace();
                var name = obj.Name();
                var requested = obj["metadata"]?["annotations"].String(SimFlux.RequestedAtAnnotation);
                var lastHandled = obj["status"].String("lastHandledReconcileAt");
                if (requested is not null && requested != lastHandled)
                {
                    if (kind.Key == Kinds.GitRepository.Key) await _flux.ReconcileSourceAsync(ns, name, requested, ct).ConfigureAwait(false);
                    else if (kind.Key == Kinds.Kustomization.Key) await _flux.ReconcileKustomizationAsync(ns, name, requested, ct).ConfigureAwait(false);
                    else await _flux.ReconcileHelmReleaseAsync(ns, name, requested, ct).ConfigureAwait(false);
                    _log.LogInformation("Simulated Flux: reconciled {Kind} {Namespace}/{Name} (requested at {RequestedAt})", kind.Kind, ns, name, requested);
                    handled++;
                }
                else if (SimFlux.StatusBehind(obj)) await _flux.ObserveGenerationAsync(kind, ns, name, ct).ConfigureAwait(false);
            }
        }
        return handled;
    }
}
