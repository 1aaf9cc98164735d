using HomeOps.Simulator;

namespace HomeOps.EndToEnd;

/// <summary>
/// A simulator started by the test, and the real dashboard pointed at it through configuration exactly as it would be
/// pointed at a real cluster (Kubeconfig mode, Authentik URL and token). The simulator must be started before the
/// factory: WebApplicationFactory captures the first host built while it creates the app, so an embedded simulator
/// built inside Program.cs would be captured instead of the dashboard. The default embedded mode is covered by
/// <see cref="QuickStartProcessTests"/>, which runs the dashboard as a real process.
/// </summary>
public sealed class SimulatedDashboard : IAsyncDisposable
{
    private SimulatedDashboard(SimulatorHost simulator, DashboardFactory app, string baseUrl)
    {
        Simulator = simulator;
        App = app;
        BaseUrl = baseUrl;
    }

    public SimulatorHost Simulator { get; }
    public DashboardFactory App { get; }
    public string BaseUrl { get; }

    public static async Task<SimulatedDashboard> StartAsync(IDictionary<string, string?>? extra = null)
    {
        var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Scenarios = { Enabled = false } });
        var settings = new Dictionary<string, string?>
        {
            ["Cluster:Mode"] = "Kubeconfig",
            ["Cluster:Kubeconfig"] = simulator.KubeconfigPath,
            ["Authentik:BaseUrl"] = simulator.AuthentikBaseUri.ToString(),
            ["Authentik:Token"] = simulator.AuthentikToken,
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var app = new DashboardFactory(settings);
        try
        {
            return new SimulatedDashboard(simulator, app, app.StartOnLoopback());
        }
        catch
        {
            await app.DisposeAsync();
            await simulator.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
