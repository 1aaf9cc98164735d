using HomeOps.Simulator;
using HomeOps.Simulator.Identity;
using Microsoft.Playwright;

namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>
/// Everything one benchmark needs: the simulator (in this process) grown to a <see cref="ClusterShape"/>, its
/// Authentik-shaped identity provider, the real dashboard process pointed at both exactly as at a real cluster
/// (Kubeconfig mode, Oidc:Authority), Chromium, and a signed-in viewer session that new pages reuse.
/// </summary>
public sealed class LiveRig : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly string _metricsToken;
    private long _seq;

    private LiveRig(SimulatorHost simulator, IdentityProviderHost identity, DashboardServer dashboard, Browser browser,
        ClusterShape shape, IReadOnlyList<string> volumes, string dataDirectory, string metricsToken)
    {
        _metricsToken = metricsToken;
        Simulator = simulator;
        Identity = identity;
        Dashboard = dashboard;
        Browser = browser;
        Shape = shape;
        Volumes = volumes;
        _dataDirectory = dataDirectory;
    }

    public SimulatorHost Simulator { get; }
    public IdentityProviderHost Identity { get; }
    public DashboardServer Dashboard { get; }
    public Browser Browser { get; }
    public ClusterShape Shape { get; }
    public IReadOnlyList<string> Volumes { get; }
    public string BaseUrl => Dashboard.BaseUrl;

    /// <summary>The floor's client: a signed-in hub viewer fed by the same push path, doing no work.</summary>
    public HubFloorClient HubFloor { get; private set; } = default!;

    /// <summary>The signed-in viewer's cookies, for new browser contexts.</summary>
    public string StorageState { get; private set; } = "";

    /// <summary>The next probe sequence number: unique over the rig's life, so a stale sighting never matches a new write.</summary>
    public long NextSeq(long count) => Interlocked.Add(ref _seq, count) - count + 1;

    public static async Task<LiveRig> StartAsync(ClusterShape shape, DashboardBinary binary, Browser browser, TextWriter log,
        IDictionary<string, string>? extraEnvironment = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Scenarios = { Enabled = false } });
        var volumes = shape.Apply(simulator.Cluster);
        var identity = await IdentityProviderHost.StartAsync(new IdentityProviderOptions());
        var data = Directory.CreateTempSubdirectory("homeops-bench-data-").FullName;
        var env = HomeOps.Testing.DashboardAppProcess.PointedAt(simulator, identity, data);
        // Production against a "real" cluster must not start with an open /metrics or unencrypted key files: give it a
        // metrics token (nothing here scrapes) and a throwaway data-protection certificate in the run's data directory.
        env["Metrics__BearerToken"] = Guid.NewGuid().ToString("N");
        env["DataProtection__CertificatePath"] = Path.Combine(data, "bench-dataprotection.pfx");
        File.WriteAllBytes(env["DataProtection__CertificatePath"], BenchCertificate());
        foreach (var (k, v) in extraEnvironment ?? new Dictionary<string, string>()) env[k] = v;
        DashboardServer? dashboard = null;
        try
        {
            var beforeDashboard = clock.Elapsed;
            dashboard = await DashboardServer.StartAsync(binary.Dll, binary.Production, env);
            CpuPinning.PinServer(dashboard.ProcessId);
            var dashboardStart = clock.Elapsed - beforeDashboard;
            await identity.AllowRedirectUriAsync(new Uri(dashboard.BaseUrl + "/signin-oidc"));
            await identity.AllowPostLogoutRedirectUriAsync(new Uri(dashboard.BaseUrl + "/signout-callback-oidc"));
            var rig = new LiveRig(simulator, identity, dashboard, browser, shape, volumes, data, env["Metrics__BearerToken"]);
            await rig.SignInAsync();
            rig.HubFloor = await HubFloorClient.ConnectAsync(dashboard.BaseUrl, rig.StorageState);
            log.WriteLine($"rig up in {clock.Elapsed.TotalSeconds:F1} s (dashboard start {dashboardStart.TotalSeconds:F1} s): {shape.Name}, dashboard pid {dashboard.ProcessId} at {dashboard.BaseUrl}");
            return rig;
        }
        catch
        {
            if (dashboard is not null) await dashboard.DisposeAsync();
            await identity.DisposeAsync();
            await simulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new browser context (its own window, never a hidden background tab) signed in as the viewer.</summary>
    public async Task<IPage> OpenPageAsync(string path, BrowserNewContextOptions? options = null, bool waitForCircuit = true,
        Func<IPage, Task>? beforeNavigation = null)
    {
        options ??= new BrowserNewContextOptions();
        options.StorageState = StorageState;
        for (var attempt = 1; ; attempt++)
        {
            var context = await Browser.Instance.NewContextAsync(options);
            await context.AddInitScriptAsync(DomProbe.InitScript);
            var page = await context.NewPageAsync();
            try
            {
                if (beforeNavigation is not null) await beforeNavigation(page);
                await page.GotoAsync(BaseUrl + path, new() { Timeout = NavigationTimeoutMs });
                if (waitForCircuit) await WaitForCircuitAsync(page);
                return page;
            }
            catch (TimeoutException) when (attempt == 1)
            {
                // One more try in a new window: on a machine shared with builds, a load of a 50th page can pass 2 min.
                // That is the harness's wait, not a measurement (the items time changes, not page loads).
                OpenRetries++;
                await CloseAsync([page]);
            }
        }
    }

    /// <summary>Page opens that timed out once and were tried again (reported by the items that open many pages).</summary>
    public int OpenRetries { get; private set; }

    /// <summary>The dashboard's own count of its circuits (<c>homeops_dashboard_circuits</c> on /metrics).</summary>
    public async Task<(int Connected, int Disconnected)> CircuitsAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, BaseUrl + "/metrics");
        request.Headers.Authorization = new("Bearer", _metricsToken);
        using var response = await MetricsClient.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        return (Sample(text, "connected"), Sample(text, "disconnected"));

        static int Sample(string text, string state)
        {
            var prefix = $"homeops_dashboard_circuits{{state=\"{state}\"}} ";
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
                       ?? throw new InvalidOperationException($"/metrics has no {prefix.TrimEnd()} sample");
            return int.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static readonly HttpClient MetricsClient = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Waits until the dashboard holds exactly <paramref name="connected"/> connected circuits and none kept after its
    /// browser left, so a heap measurement counts only the circuits it means to. Returns the counts it ended with and
    /// how long it took; on timeout, what was still held (the caller reports it rather than measuring blind).
    /// </summary>
    public async Task<(bool Settled, int Connected, int Disconnected, TimeSpan Waited)> WaitForCircuitsAsync(int connected, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var (c, d) = await CircuitsAsync();
            if (c == connected && d == 0) return (true, c, d, clock.Elapsed);
            if (clock.Elapsed > timeout) return (false, c, d, clock.Elapsed);
            await Task.Delay(250);
        }
    }

    /// <summary>Navigations wait up to 2 min: with Chromium on one CPU of a shared, loaded machine the first loads are slow (a
    /// failure here is a harness timeout, not a measurement).</summary>
    private const float NavigationTimeoutMs = 120_000;

    public static Task WaitForCircuitAsync(IPage page) =>
        page.Locator("[data-testid=circuit-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });

    /// <summary>
    /// Ends each page's circuit the way a closing tab does: <c>Blazor.disconnect()</c> sends Blazor's disconnect beacon,
    /// so the server drops the circuit now instead of keeping it for the disconnected-circuit retention period (3 min).
    /// Blazor sends the same beacon on <c>pagehide</c>, but this headless Chromium did not fire it when the page was
    /// navigated away (<c>homeops_dashboard_circuits</c> showed every closed circuit kept for the full 3 min, 2026-12-08).
    /// Then leaves the page and closes its context.
    /// </summary>
    public static async Task CloseAsync(IEnumerable<IPage> pages)
    {
        foreach (var p in pages)
        {
            // Best effort: on an overloaded machine leaving a page can time out; that must not lose the item's figures.
            try { await p.EvaluateAsync("() => window.Blazor?.disconnect?.()"); } catch (Exception e) when (e is PlaywrightException or TimeoutException) { }
            try { await p.GotoAsync("about:blank", new() { Timeout = 10_000 }); } catch (Exception e) when (e is PlaywrightException or TimeoutException) { }
            try { await p.Context.CloseAsync(); } catch (Exception e) when (e is PlaywrightException or TimeoutException) { }
        }
    }

    private async Task SignInAsync()
    {
        var context = await Browser.Instance.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + "/", new() { Timeout = NavigationTimeoutMs });
        await page.Locator("input[name=username]").FillAsync(IdentityProviderHost.ViewerUsername, new() { Timeout = 30_000 });
        await page.Locator("input[name=password]").FillAsync(Identity.ViewerPassword);
        await page.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(BaseUrl, StringComparison.Ordinal), new() { Timeout = NavigationTimeoutMs });
        await WaitForCircuitAsync(page);
        StorageState = await context.StorageStateAsync();
        await CloseAsync([page]);
    }

    public async ValueTask DisposeAsync()
    {
        if (HubFloor is not null) await HubFloor.DisposeAsync();
        await Dashboard.DisposeAsync();
        await Identity.DisposeAsync();
        await Simulator.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>A self-signed RSA certificate (PFX, no password) for the run's data-protection keys.</summary>
    private static byte[] BenchCertificate()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=homeops-bench-dataprotection", rsa,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(7));
        return certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12);
    }
}
