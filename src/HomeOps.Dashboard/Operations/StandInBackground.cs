using HomeOps.Simulator.OpsCommands;
using k8s;

namespace HomeOps.Dashboard.Operations;

/// <summary>
/// Simulator mode at start: writes the stand-in wrappers (so a missing tool is reported at start, not at the first
/// run) and runs the simulated Flux controllers that answer the Flux buttons.
/// </summary>
public sealed class StandInBackground(SimulatorStandIns standIns, IKubernetes kubernetes, ILogger<StandInBackground> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Installs the wrappers, and refuses (tools null) when the configured cluster is not a simulator on loopback.
        if (standIns.Tools is null || !standIns.Options.FluxControllers) return;
        var controllers = new SimulatedFluxControllers(new SimClusterClient(kubernetes), log);
        await controllers.RunAsync(standIns.Options.FluxControllerInterval, stoppingToken);
    }
}
