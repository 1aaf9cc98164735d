using System.Net;
using System.Net.Http.Headers;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Operations.Audit;
using HomeOps.Simulator.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// From a red HelmRelease to the reason (issue 16), end to end: the simulator's image-pull-fails scenario breaks
/// headlamp/headlamp through an image that cannot be pulled; the real dashboard watches it, and in a real Chromium the
/// HelmRelease's page (the Flux drawer) shows the pod in ImagePullBackOff and its Warning events. Logs: an operator can
/// read them (masked), a viewer cannot, in the UI and through the API.
/// The change timeline's part of this test ("the preceding revision change" on the same page) belongs to the
/// timeline work: it goes in the drawer after the drill-down panel (the seam is marked in Flux.razor).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DrilldownTests(BrowserFixture browser) : IAsyncLifetime
{
    /// <summary>A configured secret (key ends in Token) whose value the simulator's log lines contain: it must be masked.</summary>
    private const string LeakedValue = "heartbeat";

    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() =>
        _dashboard = await SimulatedDashboard.StartAsync(new Dictionary<string, string?> { ["E2E:LeakedToken"] = LeakedValue });

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    private async Task<IPage> OpenFluxAsync(string user)
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, user, "/flux");
        await SignIn.WaitForCircuitAsync(page);
        return page;
    }

    private static async Task<ILocator> OpenHelmReleaseAsync(IPage page, string name)
    {
        var row = page.Locator($"[data-testid=flux-table-helmrelease] [data-testid=row-helmrelease-{name}]").First;
        await Expect(row).ToHaveAttributeAsync("data-health", "Failed", new() { Timeout = 30_000 });
        await row.ClickAsync();
        var panel = page.Locator("[data-testid=detail-drawer] [data-testid=workload-panel]");
        await Expect(panel).ToBeVisibleAsync(new() { Timeout = 10_000 });
        return panel;
    }

    private string FailingPod => _dashboard.Simulator.Cluster.List(Kinds.Pod, "headlamp").Items
        .Select(p => p["metadata"]!["name"]!.GetValue<string>())
        .Single(n => _dashboard.Simulator.Cluster.Get(Kinds.Pod, "headlamp", n)!["status"]!["containerStatuses"]![0]!["state"]!["waiting"] is not null);

    private string HealthyPod(string ns) => _dashboard.Simulator.Cluster.List(Kinds.Pod, ns).Items
        .Select(p => p["metadata"]!["name"]!.GetValue<string>())
        .First(n => _dashboard.Simulator.Cluster.Get(Kinds.Pod, ns, n)!["status"]!["containerStatuses"]![0]!["state"]!["running"] is not null);

    [Fact]
    public async Task The_failing_helm_release_shows_the_pod_in_ImagePullBackOff_and_its_warning_events()
    {
        _dashboard.Simulator.Scenarios.Trigger("image-pull-fails");
        var page = await OpenFluxAsync(IdentityProviderHost.ViewerUsername);
        var panel = await OpenHelmReleaseAsync(page, "headlamp");

        var pod = panel.Locator($"[data-testid=pod-table] [data-testid=row-pod-{FailingPod}]");
        await Expect(pod).ToHaveAttributeAsync("data-health", "Failed", new() { Timeout = 30_000 });
        await Expect(pod).ToContainTextAsync("ImagePullBackOff");
        await Expect(panel.Locator("[data-testid=workload-table] [data-testid=row-deployment-headlamp]")).ToHaveAttributeAsync("data-health", "Failed");

        var warnings = panel.Locator("[data-testid=warning-events]");
        await Expect(warnings).ToContainTextAsync("BackOff", new() { Timeout = 30_000 });
        await Expect(warnings).ToContainTextAsync("Back-off pulling image \"ghcr.io/home-ops/headlamp:0.40.1\"");
        await Expect(warnings).ToContainTextAsync($"Pod/headlamp/{FailingPod}");
        // Only Warnings: the Normal "Pulling" event the scenario also wrote is not kept.
        await Expect(warnings).Not.ToContainTextAsync("Pulling image");
        await Expect(panel.Locator("[data-testid=workload-cause]")).ToContainTextAsync($"Pod headlamp/{FailingPod} ImagePullBackOff — ");

        // A viewer is offered no logs.
        await Expect(panel.Locator("[data-testid=pod-logs-open]")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("drilldown-helmrelease-imagepullbackoff.png"), FullPage = true });

        // Recovery: the pod and its warnings go, live.
        _dashboard.Simulator.Scenarios.Recover("image-pull-fails");
        await Expect(panel.Locator("[data-testid=warning-events]")).ToContainTextAsync("No recent Warning events.", new() { Timeout = 30_000 });
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// The done-when of issue 16: on the failing HelmRelease's page, the pod in ImagePullBackOff, its Warning event and
    /// the preceding revision change (the Renovate bump of the chart, 0.40.0 → 0.40.1) in "what changed in the 30
    /// minutes before this turned red". The timeline's baseline is taken before the scenario (a change needs a before).
    /// </summary>
    [Fact]
    public async Task The_failing_helm_release_shows_the_pod_its_warning_and_the_chart_bump_that_came_before()
    {
        var store = _dashboard.App.Services.GetRequiredService<HomeOps.Cluster.State.ClusterStore>();
        var recorder = _dashboard.App.Services.GetRequiredService<HomeOps.Operations.Timeline.TimelineRecorder>();
        var timeline = _dashboard.App.Services.GetRequiredService<HomeOps.Operations.Timeline.ITimelineLog>();
        var ct = TestContext.Current.CancellationToken;
        await Poll.UntilAsync(() => Task.FromResult(store.Value.Items(Kinds.HelmRelease)
            .Any(h => h.Meta.Name == "headlamp" && h.Verdict.Health == HealthStatus.Healthy)), TimeSpan.FromSeconds(30));
        await recorder.FlushAsync(ct); // the healthy HelmRelease (chart 0.40.0) is the baseline

        _dashboard.Simulator.Scenarios.Trigger("image-pull-fails");
        // The drawer reads the timeline when it opens: wait until the recorder has written the transition.
        await Poll.UntilAsync(async () => (await timeline.QueryAsync(new(Object: "headlamp/headlamp", Category: HomeOps.Operations.Timeline.TimelineCategory.Health), ct))
            .Any(e => e.Kind == "HelmRelease" && e.To == "Failed"), TimeSpan.FromSeconds(30));

        var page = await OpenFluxAsync(IdentityProviderHost.ViewerUsername);
        var panel = await OpenHelmReleaseAsync(page, "headlamp");
        await Expect(panel.Locator($"[data-testid=pod-table] [data-testid=row-pod-{FailingPod}]")).ToContainTextAsync("ImagePullBackOff", new() { Timeout = 30_000 });
        await Expect(panel.Locator("[data-testid=warning-events]")).ToContainTextAsync("Back-off pulling image \"ghcr.io/home-ops/headlamp:0.40.1\"", new() { Timeout = 30_000 });

        var drawer = page.Locator("[data-testid=detail-drawer]");
        await Expect(drawer.Locator("[data-testid=before-red-title]")).ToContainTextAsync("What changed in the 30 minutes before this turned failed");
        var before = drawer.Locator("[data-testid=before-red]");
        var chart = before.Locator("tr.timeline-row[data-category=Chart][data-object='headlamp/headlamp']");
        await Expect(chart).ToContainTextAsync("chart headlamp@0.40.0 → headlamp@0.40.1", new() { Timeout = 10_000 });
        // The Deployment headlamp/headlamp (and its pods, merged under it) may also have a Health row in the window: pick the HelmRelease's.
        await Expect(before.Locator("tr.timeline-row[data-category=Health][data-object='headlamp/headlamp']").Filter(new() { HasText = "HelmRelease" }))
            .ToContainTextAsync("Healthy → Failed (UpgradeFailed)");
        await page.ScreenshotAsync(new() { Path = Artifacts.PathFor("drilldown-helmrelease-before-red.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_operator_reads_a_pods_log_masked_and_sees_why_a_waiting_container_has_none()
    {
        _dashboard.Simulator.Scenarios.Trigger("image-pull-fails");
        var page = await OpenFluxAsync(IdentityProviderHost.AdminUsername);
        var panel = await OpenHelmReleaseAsync(page, "headlamp");

        var healthy = HealthyPod("headlamp");
        await panel.Locator($"[data-testid=row-pod-{healthy}] [data-testid=pod-logs-open]").ClickAsync();
        var lines = panel.Locator("[data-testid=pod-log-lines]");
        await Expect(lines).ToContainTextAsync($"pod=headlamp/{healthy}", new() { Timeout = 30_000 });
        await Expect(lines).ToContainTextAsync("msg=\"*** ");
        await Expect(lines).Not.ToContainTextAsync(LeakedValue);

        await panel.Locator($"[data-testid=row-pod-{FailingPod}] [data-testid=pod-logs-open]").ClickAsync();
        await Expect(panel.Locator("[data-testid=pod-log-error]")).ToContainTextAsync("is waiting to start: trying and failing to pull image", new() { Timeout = 30_000 });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_log_api_refuses_viewers_and_serves_operators_masked_lines()
    {
        var pod = HealthyPod("onepassword-connect");
        var path = $"/api/v1/pods/onepassword-connect/{pod}/log?tailLines=5";
        await Poll.UntilAsync(() => Task.FromResult(_dashboard.App.Services.GetRequiredService<HomeOps.Cluster.State.ClusterStore>()
            .Value.Items(Kinds.Pod).Any(p => p.Meta.Name == pod)), TimeSpan.FromSeconds(30));

        using var viewer = Client(IdentityProviderHost.ViewerUsername);
        var refused = await viewer.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain("pod=", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        using var op = Client(IdentityProviderHost.AdminUsername);
        var served = await op.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await served.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.All(lines, l => Assert.Contains($"pod=onepassword-connect/{pod} msg=\"*** ", l));
        Assert.DoesNotContain(LeakedValue, body);

        var unknown = await op.GetAsync("/api/v1/pods/onepassword-connect/no-such-pod/log", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // Audited: the operator's read (who, which pod, tail, how many lines; never a line of it) and the viewer's
        // refusal (stopped by the policy, audited as every refused request is).
        var audit = _dashboard.App.Services.GetRequiredService<IAuditLog>();
        var reads = await audit.QueryAsync(new AuditQuery(Action: AuditAction.PodLogRead.Name), TestContext.Current.CancellationToken);
        var read = Assert.Single(reads);
        Assert.Equal((IdentityProviderHost.AdminUsername, $"Pod onepassword-connect/{pod}", AuditOutcome.Succeeded), (read.User, read.Target, read.Outcome));
        Assert.Contains("\"mode\":\"tail\"", read.Parameters);
        Assert.Contains("\"tailLines\":5", read.Parameters);
        Assert.DoesNotContain("pod=", read.Parameters + read.Message);
        Assert.DoesNotContain("msg=", read.Parameters + read.Message);
        var refusals = await audit.QueryAsync(new AuditQuery(User: IdentityProviderHost.ViewerUsername, Action: AuditAction.AuthRefused.Name), TestContext.Current.CancellationToken);
        Assert.Contains(refusals, r => r.Target == $"GET /api/v1/pods/onepassword-connect/{pod}/log" && r.Outcome == AuditOutcome.Refused);

        // The same service the page uses refuses a viewer on the server and records the attempt as refused.
        var access = _dashboard.App.Services.GetRequiredService<HomeOps.Dashboard.Services.PodLogAccess>();
        var viewerPrincipal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim("preferred_username", IdentityProviderHost.ViewerUsername), new System.Security.Claims.Claim(HomeOps.Dashboard.Auth.Policies.GroupsClaim, "homeops-viewers")],
            "test", "preferred_username", HomeOps.Dashboard.Auth.Policies.GroupsClaim));
        var denied = await Assert.ThrowsAsync<PodLogException>(() => access.TailAsync(viewerPrincipal, "onepassword-connect", pod, null, 5, TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        var refusedReads = await audit.QueryAsync(new AuditQuery(Action: AuditAction.PodLogRead.Name, Outcome: AuditOutcome.Refused), TestContext.Current.CancellationToken);
        Assert.Contains(refusedReads, r => r.Target == $"Pod onepassword-connect/{pod}" && r.Message == HomeOps.Dashboard.Services.PodLogAccess.OperatorsOnly);
    }

    private HttpClient Client(string user)
    {
        var http = new HttpClient { BaseAddress = new Uri(_dashboard.BaseUrl) };
        var token = _dashboard.Identity.IssueAccessTokenForTests(user, TimeSpan.FromMinutes(10));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
