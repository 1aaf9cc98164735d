using System.Collections.Concurrent;
using System.Text.Json;
using HomeOps.Cluster.Model;
using k8s;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// Step-up sign-in for destructive runs (issue 4), in a real Chromium against the simulator's identity provider: an
/// admin whose sign-in is older than <c>Auth:StepUpMaxAge</c> is refused by the server (API, audited) and, in the page,
/// is sent to sign in again with <c>prompt=login</c> and <c>max_age=0</c>, comes back to the same choices, and can run.
/// The max age is tiny so the session goes stale while the test waits for exactly that time to pass.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StepUpTests(BrowserFixture browser) : IAsyncLifetime
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(20);
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync(new Dictionary<string, string?>
    {
        ["Auth:StepUpMaxAge"] = MaxAge.ToString(),
        ["Operations:StandIns:Enabled"] = "true",
        ["Operations:StandIns:Pace"] = "0.5",
    });

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    private static ILocator Field(IPage page, string testId) => MudFields.Input(page, testId);

    [Fact]
    public async Task A_stale_admin_is_refused_by_the_server_and_stepped_up_by_the_page_then_can_run()
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var authorizeRequests = new ConcurrentQueue<string>();
        page.Request += (_, r) => { if (r.Url.Contains("/application/o/authorize", StringComparison.Ordinal)) authorizeRequests.Enqueue(r.Url); };

        await SignIn.AsAsync(page, _dashboard, "admin", "/operations/safe-reset");
        var signedInBy = DateTimeOffset.UtcNow;
        await SignIn.WaitForCircuitAsync(page);
        Assert.DoesNotContain(authorizeRequests, u => u.Contains("prompt=login", StringComparison.Ordinal)); // the first sign-in is a plain one

        // The condition is time itself: auth_time (whole seconds, not later than the sign-in) is older than the max age.
        var staleAt = signedInBy + MaxAge + TimeSpan.FromSeconds(1.5);
        if (staleAt > DateTimeOffset.UtcNow) await Task.Delay(staleAt - DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);

        // The server is the check: with the old session, both the two-step confirm and the one-call trigger are refused and audited.
        var api = new OperationsApi(context, _dashboard.BaseUrl);
        var created = await api.PostAsync("/api/v1/operations/runs", new { workflowId = "cluster:safe-reset", parameters = new { nodes = "mini02" }, reason = "e2e step-up" });
        Assert.Equal(200, created.Status);
        var pendingId = created.Body.GetProperty("runId").GetString()!;
        var confirm = await api.PostAsync($"/api/v1/operations/runs/{pendingId}/confirm", new { confirmation = "SAFE-RESET", reason = "e2e step-up" });
        Assert.Equal(409, confirm.Status);
        Assert.Contains(confirm.Body.GetProperty("problems").EnumerateArray(), p => p.GetString()!.StartsWith("step-up sign-in required", StringComparison.Ordinal));
        var trigger = await api.PostAsync("/api/v1/operations/runs/trigger",
            new { workflowId = "cluster:safe-reset", parameters = new { nodes = "mini02" }, reason = "e2e step-up", confirmation = "SAFE-RESET" });
        Assert.Equal(409, trigger.Status);
        var refusals = await api.AuditAsync("action=run.start&outcome=Refused&user=admin");
        Assert.Contains(refusals, e => e.GetProperty("runId").GetString() == pendingId && e.GetProperty("message").GetString()!.Contains("step-up sign-in required"));
        Assert.Equal(2, refusals.Count(e => e.GetProperty("message").GetString()!.Contains("step-up sign-in required")));
        Assert.Equal("True", ReadyOf("mini02"));

        // In the page: choosing mini02 and asking to run sends the browser to the provider for a fresh sign-in.
        authorizeRequests.Clear();
        await page.Locator("[data-testid=pick-node-mini02] input").CheckAsync();
        await Expect(page.Locator("[data-testid=preflight]")).ToHaveAttributeAsync("data-blocked", "False", new() { Timeout = 15_000 });
        await page.Locator("[data-testid=launch-run]").ClickAsync();
        await page.Locator("input[name=username]").WaitForAsync(new() { Timeout = 30_000 });
        var stepUp = Assert.Single(authorizeRequests);
        Assert.Contains("prompt=login", stepUp);
        Assert.Contains("max_age=0", stepUp);
        Assert.Equal(0, await page.Locator("[data-testid=confirm-run]").CountAsync());

        await SignIn.SubmitLoginFormAsync(page, _dashboard, "admin");
        await page.WaitForURLAsync(u => u.StartsWith(_dashboard.BaseUrl + "/operations/safe-reset", StringComparison.Ordinal), new() { Timeout = 30_000 });
        Assert.Contains("nodes=mini02", page.Url);
        await SignIn.WaitForCircuitAsync(page);
        var tripsSoFar = authorizeRequests.Count; // the provider resumes its authorize request after the login form

        // Back with the same choice; now fresh, the typed confirmation opens and the run starts.
        await Expect(page.Locator("[data-testid=pick-node-mini02] input")).ToBeCheckedAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("[data-testid=preflight]")).ToHaveAttributeAsync("data-blocked", "False", new() { Timeout = 15_000 });
        await page.Locator("[data-testid=launch-run]").ClickAsync();
        await Field(page, "confirm-phrase-input").FillAsync("SAFE-RESET", new() { Timeout = 10_000 });
        await Field(page, "confirm-reason-input").FillAsync("e2e step-up, now fresh");
        var confirmButton = page.Locator("[data-testid=confirm-run]");
        await Expect(confirmButton).ToBeEnabledAsync(new() { Timeout = 10_000 });
        await confirmButton.ClickAsync();
        var monitor = page.Locator("[data-testid=run-monitor]");
        await Expect(monitor).ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.Equal(tripsSoFar, authorizeRequests.Count); // fresh now: no second trip to the provider
        var runId = await monitor.GetAttributeAsync("data-run-id");
        await Expect(page.Locator("[data-testid=launch-refused]")).ToHaveCountAsync(0);

        var started = await api.AuditAsync($"runId={runId}&action=run.start");
        var entry = Assert.Single(started);
        Assert.NotEqual("Refused", entry.GetProperty("outcome").GetString());
        Assert.Equal("e2e step-up, now fresh", entry.GetProperty("reason").GetString());

        // The audit sink puts the run on record on the node itself, as a Kubernetes Event readable through the API.
        using var kube = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_dashboard.Simulator.KubeconfigPath));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        k8s.Models.Corev1Event? onNode = null;
        while (onNode is null)
        {
            var events = await kube.CoreV1.ListNamespacedEventAsync("default", cancellationToken: TestContext.Current.CancellationToken);
            onNode = events.Items.FirstOrDefault(e => e.InvolvedObject.Kind == "Node" && e.InvolvedObject.Name == "mini02" && e.Message.Contains(runId!, StringComparison.Ordinal));
            if (onNode is null && DateTime.UtcNow > deadline) Assert.Fail("no audit Event on node mini02 for run " + runId);
            if (onNode is null) await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Equal("HomeOpsAction", onNode.Reason);
        Assert.StartsWith("admin run.start cluster:safe-reset mini02", onNode.Message);
        Assert.DoesNotContain("SAFE-RESET", onNode.Message);
        await context.CloseAsync();
    }

    private string ReadyOf(string node) =>
        _dashboard.Simulator.Cluster.Get(Kinds.Node, null, node)!["status"]!["conditions"]!.AsArray()
            .First(c => c!["type"]!.GetValue<string>() == "Ready")!["status"]!.GetValue<string>();
}
