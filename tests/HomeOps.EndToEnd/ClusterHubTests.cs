using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Reports;
using HomeOps.Dashboard.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace HomeOps.EndToEnd;

/// <summary>The hub for other clients, driven by a typed .NET SignalR client against the real app and provider.</summary>
public sealed class ClusterHubTests : IAsyncLifetime
{
    private SimulatedDashboard _dashboard = null!;

    // The simulator's stand-ins for task/talosctl/flux, so a run streamed by StreamRun really executes.
    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync(new Dictionary<string, string?>
    {
        ["Operations:StandIns:Enabled"] = "true",
        ["Operations:StandIns:Pace"] = "0.5",
    });

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    private HubConnection Connect(string? token) =>
        new HubConnectionBuilder()
            .WithUrl(_dashboard.BaseUrl + ClusterHub.Path, o =>
            {
                if (token is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();

    [Fact]
    public async Task Without_credentials_the_hub_refuses_the_connection()
    {
        await using var connection = Connect(token: null);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync(TestContext.Current.CancellationToken));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("other-issuer")]
    [InlineData("other-audience")]
    [InlineData("unknown-key")]
    public async Task Tokens_that_are_expired_or_not_ours_are_refused(string variant)
    {
        var token = variant switch
        {
            "expired" => _dashboard.Identity.IssueAccessTokenForTests("viewer", TimeSpan.FromMinutes(-10)),
            "other-issuer" => _dashboard.Identity.IssueAccessTokenForTests("viewer", TimeSpan.FromMinutes(5),
                new() { Issuer = "https://evil.example/application/o/homeops-dashboard/" }),
            "other-audience" => _dashboard.Identity.IssueAccessTokenForTests("viewer", TimeSpan.FromMinutes(5), new() { Audience = "grafana" }),
            _ => _dashboard.Identity.IssueAccessTokenForTests("viewer", TimeSpan.FromMinutes(5), new() { SignWithUnknownKey = true }),
        };
        await using var connection = Connect(token);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync(TestContext.Current.CancellationToken));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task A_viewer_with_a_bearer_token_gets_a_snapshot_then_a_change_made_in_the_simulator()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = Connect(_dashboard.Identity.IssueAccessTokenForTests("viewer", TimeSpan.FromMinutes(5)));
        var snapshot = new TaskCompletionSource<HealthReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        var mini02Failed = new TaskCompletionSource<HealthEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<HealthReport>(nameof(IClusterHubClient.Snapshot), r => snapshot.TrySetResult(r));
        connection.On<HealthDelta>(nameof(IClusterHubClient.Changes), d =>
        {
            foreach (var e in d.Upserted)
                if (e is { Kind: "Node", ApiVersion: "v1", Name: "mini02", Health: "Failed" }) mini02Failed.TrySetResult(e);
        });
        await connection.StartAsync(ct);

        var report = await snapshot.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        // The snapshot may be sent before the informers' first sync; wait on the hub's own state if it is empty.
        await Eventually(async () =>
        {
            var now = await connection.InvokeAsync<HealthReport>(nameof(ClusterHub.GetSnapshot), ct);
            return now.Entries.Count(e => e is { Kind: "Node", ApiVersion: "v1", Health: "Healthy" }) == 3;
        });
        Assert.NotNull(report);

        _dashboard.Simulator.Cluster.MergePatch(Kinds.Node, null, "mini02", JsonNode.Parse("""
            {"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady","message":"container runtime is down"}]}}
            """)!, statusSubresource: true);

        var changed = await mini02Failed.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.Equal("KubeletNotReady", changed.Reason);
    }

    [Fact]
    public async Task A_viewer_calling_an_operator_hub_method_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = Connect(_dashboard.Identity.IssueAccessTokenForTests("viewer", TimeSpan.FromMinutes(5)));
        await connection.StartAsync(ct);
        var error = await Assert.ThrowsAsync<HubException>(() =>
            connection.InvokeAsync<string>(nameof(ClusterHub.Reconcile), "Kustomization", "flux-system", "flux-system", ct));
        Assert.Contains("unauthorized", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_viewer_streams_a_run_an_operator_starts_and_sees_its_lines_live_and_its_final_state()
    {
        var ct = TestContext.Current.CancellationToken;
        var adminToken = _dashboard.Identity.IssueAccessTokenForTests("admin", TimeSpan.FromMinutes(5));
        var viewerToken = _dashboard.Identity.IssueAccessTokenForTests("viewer", TimeSpan.FromMinutes(5));
        var admin = new Caller(Identity.OperatorBearer, new Dictionary<string, string>(), adminToken, null);
        using var http = Caller.NewClient();
        // Created (Pending) first, so the stream is open before anything runs and every line arrives live.
        using var created = await http.SendAsync(admin.Request(HttpMethod.Post, _dashboard.BaseUrl + "/api/v1/operations/runs",
            JsonContent.Create(new { workflowId = "cluster:emergency-recovery", reason = "e2e: hub stream" })), ct);
        var createdBody = await created.Content.ReadAsStringAsync(ct);
        Assert.True(created.IsSuccessStatusCode, $"create answered {(int)created.StatusCode}: {createdBody}");
        var runId = JsonDocument.Parse(createdBody).RootElement.GetProperty("runId").GetGuid();

        await using var connection = Connect(viewerToken);
        await connection.StartAsync(ct);
        using var streaming = CancellationTokenSource.CreateLinkedTokenSource(ct);
        streaming.CancelAfter(TimeSpan.FromSeconds(90));
        var raw = new List<string>();
        var items = new List<RunEventDto>();
        var firstItem = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(async () =>
        {
            await foreach (var e in connection.StreamAsync<JsonElement>(nameof(ClusterHub.StreamRun), runId, streaming.Token))
            {
                raw.Add(e.GetRawText());
                items.Add(e.Deserialize<RunEventDto>(Json)!);
                firstItem.TrySetResult();
            }
        }, ct);
        await firstItem.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        using var started = await http.SendAsync(admin.Request(HttpMethod.Post, $"{_dashboard.BaseUrl}/api/v1/operations/runs/{runId}/start"), ct);
        Assert.True(started.IsSuccessStatusCode, $"start answered {(int)started.StatusCode}: {await started.Content.ReadAsStringAsync(ct)}");
        await reader.WaitAsync(TimeSpan.FromSeconds(90), ct);   // the stream ends by itself when the run stops

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", raw));
        Assert.Equal(RunEventTypes.State, items[0].Type);
        Assert.Equal("Pending", items[0].Run!.Status);
        Assert.Contains(items, e => e is { Type: RunEventTypes.Status, Status: "Running" });
        Assert.Contains(items, e => e is { Type: RunEventTypes.Step, Status: "Running" });
        var lines = items.Where(e => e.Type == RunEventTypes.Line).ToList();
        Assert.Contains(lines, l => l.Text!.Contains("EMERGENCY CLUSTER RECOVERY PROCEDURE", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Text!.Contains("If cluster is unrecoverable", StringComparison.Ordinal));
        foreach (var step in lines.GroupBy(l => l.Ordinal))   // no line twice, none out of order
            Assert.Equal(step.Select(l => l.LineNumber!.Value).Order().Distinct(), step.Select(l => l.LineNumber!.Value));
        Assert.DoesNotContain(items, e => e.Type == RunEventTypes.Dropped);

        var final = items[^1];
        Assert.Equal(RunEventTypes.State, final.Type);
        using var stored = await http.SendAsync(admin.Request(HttpMethod.Get, $"{_dashboard.BaseUrl}/api/v1/operations/runs/{runId}"), ct);
        var storedStatus = JsonDocument.Parse(await stored.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("status").GetString();
        Assert.Equal(storedStatus, final.Run!.Status);
        Assert.Equal("Succeeded", final.Run.Status);
        Assert.All(final.Run.Steps, s => Assert.NotEqual("Running", s.Status));

        // Nothing secret or executable in the payloads: no token, no environment, argument vector or confirmation.
        var payload = string.Join("\n", raw);
        Assert.DoesNotContain(adminToken, payload, StringComparison.Ordinal);
        Assert.DoesNotContain(viewerToken, payload, StringComparison.Ordinal);
        foreach (var field in new[] { "\"env\"", "\"argv\"", "\"confirmation\"", "\"parameters\"", "\"plan\"" })
            Assert.DoesNotContain(field, payload, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Streaming_an_unknown_run_ends_with_a_clear_error()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = Connect(_dashboard.Identity.IssueAccessTokenForTests("viewer", TimeSpan.FromMinutes(5)));
        await connection.StartAsync(ct);
        var unknown = Guid.NewGuid();
        var error = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in connection.StreamAsync<RunEventDto>(nameof(ClusterHub.StreamRun), unknown, ct)) { }
        });
        Assert.Contains($"Run {unknown} does not exist", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("expired")]
    public async Task Streaming_a_run_without_a_valid_token_is_refused(string variant)
    {
        var ct = TestContext.Current.CancellationToken;
        var token = variant == "expired" ? _dashboard.Identity.IssueAccessTokenForTests("viewer", TimeSpan.FromMinutes(-10)) : null;
        await using var connection = Connect(token);
        // The connection itself is refused, so no stream can be opened.
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync(ct));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in connection.StreamAsync<RunEventDto>(nameof(ClusterHub.StreamRun), Guid.NewGuid(), ct)) { }
        });
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in 30 s");
            await Task.Delay(50);
        }
    }
}
