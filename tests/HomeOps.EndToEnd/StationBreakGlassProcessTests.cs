using HomeOps.Simulator;
using HomeOps.Simulator.Identity;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// Issue 14, station test 2, as a real process: the built dashboard started as its own <c>dotnet</c> process on the station
/// configuration (<see cref="StationConfiguration"/>: Kubeconfig mode against the simulator, not in the cluster, the
/// strict stand-ins, data in a temp directory) with break-glass configured as docs/station.md says for the station
/// (<c>BreakGlass__AlwaysOffer=true</c>, the LAN — here loopback — in <c>AllowedNetworks</c>, hash and TOTP secret in
/// mounted files), every setting in its environment-variable form. The simulated Authentik (the OIDC provider) is then
/// stopped. In Chromium a visitor is sent to the sign-in error page, takes the break-glass link, signs in with the
/// password and a TOTP code, sees the banner, and launches a safe reset of one node from the page; the run ends
/// Succeeded with the break-glass user in its audit. The process's whole console log holds no password, hash, TOTP
/// secret or code.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StationBreakGlassProcessTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("homeops-e2e-station-process-").FullName;
    private readonly BreakGlassAccountFiles _account = new();
    private SimulatorHost _simulator = null!;
    private IdentityProviderHost _identity = null!;
    private bool _identityStopped;

    public async ValueTask InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Scenarios = { Enabled = false } });
        _identity = await IdentityProviderHost.StartAsync(new IdentityProviderOptions());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_identityStopped) await _identity.DisposeAsync();
        await _simulator.DisposeAsync();
        _account.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task With_Authentik_stopped_the_station_process_signs_in_with_break_glass_and_runs_a_safe_reset()
    {
        var settings = StationConfiguration.Settings(Path.Combine(_data, "operations"));
        foreach (var (k, v) in _account.Settings(alwaysOffer: true)) settings[k] = v;
        var env = HomeOps.Testing.DashboardAppProcess.PointedAt(_simulator, _identity, Path.Combine(_data, "operations"));
        foreach (var (k, v) in StationConfiguration.AsEnvironment(settings)) env[k] = v;
        env["Serilog__MinimumLevel__Default"] = "Debug";   // the most the log could say, searched for secrets below
        Assert.Equal("Kubeconfig", env["Cluster__Mode"]);
        Assert.Equal("false", env["Operations__RunsInCluster"]);

        await using var station = DashboardProcess.Start(env);
        var url = await station.UrlAsync();

        // Authentik goes down (the cluster it runs on is down): its port now refuses connections.
        await _identity.DisposeAsync();
        _identityStopped = true;
        using (var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
            await Assert.ThrowsAsync<HttpRequestException>(() => probe.GetAsync(new Uri(_identity.Issuer, ".well-known/openid-configuration"), TestContext.Current.CancellationToken));

        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url + "/operations/safe-reset");
        await page.WaitForURLAsync(u => u.StartsWith(url + "/signin-error", StringComparison.Ordinal), new() { Timeout = 30_000 });
        await page.Locator("[data-testid=breakglass-link]").ClickAsync();
        await Expect(page.Locator("[data-testid=breakglass-form]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await _account.FillSignInAsync(page, _account.Password);
        await page.WaitForURLAsync(url + "/", new() { Timeout = 30_000 });
        await SignIn.WaitForCircuitAsync(page);
        await Expect(page.Locator("[data-testid=breakglass-banner]")).ToBeVisibleAsync();

        // A safe reset of mini02 from the page: a fresh break-glass sign-in needs no step-up.
        await page.GotoAsync(url + "/operations/safe-reset");
        await SignIn.WaitForCircuitAsync(page);
        await Expect(page.Locator("[data-testid=breakglass-banner]")).ToBeVisibleAsync();
        await page.Locator("[data-testid=pick-node-mini02] input").CheckAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=preflight]")).ToHaveAttributeAsync("data-blocked", "False", new() { Timeout = 30_000 });
        await page.Locator("[data-testid=launch-run]").ClickAsync();
        await MudFields.Input(page, "confirm-phrase-input").FillAsync("SAFE-RESET", new() { Timeout = 10_000 });
        await MudFields.Input(page, "confirm-reason-input").FillAsync("station drill: Authentik down, break-glass");
        var confirm = page.Locator("[data-testid=confirm-run]");
        await Expect(confirm).ToBeEnabledAsync(new() { Timeout = 10_000 });
        await confirm.ClickAsync();
        var monitor = page.Locator("[data-testid=run-monitor]");
        await Expect(monitor).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var runId = (await monitor.GetAttributeAsync("data-run-id"))!;
        Assert.True(Guid.TryParse(runId, out _), runId);

        // The run, through the JSON API on the break-glass session's own cookie: it ends Succeeded, mini02 in maintenance.
        var api = new OperationsApi(context, url);
        var run = await StationOutageTests.WaitForEndAsync(api, runId, TimeSpan.FromMinutes(4));
        Assert.True(run.GetProperty("status").GetString() == "Succeeded", run.ToString());
        Assert.True(StrictStandIns.InMaintenance(_simulator, "mini02"), "mini02 should be in maintenance mode after its reset");
        Assert.False(StrictStandIns.InMaintenance(_simulator, "mini01"), "only mini02 was chosen");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("station-process-breakglass-reset.png"), FullPage = true });

        var started = Assert.Single(await api.AuditAsync($"runId={runId}&action=run.start"));
        Assert.Equal(BreakGlassAccountFiles.User, started.GetProperty("user").GetString());
        var signIn = Assert.Single(await api.AuditAsync("action=breakglass.signin"));
        Assert.Equal("Succeeded", signIn.GetProperty("outcome").GetString());
        await context.CloseAsync();

        await station.DisposeAsync();   // SIGTERM: every log line flushed
        _account.AssertLogHasNoSecret(station.Output);
    }
}
