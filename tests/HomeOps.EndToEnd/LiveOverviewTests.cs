using HomeOps.Simulator;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// The first whole slice, end to end: the real dashboard on its embedded simulator, a real Chromium, the real kubectl.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveOverviewTests(BrowserFixture browser) : IAsyncLifetime
{
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync();

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    private SimulatorHost Simulator => _dashboard.Simulator;
    private string _baseUrl => _dashboard.BaseUrl;

    private async Task<IPage> OpenAsync(string path, int width = 1280, int height = 900)
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "viewer", path);
        await SignIn.WaitForCircuitAsync(page);
        return page;
    }

    [Fact]
    public async Task Kubectl_patch_marking_a_node_NotReady_shows_on_the_open_overview_without_reload()
    {
        var page = await OpenAsync("/");
        var nodes = page.Locator("[data-testid=tile-nodes-count]");
        await Expect(nodes).ToHaveTextAsync("3/3", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=tile-nodes-freshness]")).ToHaveTextAsync("live", new() { Timeout = 30_000 });

        // Timestamp the DOM change in the page itself, so the measured latency is event-to-screen.
        await page.EvaluateAsync(@"() => {
            const el = document.querySelector('[data-testid=tile-nodes-count]');
            window.__nodesChangedAt = 0;
            new MutationObserver(() => { if (!window.__nodesChangedAt && el.textContent.trim() === '2/3') window.__nodesChangedAt = Date.now(); })
              .observe(el, { childList: true, characterData: true, subtree: true });
        }");

        // Two clocks meet here: the browser's (when the tile changed) and this process's (when the simulator applied the
        // patch). Their offset is measured, not assumed: bracket the browser's Date.now() between two readings of ours.
        var clocks = await BrowserClock.CalibrateAsync(page);

        // When the patch is applied is read from the simulator's own store (in this process), not from kubectl's exit,
        // which comes after the API answered — and often after the page has already changed.
        using var applied = AppliedWatch.Start(() => NodeReady(Simulator, "mini02") == "False");
        var patch = """{"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady","message":"container runtime is down","lastHeartbeatTime":"2026-11-25T00:00:00Z","lastTransitionTime":"2026-11-25T00:00:00Z"}]}}""";
        var (code, _, stderr) = await Kubectl.RunAsync(Simulator.KubeconfigPath,
            "patch", "node", "mini02", "--subresource=status", "--type=merge", "-p", patch);
        Assert.True(code == 0, $"kubectl patch failed: {stderr}");
        var appliedAt = await applied.AtAsync();

        await Expect(nodes).ToHaveTextAsync("2/3", new() { Timeout = 10_000 });
        var changedAt = clocks.ToLocal(await page.EvaluateAsync<long>("() => window.__nodesChangedAt"));
        var latencyMs = (long)(changedAt - appliedAt.At).TotalMilliseconds;
        var uncertaintyMs = (long)Math.Ceiling((clocks.Uncertainty + appliedAt.Uncertainty).TotalMilliseconds);
        TestContext.Current.TestOutputHelper?.WriteLine($"kubectl patch → overview tile: {latencyMs} ms (± {uncertaintyMs} ms)");
        await File.AppendAllTextAsync(Artifacts.PathFor("e2e-latency.txt"), $"kubectl-patch-to-tile-ms {latencyMs}\n");
        // The screen cannot change before the patch is applied (beyond what the two clocks' error allows), and must within a second.
        Assert.InRange(latencyMs, -uncertaintyMs, 1_000);

        await Expect(page.Locator("[data-testid=tile-nodes]")).ToHaveAttributeAsync("data-health", "Failed");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Node_page_row_changes_live_and_phone_screenshot_is_saved()
    {
        var page = await OpenAsync("/", 390, 844);
        await Expect(page.Locator("[data-testid=tile-flux-count]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+/\d+$"), new() { Timeout = 30_000 });

        // No horizontal scrolling on the overview at phone width.
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"overview scrolls horizontally by {overflow}px at 390px");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("overview-phone-390x844.png"), FullPage = true });

        await page.GotoAsync(_baseUrl + "/nodes");
        await page.Locator("[data-testid=circuit-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        var row = page.Locator("[data-testid=row-node-mini03]").First;
        await Expect(row).ToHaveAttributeAsync("data-health", "Healthy", new() { Timeout = 30_000 });

        Simulator.Scenarios.Trigger("node-notready");
        // The scenario targets mini02; mini03 stays healthy, mini02 turns Failed.
        await Expect(page.Locator("[data-testid=row-node-mini02]").First).ToHaveAttributeAsync("data-health", "Failed", new() { Timeout = 10_000 });
        await Expect(row).ToHaveAttributeAsync("data-health", "Healthy");
        Simulator.Scenarios.Recover("node-notready");
        await Expect(page.Locator("[data-testid=row-node-mini02]").First).ToHaveAttributeAsync("data-health", "Healthy", new() { Timeout = 10_000 });
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("nodes-phone-390x844.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    private static string? NodeReady(SimulatorHost simulator, string node) =>
        simulator.Cluster.Get(HomeOps.Cluster.Model.Kinds.Node, null, node)?["status"]?["conditions"]?.AsArray()
            .FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Ready")?["status"]?.GetValue<string>();

    /// <summary>The browser's clock against this process's: offset and how well it is known (half the shortest round trip).</summary>
    private sealed record BrowserClock(TimeSpan Offset, TimeSpan Uncertainty)
    {
        public static async Task<BrowserClock> CalibrateAsync(IPage page)
        {
            BrowserClock? best = null;
            for (var i = 0; i < 7; i++)
            {
                var before = DateTimeOffset.UtcNow;
                var browser = DateTimeOffset.FromUnixTimeMilliseconds(await page.EvaluateAsync<long>("() => Date.now()"));
                var after = DateTimeOffset.UtcNow;
                var midpoint = before + (after - before) / 2;
                // Date.now() has millisecond resolution: one more millisecond of doubt.
                var sample = new BrowserClock(browser - midpoint, (after - before) / 2 + TimeSpan.FromMilliseconds(1));
                if (best is null || sample.Uncertainty < best.Uncertainty) best = sample;
            }
            return best!;
        }

        public DateTimeOffset ToLocal(long browserUnixMs) => DateTimeOffset.FromUnixTimeMilliseconds(browserUnixMs) - Offset;
    }

    /// <summary>
    /// Watches a condition in this process from just before an action, and reports the first time it held, bracketed
    /// by the last reading that did not see it.
    /// </summary>
    private sealed class AppliedWatch : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<(DateTimeOffset At, TimeSpan Uncertainty)> _first;

        private AppliedWatch(Func<bool> condition)
        {
            _first = Task.Run(async () =>
            {
                var lastMiss = DateTimeOffset.UtcNow;
                while (true)
                {
                    _stop.Token.ThrowIfCancellationRequested();
                    var reading = DateTimeOffset.UtcNow;   // a miss proves the change came after this reading began
                    if (condition())
                    {
                        var seen = DateTimeOffset.UtcNow;  // a hit proves it came before this
                        return (lastMiss + (seen - lastMiss) / 2, (seen - lastMiss) / 2);
                    }
                    lastMiss = reading;
                    await Task.Delay(2, _stop.Token);
                }
            });
        }

        public static AppliedWatch Start(Func<bool> condition) => new(condition);

        public async Task<(DateTimeOffset At, TimeSpan Uncertainty)> AtAsync() => await _first.WaitAsync(TimeSpan.FromSeconds(10));

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }
}
