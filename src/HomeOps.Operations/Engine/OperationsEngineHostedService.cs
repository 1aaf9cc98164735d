using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HomeOps.Operations.Engine;

/// <summary>
/// Initialises the engine at host start (schema, runs left Running become Interrupted), sweeps for runs orphaned by a
/// dead replica while running, and stops running runs as Interrupted on shutdown.
/// </summary>
public sealed class OperationsEngineHostedService(IOperationsEngine engine, OperationsOptions options, ILogger<OperationsEngineHostedService> log) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await engine.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.StaleRunAfter);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try { await engine.RecoverOrphanedRunsAsync(stoppingToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { throw; }
                catch (Exception ex) { log.LogWarning(ex, "Sweeping for orphaned runs failed"); }
            }
        }
        catch (OperationCanceledException) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await engine.DisposeAsync().ConfigureAwait(false);
    }
}
