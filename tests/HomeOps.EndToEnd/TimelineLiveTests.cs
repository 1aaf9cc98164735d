using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>The change timeline end to end: a node goes NotReady in the simulator and the open /timeline page shows the transition without reload.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TimelineLiveTests(BrowserFixture browser) : IAsyncLifetime
{
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync();

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task A_node_going_NotReady_appears_live_on_the_open_timeline()
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "viewer", "/timeline");
        await SignIn.WaitForCircuitAsync(page);
        await Expect(page.Locator("[data-testid=timeline-table]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        // The dashboard has seen the nodes (the recorder's baseline) before the change.
        var overview = await context.NewPageAsync();
        await overview.GotoAsync(_dashboard.BaseUrl + "/");
        await Expect(overview.Locator("[data-testid=tile-nodes-count]")).ToHaveTextAsync("3/3", new() { Timeout = 30_000 });
        await overview.CloseAsync();
        var row = page.Locator("tr.timeline-row[data-category=Health][data-object=mini02]");
        Assert.Equal(0, await row.CountAsync());

        var patch = """{"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady","message":"container runtime is down","lastHeartbeatTime":"2026-11-25T00:00:00Z","lastTransitionTime":"2026-11-25T00:00:00Z"}]}}""";
        var (code, _, stderr) = await Kubectl.RunAsync(_dashboard.Simulator.KubeconfigPath,
            "patch", "node", "mini02", "--subresource=status", "--type=merge", "-p", patch);
        Assert.True(code == 0, $"kubectl patch failed: {stderr}");

        await Expect(row).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Expect(row).ToContainTextAsync("Healthy → Failed");
        await Expect(row).ToHaveAttributeAsync("data-seen-at-start", "false");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("timeline-live.png"), FullPage = true });
        await context.CloseAsync();
    }
}
