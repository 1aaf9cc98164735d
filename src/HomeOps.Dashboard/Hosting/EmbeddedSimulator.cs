using HomeOps.Cluster.Sources;
using HomeOps.Simulator;
using Serilog;
using Serilog.Extensions.Logging;

namespace HomeOps.Dashboard.Hosting;

/// <summary>
/// Cluster:Mode = Simulator (the default): start the simulator in-process before services are built, so that its
/// kubeconfig and Authentik URL are ordinary configuration and the sources use the same code as against a real cluster.
/// </summary>
public static class EmbeddedSimulator
{
    public static async Task<SimulatorHost?> StartEmbeddedSimulatorAsync(this WebApplicationBuilder builder)
    {
        var mode = builder.Configuration.GetValue<ClusterMode?>($"{ClusterOptions.Section}:{nameof(ClusterOptions.Mode)}") ?? ClusterMode.Simulator;
        if (mode != ClusterMode.Simulator) return null;

        // The host's logging is not built yet: give the simulator its own Serilog logger from the same configuration.
        // Its listener's "Now listening on: http://127.0.0.1:…" would read as the dashboard's URL; it logs its own line instead.
        var serilog = new LoggerConfiguration().ReadFrom.Configuration(builder.Configuration)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", Serilog.Events.LogEventLevel.Warning)
            .WriteTo.Console().CreateLogger();
        var loggerFactory = new SerilogLoggerFactory(serilog, dispose: true);
        SimulatorHost simulator;
        try
        {
            simulator = await SimulatorHost.StartAsync(SimulatorOptions.FromConfiguration(builder.Configuration), loggerFactory);
        }
        catch
        {
            loggerFactory.Dispose();
            throw;
        }

        var settings = new Dictionary<string, string?>
        {
            ["Cluster:Kubeconfig"] = simulator.KubeconfigPath,
        };
        // A configured Authentik (e.g. a real one next to the simulated cluster) wins; empty means "not set".
        if (string.IsNullOrEmpty(builder.Configuration["Authentik:BaseUrl"]))
        {
            settings["Authentik:BaseUrl"] = simulator.AuthentikBaseUri.ToString();
            if (string.IsNullOrEmpty(builder.Configuration["Authentik:Token"]))
                settings["Authentik:Token"] = simulator.AuthentikToken;
        }
        // The probes dial the simulator's loopback VIPs and the BGP sessions come from its Prometheus API, unless configured.
        var redirectsConfigured = RedirectsConfigured(builder.Configuration);
        foreach (var (key, value) in simulator.ObservationSettings())
        {
            var isRedirect = key.StartsWith("Cluster:Probes:Network:Redirects:", StringComparison.Ordinal);
            if (isRedirect ? !redirectsConfigured : string.IsNullOrEmpty(builder.Configuration[key])) settings[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(settings);

        builder.Services.AddSingleton(simulator);
        builder.Services.AddHostedService(_ => new SimulatorLifetime(simulator, loggerFactory));
        return simulator;
    }

    private static bool RedirectsConfigured(IConfiguration configuration) =>
        configuration.GetSection("Cluster:Probes:Network:Redirects").GetChildren().Any(c => !string.IsNullOrEmpty(c.Value));

    /// <summary>
    /// Disposes the simulator when the host stops. Registered before the sources, so it stops after them
    /// (hosted services stop in reverse order) and informers never see their API vanish during shutdown.
    /// </summary>
    private sealed class SimulatorLifetime(SimulatorHost simulator, ILoggerFactory loggerFactory) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await simulator.DisposeAsync();
            loggerFactory.Dispose();
        }
    }
}
