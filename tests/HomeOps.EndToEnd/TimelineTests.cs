using HomeOps.Cluster.Model;
using HomeOps.Operations.Timeline;
using HomeOps.Simulator.Identity;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// The /timeline page streams new entries (issue 16): with the page already open in a real Chromium, a simulated node
/// going NotReady is recorded and appears on the page without a reload; its recovery follows.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TimelineTests(BrowserFixture browser) : IAsyncLifetime
{
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync();

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task A_transition_after_the_page_opened_appears_live()
    {
        var store = _dashboard.App.Services.GetRequiredService<HomeOps.Cluster.State.ClusterStore>();
        var recorder = _dashboard.App.Services.GetRequiredService<TimelineRecorder>();
        await Poll.UntilAsync(() => Task.FromResult(store.Value.Items(Kinds.Node)
            .Any(n => n.Meta.Name == "mini02" && n.Verdict.Health == HealthStatus.Healthy)), TimeSpan.FromSeconds(30));
        await recorder.FlushAsync(TestContext.Current.CancellationToken); // the healthy node is the baseline

        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, IdentityProviderHost.ViewerUsername, "/timeline");
        await SignIn.WaitForCircuitAsync(page);
        var node = page.Locator("[data-testid=timeline-table] tr.timeline-row[data-category=Health][data-object=mini02]");
        await Expect(node).ToHaveCountAsync(0);

        _dashboard.Simulator.Scenarios.Trigger("node-notready");
        await Expect(node.First).ToContainTextAsync("Healthy → Failed", new() { Timeout = 30_000 });

        _dashboard.Simulator.Scenarios.Recover("node-notready");
        await Expect(node.Filter(new() { HasText = "→ Healthy" })).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("timeline-live.png"), FullPage = true });
        await context.CloseAsync();
    }
}
