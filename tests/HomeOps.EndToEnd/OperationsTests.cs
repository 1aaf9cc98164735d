using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// Guarded operations end to end (issue 4): a real Chromium signed in through the simulator's identity provider, the
/// real dashboard, and the simulator's stand-in tools started as real processes by the workflow runner. The admin
/// safe-resets mini02 and watches it go NotReady and come back; the audit page has the run; a viewer gets no control
/// and is refused (and audited) by the endpoint.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OperationsTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "homeops-e2e-ops", Guid.NewGuid().ToString("N"));
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync(new Dictionary<string, string?>
    {
        // Its own database and stand-ins: parallel dashboards never share runs or the lock.
        ["Operations:DataDirectory"] = _data,
        // The test's simulator runs outside the dashboard (Kubeconfig mode): turn the stand-ins on explicitly.
        ["Operations:StandIns:Enabled"] = "true",
        ["Operations:StandIns:Pace"] = "0.5",
    });

    public async ValueTask DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        return await context.NewPageAsync();
    }

    private static ILocator Field(IPage page, string testId) => MudFields.Input(page, testId);

    [Fact]
    public async Task Admin_safe_resets_mini02_watches_it_leave_and_return_and_the_audit_page_shows_the_run()
    {
        var page = await NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "admin", "/operations/safe-reset");
        await SignIn.WaitForCircuitAsync(page);
        var mini02 = page.Locator("[data-testid=live-node-mini02]");
        await Expect(mini02).ToHaveAttributeAsync("data-ready", "True", new() { Timeout = 30_000 });

        // Choose mini02 from the live list: the pre-flight is computed and shown before anything runs.
        await page.Locator("[data-testid=pick-node-mini02] input").CheckAsync();
        await Expect(page.Locator("[data-testid=preflight]")).ToHaveAttributeAsync("data-blocked", "False", new() { Timeout = 15_000 });
        await Expect(page.Locator("[data-testid=preflight-warning]").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=preflight]")).ToContainTextAsync("--graceful=false");

        // On a phone the picker and the blast radius fit the screen.
        await page.SetViewportSizeAsync(390, 844);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the safe-reset page scrolls horizontally by {overflow}px at 390px");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("safe-reset-preflight-phone-390x844.png"), FullPage = true });
        await page.SetViewportSizeAsync(1280, 900);

        // The typed confirmation: the button stays disabled until the exact phrase and a reason are there.
        await page.Locator("[data-testid=launch-run]").ClickAsync();
        var confirm = page.Locator("[data-testid=confirm-run]");
        await Expect(confirm).ToBeDisabledAsync(new() { Timeout = 10_000 });
        await Field(page, "confirm-phrase-input").FillAsync("safe-reset");
        await Field(page, "confirm-reason-input").FillAsync("e2e: mini02 reset drill");
        await Expect(confirm).ToBeDisabledAsync();
        await Field(page, "confirm-phrase-input").FillAsync("SAFE-RESET");
        await Expect(confirm).ToBeEnabledAsync(new() { Timeout = 10_000 });
        await confirm.ClickAsync();

        // The run starts; mini02 goes NotReady live, the run succeeds, and mini02 comes back Ready live.
        await Expect(page.Locator("[data-testid=run-monitor]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(mini02).ToHaveAttributeAsync("data-ready", "False", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=run-monitor]")).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-testid=run-log-reset]")).ToContainTextAsync("PARTIAL RESET SUCCESS");
        await Expect(mini02).ToHaveAttributeAsync("data-ready", "True", new() { Timeout = 60_000 });
        var runId = await page.Locator("[data-testid=run-monitor]").GetAttributeAsync("data-run-id");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("safe-reset-mini02.png"), FullPage = true });

        // The audit page has the run: who, the action, the outcome.
        await page.GotoAsync(_dashboard.BaseUrl + "/operations/audit");
        await SignIn.WaitForCircuitAsync(page);
        var row = page.Locator($"tr.audit-row[data-action='run.start'][data-run-id='{runId}']");
        await Expect(row).ToHaveAttributeAsync("data-outcome", "Succeeded", new() { Timeout = 15_000 });
        await Expect(row).ToHaveAttributeAsync("data-user", "admin");
        await Expect(row).ToContainTextAsync("e2e: mini02 reset drill");

        // The CSV export (a plain download through the same session) carries it too.
        var csv = await page.Context.APIRequest.GetAsync(_dashboard.BaseUrl + "/api/v1/audit?format=csv&action=run.start");
        Assert.Equal(200, csv.Status);
        Assert.Contains(runId!, await csv.TextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Viewer_sees_no_control_and_is_refused_by_the_endpoint_and_the_refusal_is_audited()
    {
        var page = await NewPageAsync(390, 844);
        await SignIn.AsAsync(page, _dashboard, "viewer", "/operations/safe-reset");
        await SignIn.WaitForCircuitAsync(page);
        await Expect(page.Locator("[data-testid=operators-only]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.Equal(0, await page.Locator("[data-testid=launch-run], [data-testid=launch-form], [data-testid^=pick-node-]").CountAsync());

        await page.GotoAsync(_dashboard.BaseUrl + "/flux");
        await SignIn.WaitForCircuitAsync(page);
        await Expect(page.Locator("tr.resource-row").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.Equal(0, await page.Locator("[data-testid^=flux-actions-]").CountAsync());

        // Phone-sized: the operations pages never scroll sideways.
        foreach (var path in new[] { "/operations", "/operations/bootstrap", "/operations/safe-reset", "/operations/audit" })
        {
            await page.GotoAsync(_dashboard.BaseUrl + path);
            await SignIn.WaitForCircuitAsync(page);
            await Expect(page.Locator("h1").First).ToBeVisibleAsync();
            Assert.Equal(0, await page.Locator("[data-testid=bootstrap-start], [data-testid=phase-resume], [data-testid=phase-force]").CountAsync());
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{path} scrolls horizontally by {overflow}px at 390px");
        }
        await page.GotoAsync(_dashboard.BaseUrl + "/operations/bootstrap");
        await SignIn.WaitForCircuitAsync(page);
        await Expect(page.Locator("[data-testid=phase-phase-3]")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("bootstrap-wizard-phone-390x844.png"), FullPage = true });

        // Hiding is not the check: the endpoint refuses the viewer's own session.
        var response = await page.Context.APIRequest.PostAsync(_dashboard.BaseUrl + "/api/v1/operations/runs/trigger", new()
        {
            DataObject = new { workflowId = "cluster:safe-reset", parameters = new { nodes = "mini02" }, reason = "not allowed", confirmation = "SAFE-RESET" },
        });
        Assert.Equal(403, response.Status);
        Assert.Equal("True", _dashboard.Simulator.Cluster.Get(HomeOps.Cluster.Model.Kinds.Node, null, "mini02")!["status"]!["conditions"]!.AsArray()
            .First(c => c!["type"]!.GetValue<string>() == "Ready")!["status"]!.GetValue<string>());

        var audit = await page.Context.APIRequest.GetAsync(_dashboard.BaseUrl + "/api/v1/audit?format=json&action=auth.refused&user=viewer");
        Assert.Equal(200, audit.Status);
        using var entries = JsonDocument.Parse(await audit.TextAsync());
        Assert.Contains(entries.RootElement.EnumerateArray(), e =>
            e.GetProperty("target").GetString() == "POST /api/v1/operations/runs/trigger" && e.GetProperty("outcome").GetString() == "Refused");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Admin_reconciles_from_the_flux_page_and_suspends_through_the_api_and_both_show_live()
    {
        var page = await NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "admin", "/flux");
        await SignIn.WaitForCircuitAsync(page);
        var row = page.Locator("[data-testid=row-kustomization-flux-system]");
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var before = await row.Locator("td[data-label=Revision]").InnerTextAsync();

        // The row menu: reconcile with source; the simulated Flux controllers fetch a new commit and apply it.
        await page.Locator("[data-testid=flux-actions-kustomization-flux-system] button").ClickAsync();
        await page.Locator("[data-testid=flux-action-reconcile-with-source]").ClickAsync();
        await Expect(row.Locator("td[data-label=Revision]")).Not.ToHaveTextAsync(before, new() { Timeout = 30_000 });

        // The API, with the session cookie: a state-changing call needs the antiforgery header.
        var url = _dashboard.BaseUrl + "/api/v1/flux/Kustomization/flux-system/flux-system/suspend";
        var withoutToken = await page.Context.APIRequest.PostAsync(url, new() { DataObject = new { reason = "e2e freeze" } });
        Assert.Equal(400, withoutToken.Status);
        using var token = JsonDocument.Parse(await (await page.Context.APIRequest.GetAsync(_dashboard.BaseUrl + "/api/v1/antiforgery")).TextAsync());
        var suspended = await page.Context.APIRequest.PostAsync(url, new()
        {
            DataObject = new { reason = "e2e freeze" },
            Headers = new Dictionary<string, string> { [token.RootElement.GetProperty("header").GetString()!] = token.RootElement.GetProperty("token").GetString()! },
        });
        Assert.Equal(200, suspended.Status);
        await Expect(row.Locator("[data-testid=suspended]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("[data-testid=flux-actions-kustomization-flux-system]")).ToBeVisibleAsync();

        var audit = await page.Context.APIRequest.GetAsync(_dashboard.BaseUrl + "/api/v1/audit?format=json&user=admin");
        using var entries = JsonDocument.Parse(await audit.TextAsync());
        var actions = entries.RootElement.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("flux.reconcile-with-source", actions);
        Assert.Contains("flux.suspend", actions);
        await page.Context.CloseAsync();
    }
    [Fact]
    public async Task A_flux_action_the_API_cannot_carry_out_answers_502_with_the_reason_and_is_audited_as_failed()
    {
        var page = await NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "admin", "/flux");
        await SignIn.WaitForCircuitAsync(page);
        var api = new OperationsApi(page.Context, _dashboard.BaseUrl);

        // An object that does not exist is a refusal (409): nothing to patch.
        var missing = await api.PostAsync("/api/v1/flux/Kustomization/flux-system/no-such-kustomization/reconcile", new { });
        Assert.Equal(409, missing.Status);
        Assert.False(missing.Body.GetProperty("failed").GetBoolean());
        Assert.Contains("does not exist", missing.Body.GetProperty("message").GetString());

        // The API server goes away: the action is allowed but cannot be carried out → 502 with the reason, never a stack trace.
        await _dashboard.Simulator.DisposeAsync();
        var down = await api.PostAsync("/api/v1/flux/Kustomization/flux-system/flux-system/suspend", new { reason = "e2e: the API is down" });
        Assert.Equal(502, down.Status);
        Assert.True(down.Body.GetProperty("failed").GetBoolean());
        var message = down.Body.GetProperty("message").GetString()!;
        Assert.Contains("unreachable", message);
        Assert.DoesNotContain("   at ", down.Body.GetRawText());

        var failed = await api.AuditAsync("action=flux.suspend&outcome=Failed&user=admin");
        var entry = Assert.Single(failed);
        Assert.Equal(("e2e: the API is down", message), (entry.GetProperty("reason").GetString(), entry.GetProperty("message").GetString()));
        await page.Context.CloseAsync();
    }
}
