using HomeOps.Simulator;
using HomeOps.Simulator.Identity;

namespace HomeOps.EndToEnd;

/// <summary>
/// A simulator and its Authentik-shaped identity provider started by the test, and the real dashboard pointed at
/// them through configuration exactly as it would be pointed at a real cluster and Authentik (Kubeconfig mode,
/// Oidc:Authority, Authentik URL and token). Both are started before the factory: WebApplicationFactory captures
/// the first host built while it creates the app, so hosts built inside Program.cs would be captured instead of the
/// dashboard. The default embedded mode is covered by <see cref="QuickStartProcessTests"/>, a real process.
/// </summary>
public sealed class SimulatedDashboard : IAsyncDisposable
{
    public const string NobodyUser = "nobody";
    public const string NobodyPassword = "nobody-password-e2e";

    private SimulatedDashboard(SimulatorHost simulator, IdentityProviderHost identity, DashboardFactory app, string baseUrl,
        Dictionary<string, string?> settings, string environment)
    {
        Simulator = simulator;
        Identity = identity;
        App = app;
        BaseUrl = baseUrl;
        _settings = settings;
        _environment = environment;
    }

    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;

    public SimulatorHost Simulator { get; }
    public IdentityProviderHost Identity { get; }
    public DashboardFactory App { get; private set; }
    public string BaseUrl { get; private set; }

    /// <summary>
    /// Stops the dashboard and starts a new one (a restart: a new process's worth of state) with the same settings and
    /// data directory, against the same simulator and provider, with <paramref name="changes"/> applied. It gets a new
    /// port; cookies are per host, not per port, so a browser's cookies still apply.
    /// </summary>
    public async Task RestartAppAsync(IDictionary<string, string?>? changes = null)
    {
        await App.DisposeAsync();
        foreach (var (k, v) in changes ?? new Dictionary<string, string?>()) _settings[k] = v;
        App = new DashboardFactory(_settings, _environment);
        BaseUrl = App.StartOnLoopback();
        await Identity.AllowRedirectUriAsync(new Uri(BaseUrl + "/signin-oidc"));
        await Identity.AllowPostLogoutRedirectUriAsync(new Uri(BaseUrl + "/signout-callback-oidc"));
    }

    public string PasswordOf(string user) => user switch
    {
        IdentityProviderHost.AdminUsername => Identity.AdminPassword,
        IdentityProviderHost.ViewerUsername => Identity.ViewerPassword,
        NobodyUser => NobodyPassword,
        _ => throw new ArgumentException("unknown user " + user),
    };

    /// <param name="fromSimulator">Settings that need the started simulator (e.g. a kubeconfig through a relay), applied last.</param>
    public static async Task<SimulatedDashboard> StartAsync(IDictionary<string, string?>? extra = null, string environment = "Development",
        Func<SimulatorHost, IDictionary<string, string?>>? fromSimulator = null)
    {
        var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Scenarios = { Enabled = false } });
        var identityOptions = new IdentityProviderOptions();
        identityOptions.ExtraUsers.Add(new SimulatedUser(NobodyUser, NobodyPassword, ["other-team"]));
        var identity = await IdentityProviderHost.StartAsync(identityOptions);
        var settings = new Dictionary<string, string?>
        {
            ["Cluster:Mode"] = "Kubeconfig",
            ["Cluster:Kubeconfig"] = simulator.KubeconfigPath,
            ["Authentik:BaseUrl"] = simulator.AuthentikBaseUri.ToString(),
            ["Authentik:Token"] = simulator.AuthentikToken,
            ["Oidc:Authority"] = identity.Issuer.ToString(),
            ["Oidc:ClientId"] = identity.ClientId,
            ["Oidc:ClientSecret"] = identity.ClientSecret,
            ["Oidc:RequireHttpsMetadata"] = "false",
            ["Auth:AllowInsecureCookies"] = "true",
            // Each dashboard its own runs database: one starting up would mark another's running runs Interrupted.
            ["Operations:DataDirectory"] = Directory.CreateTempSubdirectory("homeops-e2e-data-").FullName,
            // As the embedded simulator sets it (SimulatorHost.ObservationSettings): the seeded Ingress hosts
            // (*.k8s.home.geoffdavis.com) do not resolve on a test machine, and three DnsFailed probe problems would
            // crowd the overview's problem list. Tests that need them set it back through `extra`.
            ["Cluster:Probes:Network:IngressHosts"] = "false",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        foreach (var (k, v) in fromSimulator?.Invoke(simulator) ?? new Dictionary<string, string?>()) settings[k] = v;
        var app = new DashboardFactory(settings, environment);
        try
        {
            var baseUrl = app.StartOnLoopback();
            await identity.AllowRedirectUriAsync(new Uri(baseUrl + "/signin-oidc"));
            await identity.AllowPostLogoutRedirectUriAsync(new Uri(baseUrl + "/signout-callback-oidc"));
            return new SimulatedDashboard(simulator, identity, app, baseUrl, settings, environment);
        }
        catch
        {
            await app.DisposeAsync();
            await identity.DisposeAsync();
            await simulator.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Identity.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
