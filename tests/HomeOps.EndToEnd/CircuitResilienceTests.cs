using System.Text.RegularExpressions;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Simulator;
using HomeOps.Simulator.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// Issue 7, circuits: a phone tab that sleeps and wakes, a server restart, and data that stops being current. In each
/// case the open page must come back to live data without a manual reload, and never show old data as live meanwhile.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class CircuitResilienceTests(BrowserFixture browser)
{
    private const string NotReadyPatch =
        """{"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady","message":"container runtime is down","lastHeartbeatTime":"2026-11-25T00:00:00Z","lastTransitionTime":"2026-11-25T00:00:00Z"}]}}""";

    private static readonly LocatorAssertionsToHaveTextOptions Long = new() { Timeout = 60_000 };

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    [Fact]
    public async Task A_phone_tab_that_sleeps_and_wakes_reconnects_and_shows_what_changed_while_it_slept()
    {
        await using var dashboard = await SimulatedDashboard.StartAsync();
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, dashboard, "viewer", "/");
        await SignIn.WaitForCircuitAsync(page);
        var nodes = page.Locator("[data-testid=tile-nodes-count]");
        var connection = page.Locator("[data-testid=connection-state]");
        await Expect(nodes).ToHaveTextAsync("3/3", Long);
        await Expect(page.Locator("[data-testid=tile-nodes-freshness]")).ToHaveTextAsync("live", Long);
        await Expect(connection).ToHaveAttributeAsync("data-state", "connected");

        // A mark that survives a reconnect but not a reload: the circuit is retained, so waking must reconnect it.
        // The reconnect states the page went through are kept for the failure message.
        await page.EvaluateAsync(@"() => {
            window.__sameDocument = true;
            window.__states = [];
            document.getElementById('components-reconnect-modal')
                .addEventListener('components-reconnect-state-changed', e => window.__states.push(e.detail.state));
        }");

        // The phone locks: the tab is hidden, the radio goes, and the OS freezes the page.
        var cdp = await context.NewCDPSessionAsync(page);
        await SetVisibilityAsync(page, hidden: true);
        await context.SetOfflineAsync(true);
        var asleepAt = DateTime.UtcNow;
        // Until the page knows its connection is gone it cannot say so; once it does, nothing on it claims to be live.
        await Expect(connection).Not.ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 90_000 });
        Log($"connection seen as lost after {(DateTime.UtcNow - asleepAt).TotalSeconds:0.0} s offline");
        await Expect(page.Locator("[data-testid=reconnect-banner]")).ToBeVisibleAsync();
        var chipAfter = await page.Locator("[data-testid=tile-nodes-freshness]").EvaluateAsync<string>(
            "el => getComputedStyle(el, '::after').content");
        Assert.Contains("not live", chipAfter);
        await cdp.SendAsync("Page.setWebLifecycleState", new Dictionary<string, object> { ["state"] = "frozen" });

        // While it sleeps, the cluster changes, and the server has it.
        var (code, _, stderr) = await Kubectl.RunAsync(dashboard.Simulator.KubeconfigPath,
            "patch", "node", "mini02", "--subresource=status", "--type=merge", "-p", NotReadyPatch);
        Assert.True(code == 0, stderr);
        var store = dashboard.App.Services.GetRequiredService<ClusterStore>();
        await Eventually(() => store.Value.Items(Kinds.Node).Any(n => n.Meta.Name == "mini02" && n.Verdict.Health == HealthStatus.Failed),
            "the server's store has mini02 NotReady", TimeSpan.FromSeconds(30));

        // Wake: the page resumes, the radio returns, the tab is visible. No reload by anyone.
        var wokeAt = DateTime.UtcNow;
        await cdp.SendAsync("Page.setWebLifecycleState", new Dictionary<string, object> { ["state"] = "active" });
        await context.SetOfflineAsync(false);
        await SetVisibilityAsync(page, hidden: false);
        try
        {
            await Expect(nodes).ToHaveTextAsync("2/3", Long);
        }
        catch (PlaywrightException e)
        {
            var states = await page.EvaluateAsync<string>("() => JSON.stringify({ states: window.__states, connection: document.documentElement.dataset.connection, visibility: document.visibilityState })");
            throw new Xunit.Sdk.XunitException($"{e.Message}\npage: {states}");
        }
        Log($"woken page showed the change after {(DateTime.UtcNow - wokeAt).TotalSeconds:0.0} s");
        await Expect(connection).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=reconnect-banner]")).Not.ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=tile-nodes-freshness]")).ToHaveTextAsync("live", Long);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reconnected its circuit rather than reloading");

        // And it is live again, not just refreshed once.
        dashboard.Simulator.Cluster.MergePatch(Kinds.Node, null, "mini02",
            System.Text.Json.Nodes.JsonNode.Parse("""{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status"}]}}""")!,
            statusSubresource: true);
        await Expect(nodes).ToHaveTextAsync("3/3", Long);
        await context.CloseAsync();
    }

    /// <summary>Phones report sleep as a hidden tab (visibilitychange), which a headless browser never does by itself.</summary>
    private static Task SetVisibilityAsync(IPage page, bool hidden) => page.EvaluateAsync(
        @"hidden => {
            Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => hidden ? 'hidden' : 'visible' });
            Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
            document.dispatchEvent(new Event('visibilitychange'));
        }", hidden);

    [Fact]
    public async Task A_server_restart_on_the_same_port_brings_the_open_page_back_to_live_data()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Scenarios = { Enabled = false } });
        await using var identity = await IdentityProviderHost.StartAsync(new IdentityProviderOptions());
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        await identity.AllowRedirectUriAsync(new Uri(baseUrl + "/signin-oidc"));
        var data = Directory.CreateTempSubdirectory("homeops-e2e-restart-").FullName;
        var environment = HomeOps.Testing.DashboardAppProcess.PointedAt(simulator, identity, Path.Combine(data, "operations"));
        // What a Deployment keeps on its volume: the sign-in cookie must survive the restart.
        environment["Auth__DataProtectionKeysPath"] = Path.Combine(data, "keys");
        // Kestrel's endpoint configuration wins over the --urls the process helper passes: the same port both times.
        environment["Kestrel__Endpoints__Http__Url"] = baseUrl;

        DashboardProcess? first = DashboardProcess.Start(environment);
        try
        {
            Assert.Equal(baseUrl, (await first.WaitForLineAsync(UrlLine())).TrimEnd('/'));
            var context = await browser.Browser.NewContextAsync();
            var page = await context.NewPageAsync();
            await page.GotoAsync(baseUrl + "/");
            await page.Locator("input[name=username]").FillAsync(IdentityProviderHost.ViewerUsername, new() { Timeout = 30_000 });
            await page.Locator("input[name=password]").FillAsync(identity.ViewerPassword);
            await page.Locator("button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(baseUrl + "/", new() { Timeout = 30_000 });
            await SignIn.WaitForCircuitAsync(page);
            var nodes = page.Locator("[data-testid=tile-nodes-count]");
            await Expect(nodes).ToHaveTextAsync("3/3", Long);
            await Expect(page.Locator("[data-testid=tile-nodes-freshness]")).ToHaveTextAsync("live", Long);

            // The server goes away (SIGTERM, as a rolling update does); the page says its data is not live.
            await first.DisposeAsync();
            first = null;
            await Expect(page.Locator("[data-testid=connection-state]")).Not.ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
            await Expect(page.Locator("[data-testid=reconnect-banner]")).ToBeVisibleAsync();

            // The cluster changes while no server runs; then the server comes back on the same address.
            var (code, _, stderr) = await Kubectl.RunAsync(simulator.KubeconfigPath,
                "patch", "node", "mini02", "--subresource=status", "--type=merge", "-p", NotReadyPatch);
            Assert.True(code == 0, stderr);
            var restartedAt = DateTime.UtcNow;
            await using var second = DashboardProcess.Start(environment);
            await second.WaitForLineAsync(UrlLine());

            // The old circuit is gone with the old process: the page reloads itself, still signed in, onto live data.
            await Expect(nodes).ToHaveTextAsync("2/3", new() { Timeout = 90_000 });
            Log($"restarted server → page on live data in {(DateTime.UtcNow - restartedAt).TotalSeconds:0.0} s");
            Assert.Equal(baseUrl + "/", page.Url);
            await SignIn.WaitForCircuitAsync(page);
            await Expect(page.Locator("[data-testid=connection-state]")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
            await Expect(page.Locator("[data-testid=tile-nodes-freshness]")).ToHaveTextAsync("live", Long);
            await context.CloseAsync();
        }
        finally
        {
            if (first is not null) await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task Polled_data_older_than_the_threshold_is_marked_stale_and_live_again_once_fresh()
    {
        // Authentik is polled every second through a relay that can hang without failing: the poller still says Live
        // (its HTTP call has not timed out yet) while the data grows old.
        await using var relay = new FreezableTcpProxy();
        await using var dashboard = await SimulatedDashboard.StartAsync(new Dictionary<string, string?>
        {
            ["Authentik:BaseUrl"] = relay.Uri.ToString(),
            ["Authentik:PollInterval"] = "00:00:01",
            ["Cluster:MetricsPollInterval"] = "00:00:01",
        });
        relay.ForwardTo(dashboard.Simulator.AuthentikBaseUri);
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, dashboard, "viewer", "/authentik");
        await SignIn.WaitForCircuitAsync(page);
        var chip = page.Locator("[data-testid=page-authentik-freshness]");
        await Expect(chip).ToHaveAttributeAsync("data-state", "Live", new() { Timeout = 60_000 });
        await Expect(chip).ToHaveTextAsync(UpdatedRecently(), Long);

        relay.Freeze();
        var frozenAt = DateTime.UtcNow;
        // Three poll intervals, at least 5 s (DataAge): stale well before the 25 s HTTP timeout would say anything.
        await Expect(chip).ToHaveAttributeAsync("data-state", "Stale", new() { Timeout = 20_000 });
        var staleAfter = DateTime.UtcNow - frozenAt;
        Log($"polled data marked stale {staleAfter.TotalSeconds:0.0} s after the upstream hung");
        Assert.InRange(staleAfter, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(15));
        await Expect(chip).ToHaveTextAsync(new Regex("^stale: "));

        relay.Thaw();
        await Expect(chip).ToHaveAttributeAsync("data-state", "Live", new() { Timeout = 60_000 });
        await Expect(chip).ToHaveTextAsync(UpdatedRecently(), Long);
        await context.CloseAsync();
    }

    private static async Task Eventually(Func<bool> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting for " + what);
            await Task.Delay(50);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^HomeOps dashboard: (http://\S+)")]
    private static partial Regex UrlLine();

    [GeneratedRegex(@"^updated \d s ago$")]
    private static partial Regex UpdatedRecently();
}
