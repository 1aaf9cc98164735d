using System.Net;
using HomeOps.Dashboard.Hubs;
using HomeOps.Dashboard.Security;
using HomeOps.Operations.Audit;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HomeOps.EndToEnd;

/// <summary>
/// Rate limits (issue 7) with a tiny window so the reset is observable: operator actions per user (HTTP and the hub's
/// operator methods share one budget), sign-in per client IP. A burst beyond the limit gets 429 with Retry-After (the
/// hub: a HubException), the refusal is audited (the log file is scanned for secrets by SecretHygieneTests), and the limit resets after the window.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private const int Limit = 3;
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync()
    {
        var settings = new Dictionary<string, string?>();
        settings["RateLimits:Actions:PermitLimit"] = Limit.ToString();
        settings["RateLimits:Actions:WindowSeconds"] = "2";
        settings["RateLimits:SignIn:PermitLimit"] = Limit.ToString();
        settings["RateLimits:SignIn:WindowSeconds"] = "2";
        _dashboard = await SimulatedDashboard.StartAsync(settings);
    }

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    private const string SuspendWithoutReason = "/api/v1/flux/Kustomization/flux-system/flux-system/suspend";

    [Fact]
    public async Task An_operator_bursting_actions_gets_429_with_Retry_After_is_audited_and_the_limit_resets_after_the_window()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = new Caller(Identity.OperatorBearer, new Dictionary<string, string>(), _dashboard.Identity.IssueAccessTokenForTests("admin", TimeSpan.FromMinutes(5)), null);
        var viewer = new Caller(Identity.ViewerBearer, new Dictionary<string, string>(), _dashboard.Identity.IssueAccessTokenForTests("viewer", TimeSpan.FromMinutes(5)), null);
        using var http = Caller.NewClient();
        Task<HttpResponseMessage> Suspend(Caller c) =>
            http.SendAsync(c.Request(HttpMethod.Post, _dashboard.BaseUrl + SuspendWithoutReason, System.Net.Http.Json.JsonContent.Create(new { reason = (string?)null })), ct);

        // Wait for a fresh window so the burst below lands in one.
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        await Poll.UntilAsync(async () =>
        {
            statuses.Clear();
            refused = null;
            for (var i = 0; i < Limit + 1; i++)
            {
                var r = await Suspend(admin);
                statuses.Add(r.StatusCode);
                if (r.StatusCode == HttpStatusCode.TooManyRequests) { refused = r; break; }
            }
            // The guard refuses each suspension without a reason (409); the fourth in the window is the limiter's.
            // A burst that straddled a window boundary (a slow machine) is retried, not taken for a missing limit.
            return refused is not null && statuses.Count == Limit + 1 && statuses.Take(Limit).All(s => s == HttpStatusCode.Conflict);
        }, TimeSpan.FromSeconds(20), () => string.Join(",", statuses));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused!.StatusCode);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 2);

        // The viewer is refused by the policy (403), not by the operator's exhausted budget.
        Assert.Equal(HttpStatusCode.Forbidden, (await Suspend(viewer)).StatusCode);

        var audit = _dashboard.App.Services.GetRequiredService<IAuditLog>();
        var entries = await audit.QueryAsync(new AuditQuery(null, AuditAction.RateLimitRefused.Name, AuditOutcome.Refused, null, null, null, 0, 100), ct);
        var entry = Assert.Single(entries, e => e.User == "admin");
        Assert.Equal("POST " + SuspendWithoutReason, entry.Target);
        Assert.Contains($"more than {Limit} actions requests in 2 s", entry.Message);

        // After the window the operator may act again (the guard answers, not the limiter).
        await Poll.UntilAsync(async () => (await Suspend(admin)).StatusCode == HttpStatusCode.Conflict, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Operator_hub_methods_share_the_action_budget_and_a_refused_call_is_audited_while_the_connection_stays_up()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new HubConnectionBuilder()
            .WithUrl(_dashboard.BaseUrl + ClusterHub.Path, o =>
                o.AccessTokenProvider = () => Task.FromResult<string?>(_dashboard.Identity.IssueAccessTokenForTests("admin", TimeSpan.FromMinutes(5))))
            .Build();
        await connection.StartAsync(ct);

        HubException? refused = null;
        var accepted = 0;
        await Poll.UntilAsync(async () =>
        {
            accepted = 0;
            for (var i = 0; i < Limit + 1; i++)
            {
                try
                {
                    await connection.InvokeAsync<string>(nameof(ClusterHub.Reconcile), "Kustomization", "flux-system", "flux-system", ct);
                    accepted++;
                }
                catch (HubException e)
                {
                    refused = e;
                    break;
                }
            }
            return accepted == Limit && refused is not null;
        }, TimeSpan.FromSeconds(20), () => $"{accepted} accepted, refused: {refused?.Message}");
        Assert.Contains("Too many actions", refused!.Message);

        // Viewer methods are not limited, and the connection is still up.
        Assert.NotNull(await connection.InvokeAsync<object>(nameof(ClusterHub.GetSnapshot), ct));
        Assert.Equal(HubConnectionState.Connected, connection.State);

        var audit = _dashboard.App.Services.GetRequiredService<IAuditLog>();
        var entries = await audit.QueryAsync(new AuditQuery("admin", AuditAction.RateLimitRefused.Name, AuditOutcome.Refused, null, null, null, 0, 100), ct);
        Assert.Contains(entries, e => e.Target == "hub ClusterHub.Reconcile");

        await Poll.UntilAsync(async () =>
        {
            try { await connection.InvokeAsync<string>(nameof(ClusterHub.Reconcile), "Kustomization", "flux-system", "flux-system", ct); return true; }
            catch (HubException) { return false; }
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Sign_in_bursts_from_one_address_get_429_the_callback_too_audited_without_the_code_and_reset_after_the_window()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = Caller.NewClient();
        const string code = "authcode-must-not-be-logged-7f3a";
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        HttpResponseMessage? callback = null;
        await Poll.UntilAsync(async () =>
        {
            statuses.Clear();
            (refused, callback) = (null, null);
            for (var i = 0; i < Limit + 1; i++)
            {
                var r = await http.GetAsync(_dashboard.BaseUrl + "/login?returnUrl=/nodes", ct);
                statuses.Add(r.StatusCode);
                if (r.StatusCode == HttpStatusCode.TooManyRequests) { refused = r; break; }
            }
            // A burst that straddles the window's end is let through whole (11 redirects on a loaded machine): try again.
            if (refused is null || statuses.Count != Limit + 1 || !statuses.Take(Limit).All(s => s == HttpStatusCode.Redirect)) return false;
            // The OIDC callback counts against the same address (it is where a password-guessing loop would end up).
            callback = await http.GetAsync(_dashboard.BaseUrl + $"/signin-oidc?code={code}&state=forged", ct);
            // The window may also have ended between the burst and the callback: then the whole burst again.
            return callback.StatusCode == HttpStatusCode.TooManyRequests;
        }, TimeSpan.FromSeconds(30), () => $"{string.Join(",", statuses)}; callback {callback?.StatusCode}");
        Assert.InRange(int.Parse(refused!.Headers.GetValues("Retry-After").Single()), 1, 2);

        var audit = _dashboard.App.Services.GetRequiredService<IAuditLog>();
        var entries = await audit.QueryAsync(new AuditQuery(null, AuditAction.RateLimitRefused.Name, AuditOutcome.Refused, null, null, null, 0, 100), ct);
        // One refusal per window (a retried burst adds one): every entry anonymous, by address, never with the code.
        Assert.Contains(entries, e => e.Target == "GET /login");
        Assert.All(entries, e =>
        {
            Assert.Equal("anonymous", e.User);
            Assert.Contains("127.0.0.1", e.Parameters);
            Assert.DoesNotContain(code, e.Parameters + e.Target + e.Message);
        });

        await Poll.UntilAsync(async () => (await http.GetAsync(_dashboard.BaseUrl + "/login", ct)).StatusCode == HttpStatusCode.Redirect, TimeSpan.FromSeconds(10));
        // That the log line carries no code is checked on the real process's log file by SecretHygieneTests.
    }
}
