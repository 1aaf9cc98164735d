using HomeOps.Simulator;
using Microsoft.Extensions.Logging.Abstractions;

namespace HomeOps.Cli.Sources;

/// <summary>Starts the embedded home-ops simulator (scenarios off, so the state is the seed) and reads it like a cluster.</summary>
public static class SimulatorSource
{
    public static async Task<SourceResult> ReadAsync(DateTimeOffset now, TextWriter notes, CancellationToken cancellationToken)
    {
        var options = new SimulatorOptions { Scenarios = { Enabled = false } };
        await using var host = await SimulatorHost.StartAsync(options, NullLoggerFactory.Instance, cancellationToken);
        return await KubernetesSource.ReadAsync(host.KubeconfigPath, context: null, now, notes, cancellationToken);
    }
}
