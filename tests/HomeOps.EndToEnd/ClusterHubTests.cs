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

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync();

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
