using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using HomeOps.Simulator;
using HomeOps.Simulator.Identity;
using HomeOps.Testing;
using Microsoft.Playwright;

namespace HomeOps.EndToEnd;

/// <summary>
/// Issue 14, replicas on a real PostgreSQL: two real dashboard processes share one PostgreSQL 15 database
/// (<c>Database__ConnectionString</c>), one data-protection key ring, and the Lease lock (<c>Operations__Lock=Lease</c>)
/// on the simulator's API, as two pods of the Deployment would. A browser signs in on replica A only; every call to B
/// carries A's session cookie (cookies are per host, not per port).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ReplicaPostgresTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string AllNodes = "mini01, mini02, mini03";

    private readonly string _root = Directory.CreateTempSubdirectory("homeops-e2e-replicas-").FullName;
    private PostgresServer _pg = null!;
    private (string Path, string Password) _certificate;
    private SimulatorHost _simulator = null!;
    private IdentityProviderHost _identity = null!;

    public async ValueTask InitializeAsync()
    {
        _pg = await PostgresServer.StartAsync();
        _certificate = TestCertificates.WritePfx(Directory.CreateDirectory(Path.Combine(_root, "secrets")).FullName);
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Scenarios = { Enabled = false } });
        _identity = await IdentityProviderHost.StartAsync(new IdentityProviderOptions());
    }

    public async ValueTask DisposeAsync()
    {
        await _identity.DisposeAsync();
        await _simulator.DisposeAsync();
        await _pg.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task Runs_and_audit_live_in_PostgreSQL_and_a_session_signed_in_on_A_works_on_B()
    {
        var db = await _pg.CreateDatabaseAsync("replicas_session");
        await using var a = DashboardProcess.Start(Environment("replica-a", db, holdMatch: null));
        var (urlA, context, apiA) = await SignedInAsync(a);

        // (a) The existing operations persistence on PostgreSQL: schema created at start, a run recorded, audit readable.
        var created = await apiA.PostAsync("/api/v1/operations/runs", new { workflowId = "cluster:emergency-recovery", reason = "e2e: on postgres" });
        Assert.True(created.Status == 200, $"create answered {created.Status}: {created.Body}\n{a.Output}");
        var runId = created.Body.GetProperty("runId").GetString()!;
        var start = await apiA.PostAsync($"/api/v1/operations/runs/{runId}/start", new { });
        Assert.True(start.Status == 200, $"start answered {start.Status}: {start.Body}");
        await Until(async () => (await RunAsync(apiA, runId)).Status == "Succeeded", "the run to succeed on A", a);
        Assert.Equal("1", await _pg.QueryAsync("replicas_session", $"SELECT count(*) FROM runs WHERE \"Id\" = '{runId}'"));
        Assert.NotEqual("0", await _pg.QueryAsync("replicas_session", "SELECT count(*) FROM audit"));
        Assert.NotEqual("0", await _pg.QueryAsync("replicas_session", "SELECT count(*) FROM sessions"));
        Assert.False(File.Exists(Path.Combine(_root, "replica-a", "operations.db")), "no SQLite file beside PostgreSQL");
        var auditA = await apiA.AuditAsync($"runId={runId}");
        Assert.Contains(auditA, e => e.GetProperty("action").GetString() == "run.start");

        // (c) Replica B: A's cookie is a session B finds in the shared store; B shows A's run and the same audit.
        await using var b = DashboardProcess.Start(Environment("replica-b", db, holdMatch: null));
        var urlB = await b.UrlAsync();
        var apiB = new OperationsApi(context, urlB);
        Assert.Equal("Succeeded", (await RunAsync(apiB, runId)).Status);
        Assert.Equal(Ids(auditA), Ids(await apiB.AuditAsync($"runId={runId}")));
        var page = await context.NewPageAsync();
        await page.GotoAsync(urlB + "/operations");
        await SignIn.WaitForCircuitAsync(page);
        Assert.StartsWith(urlB, page.Url, StringComparison.Ordinal);   // no round trip to the provider
        // Control: without the cookie B refuses, so the cookie is what signed the caller in.
        using var anonymous = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync(urlB + "/api/v1/operations/runs", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Only_one_destructive_run_at_a_time_across_two_replicas_and_both_show_the_same_audit()
    {
        var db = await _pg.CreateDatabaseAsync("replicas_lock");
        await using var a = DashboardProcess.Start(Environment("replica-a", db, holdMatch: "reboot --nodes 172.29.51.12"));
        var (_, context, apiA) = await SignedInAsync(a);
        await using var b = DashboardProcess.Start(Environment("replica-b", db, holdMatch: null));
        var apiB = new OperationsApi(context, await b.UrlAsync());

        // A holds the Lease while mini02's reboot is held mid-step.
        var trigger = await apiA.PostAsync("/api/v1/operations/runs/trigger",
            new { workflowId = "cluster:safe-reboot", parameters = new { nodes = "mini01,mini02,mini03" }, reason = "e2e: replica A", confirmation = AllNodes });
        Assert.True(trigger.Status == 200, $"trigger on A answered {trigger.Status}: {trigger.Body}\n{a.Output}");
        var runA = trigger.Body.GetProperty("runId").GetString()!;
        await Until(async () => (await RunAsync(apiA, runA)).Steps.EnumerateArray()
            .Any(s => s.GetProperty("key").GetString() == "reboot@mini02" && s.GetProperty("status").GetString() == "Running"), "A's run to hold mini02's reboot", a);

        // B is refused while A holds the Lease, and says who holds it.
        var refused = await apiB.PostAsync("/api/v1/operations/runs/trigger",
            new { workflowId = "cluster:safe-reboot", parameters = new { nodes = "mini03" }, reason = "e2e: replica B", confirmation = "mini03" });
        Assert.True(refused.Status != 200, $"B started a destructive run beside A's: {refused.Body}");
        Assert.Contains("another destructive run is in progress: replica-a", refused.Body.GetRawText());
        await AssertSameAuditAsync(apiA, apiB);
        Assert.Contains(await apiB.AuditAsync("action=run.start&outcome=Refused"), e => e.GetProperty("reason").GetString() == "e2e: replica B");

        // A's run ends (cancelled on A, which runs it): the Lease is free and B's destructive run starts and finishes.
        var cancel = await apiA.PostAsync($"/api/v1/operations/runs/{runA}/cancel", new { reason = "e2e: let B go" });
        Assert.True(cancel.Status == 200, $"cancel answered {cancel.Status}: {cancel.Body}");
        await Until(async () => (await RunAsync(apiA, runA)).Status is "Cancelled" or "Interrupted" or "Failed", "A's run to stop", a);
        RunState? lastB = null;
        await Until(async () =>
        {
            var retry = await apiB.PostAsync("/api/v1/operations/runs/trigger",
                new { workflowId = "cluster:safe-reboot", parameters = new { nodes = "mini03" }, reason = "e2e: replica B again", confirmation = "mini03" });
            if (retry.Status != 200) return false;
            var id = retry.Body.GetProperty("runId").GetString()!;
            await Until(async () => (lastB = await RunAsync(apiB, id)).Status is "Succeeded" or "Failed", "B's run to finish", b);
            return true;
        }, "B's destructive run to be accepted once A's run released the Lease", b, seconds: 60);
        Assert.Equal("Succeeded", lastB!.Status);
        await AssertSameAuditAsync(apiA, apiB);
    }

    [Fact]
    public async Task A_run_whose_replica_is_killed_is_recovered_on_the_other_and_resumed_without_re_running_a_finished_step()
    {
        var db = await _pg.CreateDatabaseAsync("replicas_failover");
        var marker = Guid.NewGuid().ToString("N");
        var envA = Environment("replica-a", db, holdMatch: "reboot --nodes 172.29.51.12");
        envA[ProcessTree.MarkerVariable] = marker;
        envA["Operations__InheritEnvironment__0"] = ProcessTree.MarkerVariable;   // the step's process carries it too
        await using var a = DashboardProcess.Start(Fast(envA));
        var (_, context, apiA) = await SignedInAsync(a);
        await using var b = DashboardProcess.Start(Fast(Environment("replica-b", db, holdMatch: null)));
        var apiB = new OperationsApi(context, await b.UrlAsync());

        var trigger = await apiA.PostAsync("/api/v1/operations/runs/trigger",
            new { workflowId = "cluster:safe-reboot", parameters = new { nodes = "mini01,mini02,mini03" }, reason = "e2e: failover", confirmation = AllNodes });
        Assert.True(trigger.Status == 200, $"trigger on A answered {trigger.Status}: {trigger.Body}\n{a.Output}");
        var runId = trigger.Body.GetProperty("runId").GetString()!;
        await Until(async () =>
        {
            var run = await RunAsync(apiA, runId);
            return Step(run, "reboot@mini01").GetProperty("status").GetString() == "Succeeded"
                   && Step(run, "reboot@mini02").GetProperty("status").GetString() == "Running";
        }, "mini01 rebooted and mini02's reboot held on A", a);

        // Replica A dies with its step (SIGKILL, the whole tree): no clean release of the run or the Lease.
        var tree = ProcessTree.Marked(marker);
        Assert.True(tree.Count >= 2, "the dashboard and its step's process");
        await ProcessTree.KillAsync(tree);
        await Until(() => Task.FromResult(tree.All(ProcessTree.IsGone)), "replica A's processes to be gone", null, seconds: 15);

        // B finds the run orphaned (its owner's heartbeat stale) and marks it Interrupted; then resumes it once the Lease expired.
        await Until(async () => (await RunAsync(apiB, runId)).Status == "Interrupted", "B to recover A's run as Interrupted", b, seconds: 60);
        await Until(async () => (await apiB.PostAsync($"/api/v1/operations/runs/{runId}/resume", new { reason = "e2e: resume on B", confirmation = AllNodes })).Status == 200,
            "B to resume the run once A's Lease expired", b, seconds: 60);
        await Until(async () => (await RunAsync(apiB, runId)).Status == "Succeeded", "the resumed run to succeed on B", b);

        var done = await RunAsync(apiB, runId);
        Assert.Equal(1, Step(done, "reboot@mini01").GetProperty("attempts").GetInt32());
        // The stand-in tools' own records (each replica's data directory): mini01 was rebooted once, by A, never by B.
        var starts = new[] { "replica-a", "replica-b" }
            .SelectMany(r => HomeOps.Simulator.OpsCommands.InvocationRecord.Read(Path.Combine(_root, r, "standins", "logs")))
            .Where(l => l.Event == "start" && l.Tool == "talosctl" && l.Args is ["reboot", ..]).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", starts.Select(s => $"{s.At:HH:mm:ss.fff} pid {s.Pid} {string.Join(' ', s.Args!)}")));
        Assert.Equal(1, starts.Count(s => s.Args!.Contains("172.29.51.11")));
        // mini02: the attempt killed with A, then B's; the step is done.
        var mini02 = Step(done, "reboot@mini02");
        Assert.Equal("Succeeded", mini02.GetProperty("status").GetString());
        Assert.True(mini02.GetProperty("attempts").GetInt32() >= 2, mini02.GetRawText());
        Assert.Equal("Succeeded", Step(done, "reboot@mini03").GetProperty("status").GetString());
        Assert.Contains(await apiB.AuditAsync($"runId={runId}&action=run.resume"), e => e.GetProperty("outcome").GetString() == "Succeeded");
    }

    /// <summary>Short heartbeats, stale-run detection and Lease timing, so a failover happens in seconds.</summary>
    private static Dictionary<string, string> Fast(Dictionary<string, string> env)
    {
        env["Operations__HeartbeatInterval"] = "00:00:01";
        env["Operations__StaleRunAfter"] = "00:00:05";
        env["Operations__LeaseDuration"] = "00:00:06";
        env["Operations__LeaseRenewInterval"] = "00:00:02";
        // The failover test asks B to resume until A's Lease has expired; each refused ask counts as an operator action,
        // and the default budget (10 a minute) would answer 429 before the Lease runs out. Rate limits have their own tests.
        env["RateLimits__Actions__PermitLimit"] = "1000";
        return env;
    }

    private static JsonElement Step(RunState run, string key) =>
        run.Steps.EnumerateArray().Single(s => s.GetProperty("key").GetString() == key);

    private static async Task AssertSameAuditAsync(OperationsApi a, OperationsApi b)
    {
        var fromA = Ids(await a.AuditAsync("take=500"));
        var fromB = Ids(await b.AuditAsync("take=500"));
        Assert.NotEmpty(fromA);
        Assert.Equal(fromA, fromB);
    }

    private static List<long> Ids(List<JsonElement> entries) => [.. entries.Select(e => e.GetProperty("id").GetInt64()).Order()];

    private Dictionary<string, string> Environment(string replica, string connectionString, string? holdMatch)
    {
        var env = DashboardAppProcess.PointedAt(_simulator, _identity, Path.Combine(_root, replica));
        env["Database__ConnectionString"] = connectionString;
        env["Operations__Lock"] = "Lease";
        env["Operations__LeaseNamespace"] = "homeops-dashboard";
        env["Operations__InstanceId"] = replica;
        // One key ring for both, as the Deployment's shared volume: a cookie from one replica decrypts on the other.
        // and one certificate encrypting it (the Secret both pods mount), not a certificate generated per data directory.
        env["Auth__DataProtectionKeysPath"] = Path.Combine(_root, "keys");
        env["DataProtection__CertificatePath"] = _certificate.Path;
        env["DataProtection__CertificatePassword"] = _certificate.Password;
        env["Operations__StandIns__Enabled"] = "true";
        env["Operations__StandIns__Pace"] = "0.3";
        if (holdMatch is not null)
        {
            env["Operations__StandIns__HoldSeconds"] = "600";
            env["Operations__StandIns__HoldMatch"] = holdMatch;
        }
        return env;
    }

    private async Task<(string Url, IBrowserContext Context, OperationsApi Api)> SignedInAsync(DashboardProcess process)
    {
        var s = await process.SignInAsAdminAsync(browser.Browser, _identity);
        return (s.Url, s.Context, s.Api);
    }

    private sealed record RunState(string Status, JsonElement Steps);

    private static async Task<RunState> RunAsync(OperationsApi api, string runId)
    {
        var (status, body) = await api.GetAsync($"/api/v1/operations/runs/{runId}");
        Assert.Equal(200, status);
        return new RunState(body.GetProperty("status").GetString()!, body.GetProperty("steps"));
    }

    private static Task Until(Func<Task<bool>> condition, string what, DashboardProcess? process, double seconds = 120) =>
        DashboardProcess.Until(condition, what, process, seconds);
}
