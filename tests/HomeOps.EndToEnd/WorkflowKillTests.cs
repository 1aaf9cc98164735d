using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using HomeOps.Cluster.Model;
using HomeOps.Simulator;
using HomeOps.Simulator.Identity;
using HomeOps.Simulator.OpsCommands;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// Issue 7, workflows: the dashboard process is killed (SIGKILL, its whole process tree) while a step of a destructive
/// run is running, then started again on the same data directory. The run is Interrupted with its log and audit intact,
/// the lock is free (another destructive run starts and finishes), and the run resumes from the interrupted step: the
/// stand-in tools' own record of invocations proves the completed step did not run again. The cluster (the simulator)
/// and the identity provider live in the test and outlive both dashboard processes, as a real cluster would.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class WorkflowKillTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Mini01 = "172.29.51.11";
    private const string Mini02 = "172.29.51.12";
    private const string Mini03 = "172.29.51.13";
    private const string AllNodes = "mini01, mini02, mini03";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "homeops-e2e-kill", Guid.NewGuid().ToString("N"));
    private SimulatorHost _simulator = null!;
    private IdentityProviderHost _identity = null!;

    private string InvocationDirectory => Path.Combine(_data, "standins", "logs");

    public async ValueTask InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Scenarios = { Enabled = false } });
        _identity = await IdentityProviderHost.StartAsync(new IdentityProviderOptions());
    }

    public async ValueTask DisposeAsync()
    {
        await _identity.DisposeAsync();
        await _simulator.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task A_run_killed_mid_step_comes_back_interrupted_intact_and_resumable_and_completed_steps_never_run_twice()
    {
        // 1. First dashboard: mini02's reboot is held before it acts, so the kill lands while that step is running.
        var firstTree = Guid.NewGuid().ToString("N");
        await using var first = DashboardProcess.Start(Environment(firstTree, holdMatch: $"reboot --nodes {Mini02}"));
        var (runId, startAuditId, held) = await TriggerHeldRebootAsync(first);

        // 2. SIGKILL the whole tree: the dashboard and the step's stand-in process.
        var tree = ProcessTree.Marked(firstTree);
        Assert.Contains(held.Pid, tree);
        Assert.True(tree.Count >= 2, $"expected the dashboard and its step's child, found {string.Join(",", tree)}");
        await ProcessTree.KillAsync(tree);
        await Until(() => Task.FromResult(tree.All(ProcessTree.IsGone)),
            "every process of the killed tree to be gone (a survivor would still be acting on the cluster)", null, seconds: 15);
        Assert.Empty(ProcessTree.Marked(firstTree));
        Assert.DoesNotContain(InvocationRecord.Read(InvocationDirectory), l => l.Event == "end" && l.Pid == held.Pid); // killed, never finished
        Output("killed pids " + string.Join(",", tree) + "; first dashboard output:\n" + first.Output);

        // 3. Second dashboard on the same data directory, no hold.
        var secondTree = Guid.NewGuid().ToString("N");
        await using var second = DashboardProcess.Start(Environment(secondTree, holdMatch: null));
        var (url2, page2, api2) = await SignedInAsync(second);
        var interrupted = await RunAsync(api2, runId);
        Assert.Equal("Interrupted", interrupted.Status);
        var done = Step(interrupted, "reboot@mini01");
        Assert.Equal(("Succeeded", 1), (done.Status, done.Attempts));
        Assert.Contains($"{Mini01}: post check passed", done.Output);
        var cut = Step(interrupted, "reboot@mini02");
        Assert.Equal("Interrupted", cut.Status);
        Assert.Contains("[simulator] holding", cut.Output);
        Assert.Equal("Pending", Step(interrupted, "reboot@mini03").Status);
        // The run page says so too, with the completed step's log.
        await page2.GotoAsync($"{url2}/operations/runs/{runId}");
        await SignIn.WaitForCircuitAsync(page2);
        await Expect(page2.Locator("[data-testid=run-monitor]")).ToHaveAttributeAsync("data-status", "Interrupted", new() { Timeout = 15_000 });
        await Expect(page2.Locator("[data-testid='run-step-reboot@mini02']")).ToHaveAttributeAsync("data-status", "Interrupted");
        await Expect(page2.Locator("[data-testid='run-log-reboot@mini01']")).ToContainTextAsync("post check passed");
        await page2.ScreenshotAsync(new() { Path = Artifacts.PathFor("run-interrupted-after-kill.png"), FullPage = true });
        var startEntry = Assert.Single(await api2.AuditAsync($"runId={runId}&action=run.start"));
        Assert.Equal(startAuditId, startEntry.GetProperty("id").GetInt64());
        Assert.Equal("Interrupted", startEntry.GetProperty("outcome").GetString());
        Assert.Equal("e2e: kill drill", startEntry.GetProperty("reason").GetString());

        // 4. The lock died with the process: another destructive run starts and finishes.
        var other = await api2.PostAsync("/api/v1/operations/runs/trigger",
            new { workflowId = "cluster:safe-reboot", parameters = new { nodes = "mini03" }, reason = "e2e: the lock is free", confirmation = "mini03" });
        Assert.True(other.Status == 200, $"a new destructive run was refused ({other.Status}): {other.Body}");
        var otherId = other.Body.GetProperty("runId").GetString()!;
        await Until(async () => (await RunAsync(api2, otherId)).Status == "Succeeded", "the second destructive run to succeed", second);

        // 5. Resume: from the interrupted step; the completed one is not run again.
        var resume = await api2.PostAsync($"/api/v1/operations/runs/{runId}/resume", new { reason = "e2e: resume after the crash", confirmation = AllNodes });
        Assert.True(resume.Status == 200, $"resume answered {resume.Status}: {resume.Body}");
        await Until(async () => (await RunAsync(api2, runId)).Status == "Succeeded", "the resumed run to succeed", second);
        var finished = await RunAsync(api2, runId);
        Assert.Equal(1, Step(finished, "reboot@mini01").Attempts);
        Assert.Contains($"{Mini01}: post check passed", Step(finished, "reboot@mini01").Output);

        var starts = Starts();
        Output("invocations:\n" + string.Join("\n", starts.Select(s => $"{s.At:HH:mm:ss.fff} pid {s.Pid} {s.Tool} {string.Join(' ', s.Args!)}")));
        Assert.Equal(1, starts.Count(s => s.Args!.Contains(Mini01)));   // completed before the kill: never again
        Assert.Equal(2, starts.Count(s => s.Args!.Contains(Mini02)));   // killed while held, then run on resume
        Assert.Equal(2, starts.Count(s => s.Args!.Contains(Mini03)));   // the lock check's run, then the resumed run
        Assert.Contains(await api2.AuditAsync($"runId={runId}&action=run.resume"), e => e.GetProperty("outcome").GetString() == "Succeeded");
        Assert.Equal("True", ReadyOf("mini02"));
    }

    /// <summary>
    /// Issue 7, the other half of a crash: on a plain host (not a pod) SIGKILL takes only the dashboard; its step's
    /// process lives on, reparented, and would act on the cluster once its hold ends. The next dashboard must not claim
    /// that process went away: at startup it finds exactly that process (pid + start time), kills its tree, says so in
    /// the step's log and the audit, and only then is the run resumable.
    /// </summary>
    [Fact]
    public async Task When_only_the_dashboard_is_killed_its_surviving_step_process_is_killed_at_restart_and_recorded()
    {
        var firstTree = Guid.NewGuid().ToString("N");
        await using var first = DashboardProcess.Start(Environment(firstTree, holdMatch: $"reboot --nodes {Mini02}"));
        var (runId, _, held) = await TriggerHeldRebootAsync(first);

        // 2. SIGKILL the dashboard alone: the held talosctl stand-in (the step's process) survives it.
        var dashboard = Assert.Single(ProcessTree.Marked(firstTree), pid => ParentOf(pid) == System.Environment.ProcessId);
        Assert.NotEqual(held.Pid, dashboard);
        await ProcessTree.KillAsync([dashboard]);
        await Until(() => Task.FromResult(ProcessTree.IsGone(dashboard)), "the dashboard process to be gone", null, seconds: 15);
        Assert.False(ProcessTree.IsGone(held.Pid), "precondition: the step's process outlived the dashboard");

        // 3. Second dashboard on the same data directory: its startup recovery runs before it listens.
        await using var second = DashboardProcess.Start(Environment(Guid.NewGuid().ToString("N"), holdMatch: null));
        var (_, _, api2) = await SignedInAsync(second);
        Output("second dashboard output:\n" + second.Output);
        Assert.True(ProcessTree.IsGone(held.Pid), $"the orphaned step process {held.Pid} must be killed at recovery");
        Assert.Empty(ProcessTree.Marked(firstTree));
        Assert.DoesNotContain(InvocationRecord.Read(InvocationDirectory), l => l.Event == "end" && l.Pid == held.Pid); // never acted
        Assert.Equal("True", ReadyOf("mini02"));

        var interrupted = await RunAsync(api2, runId);
        Assert.Equal("Interrupted", interrupted.Status);
        var cut = Step(interrupted, "reboot@mini02");
        Assert.Equal("Interrupted", cut.Status);
        Assert.Contains($"its process (pid {held.Pid}) was still running and was killed at recovery", cut.Message);
        Assert.Contains("[simulator] holding", cut.Output);
        Assert.Contains($"recovery: orphaned step process pid {held.Pid} ($ talosctl reboot --nodes {Mini02}", cut.Output);
        var recovered = Assert.Single(await api2.AuditAsync($"runId={runId}&action=run.recover-orphan"));
        Assert.Equal(("Succeeded", "system"), (recovered.GetProperty("outcome").GetString(), recovered.GetProperty("user").GetString()));

        // 4. Resume: from the interrupted step; mini01 is not rebooted again.
        var resume = await api2.PostAsync($"/api/v1/operations/runs/{runId}/resume", new { reason = "e2e: resume after the orphan was killed", confirmation = AllNodes });
        Assert.True(resume.Status == 200, $"resume answered {resume.Status}: {resume.Body}");
        await Until(async () => (await RunAsync(api2, runId)).Status == "Succeeded", "the resumed run to succeed", second);
        var starts = Starts();
        Assert.Equal(1, starts.Count(s => s.Args!.Contains(Mini01)));
        Assert.Equal(2, starts.Count(s => s.Args!.Contains(Mini02)));   // the orphan (killed before acting), then the resume
    }

    /// <summary>Signs in to <paramref name="first"/>, triggers a safe reboot of all nodes and waits until mini02's reboot is held, running.</summary>
    private async Task<(string RunId, long StartAuditId, InvocationRecord.Line Held)> TriggerHeldRebootAsync(DashboardProcess first)
    {
        var (_, _, api1) = await SignedInAsync(first);
        var trigger = await api1.PostAsync("/api/v1/operations/runs/trigger",
            new { workflowId = "cluster:safe-reboot", parameters = new { nodes = "mini01,mini02,mini03" }, reason = "e2e: kill drill", confirmation = AllNodes });
        Assert.True(trigger.Status == 200, $"trigger answered {trigger.Status}: {trigger.Body}");
        var runId = trigger.Body.GetProperty("runId").GetString()!;
        var startAuditId = trigger.Body.GetProperty("auditId").GetInt64();

        await Until(async () =>
        {
            var run = await RunAsync(api1, runId);
            return Step(run, "reboot@mini01").Status == "Succeeded" && Step(run, "reboot@mini02") is { Status: "Running" } s && s.Output.Contains("[simulator] holding");
        }, "reboot@mini01 done and reboot@mini02 running (its held output stored)", first);
        var held = Assert.Single(Starts(), s => s.Args!.Contains(Mini02));
        Assert.Equal("True", ReadyOf("mini02")); // held before acting: nothing half-done in the cluster
        return (runId, startAuditId, held);
    }

    /// <summary>Field 4 (ppid) of /proc/PID/stat, counted from the last ')' (the command name may hold spaces); 0 when unreadable.</summary>
    private static int ParentOf(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 1 && int.TryParse(fields[1], out var ppid) ? ppid : 0;
        }
        catch (IOException) { return 0; }
    }

    private Dictionary<string, string> Environment(string treeMarker, string? holdMatch)
    {
        var env = HomeOps.Testing.DashboardAppProcess.PointedAt(_simulator, _identity, _data);
        env[ProcessTree.MarkerVariable] = treeMarker;
        // Step processes inherit only an allowlist of the dashboard's environment: the marker is passed on by name.
        env["Operations__InheritEnvironment__0"] = ProcessTree.MarkerVariable;
        env["Operations__StandIns__Enabled"] = "true";
        env["Operations__StandIns__Pace"] = "0.3";
        if (holdMatch is not null)
        {
            env["Operations__StandIns__HoldSeconds"] = "600";
            env["Operations__StandIns__HoldMatch"] = holdMatch;
        }
        return env;
    }

    private async Task<(string Url, IPage Page, OperationsApi Api)> SignedInAsync(DashboardProcess process)
    {
        var s = await process.SignInAsAdminAsync(browser.Browser, _identity);
        return (s.Url, s.Page, s.Api);
    }

    private sealed record StepState(string Status, int Attempts, string Output, string Message);

    private sealed record RunState(string Status, JsonElement Steps);

    private static async Task<RunState> RunAsync(OperationsApi api, string runId)
    {
        var (status, body) = await api.GetAsync($"/api/v1/operations/runs/{runId}");
        Assert.Equal(200, status);
        return new RunState(body.GetProperty("status").GetString()!, body.GetProperty("steps"));
    }

    private static StepState Step(RunState run, string key)
    {
        var s = run.Steps.EnumerateArray().Single(x => x.GetProperty("key").GetString() == key);
        return new StepState(s.GetProperty("status").GetString()!, s.GetProperty("attempts").GetInt32(),
            s.TryGetProperty("output", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : "",
            s.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "");
    }

    private List<InvocationRecord.Line> Starts() =>
        InvocationRecord.Read(InvocationDirectory).Where(l => l.Event == "start" && l.Tool == "talosctl" && l.Args is ["reboot", ..]).ToList();

    private string ReadyOf(string node) =>
        _simulator.Cluster.Get(Kinds.Node, null, node)!["status"]!["conditions"]!.AsArray()
            .First(c => c!["type"]!.GetValue<string>() == "Ready")!["status"]!.GetValue<string>();

    private static Task Until(Func<Task<bool>> condition, string what, DashboardProcess? process, double seconds = 120) =>
        DashboardProcess.Until(condition, what, process, seconds);

    private static void Output(string text) => TestContext.Current.TestOutputHelper?.WriteLine(text);
}
