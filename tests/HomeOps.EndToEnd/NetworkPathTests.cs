using System.Diagnostics;
using HomeOps.Simulator;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// The failure this cluster has hit, end to end: the ingress VIP stops answering while BGP still reports its sessions
/// established. The real dashboard probes the simulator's loopback VIPs (real TCP, TLS, HTTP) and reads the agents'
/// BGP metric from the simulator's Prometheus API; a real Chromium watches the open overview turn red within one
/// probe interval, with the BGP tile still green.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NetworkPathTests(BrowserFixture browser) : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync(
        new Dictionary<string, string?>
        {
            ["Cluster:Probes:Network:Interval"] = Interval.ToString(),
            ["Cluster:Probes:Network:Timeout"] = "00:00:02",
            ["Cluster:Bgp:PollInterval"] = "00:00:02",
        },
        fromSimulator: sim => new Dictionary<string, string?>(sim.ObservationSettings()));

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    private SimulatorHost Simulator => _dashboard.Simulator;

    [Fact]
    public async Task The_overview_turns_red_within_one_probe_interval_when_the_VIP_stops_answering_while_BGP_stays_green()
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "viewer", "/");
        await SignIn.WaitForCircuitAsync(page);

        var tile = page.Locator("[data-testid=tile-networkpath]");
        await Expect(tile).ToHaveAttributeAsync("data-health", "Healthy", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=tile-networkpath-count]")).ToHaveTextAsync("4/4");
        // BGP under v1, with live session state from the agents' metric: established.
        await Expect(page.Locator("[data-testid=tile-bgp-count]")).ToHaveTextAsync("3/3", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=tile-bgp]")).Not.ToHaveAttributeAsync("data-health", "Failed");

        var stopwatch = Stopwatch.StartNew();
        Simulator.Scenarios.Trigger("vip-stops-answering");
        // One interval until the next round at the latest; the refused connection answers at once. The slack covers the
        // hub push and render on a loaded test machine, not a second round.
        await Expect(tile).ToHaveAttributeAsync("data-health", "Failed", new() { Timeout = (int)(Interval + TimeSpan.FromSeconds(3)).TotalMilliseconds });
        var elapsed = stopwatch.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"VIP silenced → overview red: {elapsed.TotalMilliseconds:0} ms (interval {Interval.TotalSeconds} s)");
        await File.AppendAllTextAsync(Artifacts.PathFor("e2e-latency.txt"), $"vip-silenced-to-tile-ms {elapsed.TotalMilliseconds:0}\n");

        await Expect(page.Locator("[data-testid=tile-networkpath-count]")).ToHaveTextAsync("3/4");
        await Expect(page.Locator("[data-testid=tile-networkpath-contradiction]")).ToContainTextAsync("172.29.52.200:443 not answering while BGP reports 3/3 sessions established");
        await Expect(page.Locator("[data-testid=tile-bgp]")).Not.ToHaveAttributeAsync("data-health", "Failed");
        await Expect(page.Locator("[data-testid=tile-bgp-count]")).ToHaveTextAsync("3/3");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("overview-vip-silent.png"), FullPage = true });

        // The page names the target, the step that failed and why.
        await page.Locator("[data-testid=tile-networkpath-details]").ClickAsync();
        var row = page.Locator("[data-testid='row-probetarget-172.29.52.200:443']").First;
        await Expect(row).ToHaveAttributeAsync("data-health", "Failed", new() { Timeout = 10_000 });
        await Expect(row).ToContainTextAsync("connection refused");

        Simulator.Scenarios.Recover("vip-stops-answering");
        await Expect(row).ToHaveAttributeAsync("data-health", "Healthy", new() { Timeout = (int)(Interval + TimeSpan.FromSeconds(3)).TotalMilliseconds });
        await context.CloseAsync();
    }
}
