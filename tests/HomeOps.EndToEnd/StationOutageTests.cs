using System.Text.Json;
using HomeOps.Simulator;

namespace HomeOps.EndToEnd;

/// <summary>
/// Issue 14, station test 1, as real processes: the dashboard on the station configuration (Kubeconfig mode against the
/// simulator, <c>Operations:RunsInCluster=false</c>, strict stand-ins that leave reset nodes in maintenance mode) with
/// the simulator's Kubernetes API reached through a relay that the test stops. While the API is down the live feeds
/// say so (never Healthy and live), and an operator runs a full-cluster safe reset through the JSON API with the
/// API-unreachable override (backup skipped, the reason saying why): the task's own verdict is 3/3 in maintenance, and
/// the run's "node is down" gates, which cannot read live data, neither wait for it nor pass on the stale Ready from
/// before the outage: they are recorded as "not checked (API unreachable, override)" in the step, the run and the audit,
/// and the reset ends Succeeded on the task's own result. Then the API comes back, the feeds see the nodes NotReady, and
/// the bootstrap from the reset checkout runs all six phases to Succeeded. The stand-ins reach the simulated
/// Talos API directly (<c>Operations:StandIns:Kubeconfig</c>), as talosctl does not go through the Kubernetes API.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StationOutageTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "homeops-e2e-station", Guid.NewGuid().ToString("N"));
    private readonly FreezableTcpProxy _api = new();
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync()
    {
        _dashboard = await SimulatedDashboard.StartAsync(StationConfiguration.Settings(_data), fromSimulator: simulator =>
        {
            _api.ForwardTo(new Uri($"http://127.0.0.1:{simulator.KubernetesUri.Port}/"));
            return new Dictionary<string, string?>
            {
                // The dashboard watches the cluster through the relay; the stand-ins act on the simulator directly.
                ["Cluster:Kubeconfig"] = RelayedKubeconfig(simulator),
                ["Operations:StandIns:Kubeconfig"] = simulator.KubeconfigPath,
            };
        });
    }

    private string RelayedKubeconfig(SimulatorHost simulator)
    {
        var direct = $"https://127.0.0.1:{simulator.KubernetesUri.Port}";
        var text = File.ReadAllText(simulator.KubeconfigPath);
        Assert.Contains(direct, text);
        Directory.CreateDirectory(_data);
        var path = Path.Combine(_data, "relayed-kubeconfig.yaml");
        File.WriteAllText(path, text.Replace(direct, $"https://127.0.0.1:{_api.Port}"));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _api.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static readonly string[] WatchedAreas = ["Nodes", "Longhorn", "Flux"];

    private static JsonElement Area(JsonElement health, string area) =>
        health.GetProperty("areas").EnumerateArray().Single(a => a.GetProperty("area").GetString() == area);

    [Fact]
    public async Task With_the_Kubernetes_API_stopped_a_full_safe_reset_runs_with_the_override_and_the_bootstrap_rebuilds_all_six_phases_once_it_is_back()
    {
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "admin", "/");
        var api = new OperationsApi(context, _dashboard.BaseUrl);
        var last = "";

        // Live first: every watched area live, the three nodes Ready.
        await Poll.UntilAsync(async () =>
        {
            var (_, h) = await api.GetAsync("/api/v1/health");
            last = h.ToString();
            return WatchedAreas.All(a => Area(h, a).GetProperty("live").GetBoolean())
                   && Area(h, "Nodes").GetProperty("ok").GetInt32() == 3;
        }, TimeSpan.FromSeconds(60), () => last);

        // The API stops: open watches are cut and new connections refused.
        _api.Disconnect();
        await Poll.UntilAsync(async () =>
        {
            var (status, h) = await api.GetAsync("/api/v1/health");
            Assert.Equal(200, status);
            last = h.ToString();
            return WatchedAreas.All(a => !Area(h, a).GetProperty("live").GetBoolean()
                                         && Area(h, a).GetProperty("freshness").GetString()!.Contains("unreachable", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(90), () => last);

        var parameters = new Dictionary<string, string?>
        {
            ["nodes"] = string.Join(",", StrictStandIns.Nodes),
            ["scope"] = "full-cluster",
            ["backup"] = "skip",
        };
        // The normal pre-flight blocks on the stale data; the override is offered, with its own phrase.
        var (previewStatus, preview) = await api.PostAsync("/api/v1/operations/workflows/cluster:safe-reset/preview", new { parameters });
        Assert.Equal(200, previewStatus);
        Assert.Contains(preview.GetProperty("preflight").GetProperty("items").EnumerateArray(), i => i.GetProperty("severity").GetString() == "Blocking");
        var phrase = preview.GetProperty("apiUnreachableConfirmation").GetString()!;
        Assert.StartsWith("API UNREACHABLE ", phrase);

        const string reason = "station drill: Kubernetes API down, full reset as last resort; backup skipped because it needs the API";
        var (plainStatus, plain) = await api.PostAsync("/api/v1/operations/runs/trigger",
            new { workflowId = "cluster:safe-reset", parameters, reason, confirmation = "SAFE-RESET" });
        Assert.False(plain.GetProperty("accepted").GetBoolean(), $"HTTP {plainStatus}: {plain}");

        var (triggerStatus, triggered) = await api.PostAsync("/api/v1/operations/runs/trigger",
            new { workflowId = "cluster:safe-reset", parameters, reason, confirmation = phrase });
        Assert.True(triggered.GetProperty("accepted").GetBoolean(), $"HTTP {triggerStatus}: {triggered}");
        var resetRun = triggered.GetProperty("runId").GetString()!;

        // The task itself reaches the nodes through the (simulated) Talos API: its own verdict is 3/3 in maintenance.
        JsonElement resetting = default;
        await Poll.UntilAsync(async () =>
        {
            var (_, body) = await api.GetAsync($"/api/v1/operations/runs/{resetRun}");
            resetting = body;
            return Step(body, "reset-all").GetProperty("status").GetString() is not ("Pending" or "Running");
        }, TimeSpan.FromMinutes(4), () => resetting.ToString());
        var resetAll = Step(resetting, "reset-all");
        Assert.True(resetAll.GetProperty("status").GetString() == "Succeeded", resetAll.ToString());
        Assert.Contains("RESET VALIDATION SUCCESSFUL", resetAll.GetProperty("output").GetString());
        Assert.Contains("All 3 nodes are accessible in maintenance mode", resetAll.GetProperty("output").GetString());
        Assert.DoesNotContain(resetting.GetProperty("steps").EnumerateArray(), s => s.GetProperty("key").GetString() == "backup");
        Assert.All(StrictStandIns.Nodes, n => Assert.True(StrictStandIns.InMaintenance(_dashboard.Simulator, n), $"{n} should be in maintenance mode"));
        var audit = (await api.AuditAsync($"runId={resetRun}&action=run.start")).Single();
        Assert.Equal(phrase, audit.GetProperty("confirmation").GetString());
        Assert.Equal(reason, audit.GetProperty("reason").GetString());
        Assert.Contains("API unreachable override", audit.GetProperty("preflightSummary").GetString());

        // Still down after the reset: the feeds keep saying unreachable, and the "node is down" gates neither wait for
        // live data (up to 10 minutes each) nor pass on the stale Ready=True from before the outage: under the override
        // they are recorded as not checked, and the run trusts the task's own validation (3/3 in maintenance, above).
        var reset = await WaitForEndAsync(api, resetRun, TimeSpan.FromMinutes(2));
        Assert.True(reset.GetProperty("status").GetString() == "Succeeded", reset.ToString());
        var (_, during) = await api.GetAsync("/api/v1/health");
        Assert.All(WatchedAreas, a => Assert.False(Area(during, a).GetProperty("live").GetBoolean(), during.ToString()));
        foreach (var n in StrictStandIns.Nodes)
        {
            var down = Step(reset, $"nodes-down@{n}");
            Assert.Equal("Succeeded", down.GetProperty("status").GetString());
            Assert.Contains("not checked (API unreachable, override)", down.GetProperty("message").GetString());
            var gate = Assert.Single(down.GetProperty("gates").EnumerateArray()).GetProperty("result");
            Assert.Equal("Skipped", gate.GetProperty("outcome").GetString());
            Assert.StartsWith("not checked (API unreachable, override): Node data is not live", gate.GetProperty("message").GetString());
        }
        Assert.Contains("3 gate(s) not checked (API unreachable, override)", reset.GetProperty("message").GetString());
        var ended = (await api.AuditAsync($"runId={resetRun}&action=run.start")).Single();
        Assert.Equal("Succeeded", ended.GetProperty("outcome").GetString());
        Assert.Contains("not checked (API unreachable, override)", ended.GetProperty("message").GetString());

        // The API comes back: the feeds go live again and see the nodes in maintenance (NotReady), as they are.
        _api.ForwardTo(new Uri($"http://127.0.0.1:{_dashboard.Simulator.KubernetesUri.Port}/"));
        await Poll.UntilAsync(async () =>
        {
            var (_, h) = await api.GetAsync("/api/v1/health");
            last = h.ToString();
            return WatchedAreas.All(a => Area(h, a).GetProperty("live").GetBoolean()) && Area(h, "Nodes").GetProperty("ok").GetInt32() == 0;
        }, TimeSpan.FromSeconds(90), () => last);

        // The bootstrap from the reset checkout: its markers survived, so after-reset=yes clears them first.
        var (bootStatus, boot) = await api.PostAsync("/api/v1/operations/runs/trigger", new
        {
            workflowId = "bootstrap:phased",
            parameters = new Dictionary<string, string?> { ["after-reset"] = "yes" },
            reason = "station drill: rebuild after the full reset",
            confirmation = "BOOTSTRAP",
        });
        Assert.True(boot.GetProperty("accepted").GetBoolean(), $"HTTP {bootStatus}: {boot}");
        var rebuilt = await WaitForEndAsync(api, boot.GetProperty("runId").GetString()!, TimeSpan.FromMinutes(10));
        Assert.True(rebuilt.GetProperty("status").GetString() == "Succeeded", rebuilt.ToString());
        foreach (var phase in StrictStandIns.Phases)
            Assert.True(Step(rebuilt, phase).GetProperty("status").GetString() == "Succeeded", $"{phase}: {Step(rebuilt, phase)}");
        Assert.All(StrictStandIns.Nodes, n => Assert.False(StrictStandIns.InMaintenance(_dashboard.Simulator, n), $"{n} should be Ready after the rebuild"));
        await Poll.UntilAsync(async () =>
        {
            var (_, h) = await api.GetAsync("/api/v1/health");
            last = h.ToString();
            return Area(h, "Nodes").GetProperty("live").GetBoolean() && Area(h, "Nodes").GetProperty("ok").GetInt32() == 3;
        }, TimeSpan.FromSeconds(60), () => last);
        await context.CloseAsync();
    }

    private static JsonElement Step(JsonElement run, string key) =>
        run.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("key").GetString() == key);

    /// <summary>Polls the run through the API until it is no longer pending, running or awaiting confirmation.</summary>
    internal static async Task<JsonElement> WaitForEndAsync(OperationsApi api, string runId, TimeSpan timeout)
    {
        JsonElement run = default;
        await Poll.UntilAsync(async () =>
        {
            var (status, body) = await api.GetAsync($"/api/v1/operations/runs/{runId}");
            Assert.Equal(200, status);
            run = body;
            return body.GetProperty("status").GetString() is not ("Pending" or "Running" or "AwaitingConfirmation");
        }, timeout, () => run.ToString());
        return run;
    }
}
