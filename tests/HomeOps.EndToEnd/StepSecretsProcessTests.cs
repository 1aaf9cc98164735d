using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HomeOps.Dashboard.Hubs;
using HomeOps.Simulator;
using HomeOps.Simulator.Identity;
using Microsoft.AspNetCore.SignalR.Client;

namespace HomeOps.EndToEnd;

/// <summary>
/// Issue 11, item 1, end to end: the real dashboard process, configured as a deployment is (secrets in environment
/// variables: <c>Oidc__ClientSecret</c>, <c>Authentik__Token</c>, <c>Metrics__BearerToken</c>), runs a workflow step that
/// prints its whole environment and echoes the secrets it reads from files. No secret value may reach the operations
/// database file, the hub's run stream, the API's run view or the process's log output. Positive controls prove each
/// channel did carry the step's output (its own variable, the masked lines).
/// </summary>
public sealed partial class StepSecretsProcessTests : IAsyncLifetime
{
    private static readonly string MetricsToken = "metrics-bearer-" + Guid.NewGuid().ToString("N");

    private readonly string _data = Directory.CreateTempSubdirectory("homeops-e2e-stepsecrets-").FullName;
    private SimulatorHost _simulator = null!;
    private IdentityProviderHost _identity = null!;

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
    public async Task A_step_printing_its_environment_leaks_no_secret_into_the_database_the_hub_the_api_or_the_log()
    {
        var ct = TestContext.Current.CancellationToken;
        var definitions = Directory.CreateDirectory(Path.Combine(_data, "definitions")).FullName;
        var work = Directory.CreateDirectory(Path.Combine(_data, "work")).FullName;
        var env = HomeOps.Testing.DashboardAppProcess.PointedAt(_simulator, _identity, Path.Combine(_data, "operations"));
        env["Metrics__BearerToken"] = MetricsToken;
        env["Operations__DefinitionsDirectory"] = definitions;
        env["Operations__HomeOpsCheckout"] = work;   // steps run in the checkout
        env["Serilog__MinimumLevel__Default"] = "Debug";
        string[] secrets = [env["Oidc__ClientSecret"], env["Authentik__Token"], MetricsToken];
        Assert.All(secrets, s => Assert.True(s.Length >= 16, "a secret long enough to be searched for"));

        // The secrets also reach the script through files, as a tool that reads a credential would print it.
        File.WriteAllText(Path.Combine(work, "token.txt"), env["Authentik__Token"]);
        File.WriteAllText(Path.Combine(work, "secret.txt"), env["Oidc__ClientSecret"]);
        File.WriteAllText(Path.Combine(work, "metrics.txt"), MetricsToken);
        File.WriteAllText(Path.Combine(work, "leak.sh"), """
            env
            echo "token=$(cat token.txt) end"
            printf 'two:%s%s:glued\n' "$(cat metrics.txt)" "$(cat secret.txt)"
            echo "failing with $(cat secret.txt)" >&2
            exit 3
            """);
        File.WriteAllText(Path.Combine(definitions, "leaky.yaml"), string.Join("\n",
            "workflows:",
            "  - id: test:leaky",
            "    title: Prints its environment and secrets",
            "    steps:",
            $"      - {{id: leak, title: Leak, argv: [/bin/sh, leak.sh], env: {{STEP_VAR: from-the-step}}}}",
            ""));

        await using var dashboard = DashboardProcess.Start(env);
        var url = await dashboard.UrlAsync();
        var adminToken = _identity.IssueAccessTokenForTests("admin", TimeSpan.FromMinutes(10));
        var viewerToken = _identity.IssueAccessTokenForTests("viewer", TimeSpan.FromMinutes(10));
        var admin = new Caller(Identity.OperatorBearer, new Dictionary<string, string>(), adminToken, null);
        using var http = Caller.NewClient();

        // Created (Pending) first, so the hub stream is open before the step runs and every line arrives live.
        using var created = await http.SendAsync(admin.Request(HttpMethod.Post, url + "/api/v1/operations/runs",
            JsonContent.Create(new { workflowId = "test:leaky", reason = "e2e: step secrets" })), ct);
        var createdBody = await created.Content.ReadAsStringAsync(ct);
        Assert.True(created.IsSuccessStatusCode, $"create answered {(int)created.StatusCode}: {createdBody}\n{dashboard.Output}");
        var runId = JsonDocument.Parse(createdBody).RootElement.GetProperty("runId").GetGuid();

        await using var connection = new HubConnectionBuilder()
            .WithUrl(url + ClusterHub.Path, o => o.AccessTokenProvider = () => Task.FromResult<string?>(viewerToken))
            .Build();
        await connection.StartAsync(ct);
        using var streaming = CancellationTokenSource.CreateLinkedTokenSource(ct);
        streaming.CancelAfter(TimeSpan.FromSeconds(90));
        var hub = new StringBuilder();
        var firstItem = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(async () =>
        {
            await foreach (var e in connection.StreamAsync<JsonElement>(nameof(ClusterHub.StreamRun), runId, streaming.Token))
            {
                lock (hub) hub.AppendLine(e.GetRawText());
                firstItem.TrySetResult();
            }
        }, ct);
        await firstItem.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        using var started = await http.SendAsync(admin.Request(HttpMethod.Post, $"{url}/api/v1/operations/runs/{runId}/start"), ct);
        Assert.True(started.IsSuccessStatusCode, $"start answered {(int)started.StatusCode}: {await started.Content.ReadAsStringAsync(ct)}");
        await reader.WaitAsync(TimeSpan.FromSeconds(90), ct);   // the stream ends by itself when the run stops

        using var view = await http.SendAsync(admin.Request(HttpMethod.Get, $"{url}/api/v1/operations/runs/{runId}"), ct);
        var api = await view.Content.ReadAsStringAsync(ct);
        Assert.True(view.IsSuccessStatusCode, api);
        var run = JsonDocument.Parse(api).RootElement;
        TestContext.Current.TestOutputHelper?.WriteLine(api);
        Assert.True(run.GetProperty("status").GetString() == "Failed", api);   // the script exits 3
        var output = run.GetProperty("steps")[0].GetProperty("output").GetString()!;

        // Positive controls: the step ran with its own variable, and the echoed secrets were there, masked.
        var hubText = hub.ToString();
        foreach (var (channel, text) in new[] { ("api", output), ("hub", hubText) })
        {
            Assert.Contains("STEP_VAR=from-the-step", text);
            Assert.Contains("token=*** end", text);
            Assert.Contains("two:******:glued", text);
            Assert.Contains("failing with ***", text);
            Assert.DoesNotContain("Oidc__ClientSecret=", text);     // not inherited at all, not even masked
            Assert.DoesNotContain("Authentik__Token=", text);
            Assert.DoesNotContain("Metrics__BearerToken=", text);
            TestContext.Current.TestOutputHelper?.WriteLine($"--- {channel}\n{text}");
        }

        // Stop the process so the database and the log are complete on disk and in the captured output.
        await connection.DisposeAsync();
        await dashboard.DisposeAsync();
        var database = string.Join("\n", Directory.EnumerateFiles(Path.Combine(_data, "operations"), "operations.db*")
            .Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))));
        Assert.Contains("STEP_VAR=from-the-step", database);   // the stored output is in this file
        var log = dashboard.Output;
        Assert.Contains(runId.ToString(), log);

        foreach (var secret in secrets)
            foreach (var (channel, text) in new[] { ("database file", database), ("hub stream", hubText), ("API run view", api), ("log output", log) })
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a configured secret ({secret[..6]}…) appears in the {channel}");
    }
}
