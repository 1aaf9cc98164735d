using System.Reflection;
using System.Text;
using HomeOps.Dashboard.Hubs;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Guards;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using HomeOps.Operations.Workflows;

namespace HomeOps.EndToEnd;

/// <summary>
/// The authorization matrix (issue 7): every page, HTTP endpoint and hub method the app registers × anonymous, viewer
/// and operator (each by session cookie and by bearer token), a token from another issuer and an expired token. Every
/// cell is sent for real against the running app and its answer compared with the row's expectation; the result is
/// written to $HOMEOPS_TEST_ARTIFACTS/security/authorization-matrix.md.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AuthorizationMatrixTests(BrowserFixture browser) : IAsyncLifetime
{
    public const string MetricsToken = "metrics-e2e-token-not-an-oidc-token";

    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync(new Dictionary<string, string?>
    {
        // The matrix sends hundreds of requests: rate limits are exercised by RateLimitTests, not here.
        ["RateLimits:Actions:PermitLimit"] = "100000",
        ["RateLimits:SignIn:PermitLimit"] = "100000",
        ["Metrics:BearerToken"] = MetricsToken,
    });

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    /// <summary>Replaced by the id of a run the test creates (a hub argument must name something that exists). Declared
    /// before <see cref="HubMethods"/>: static fields initialize in order.</summary>
    private static readonly object RunPlaceholder = new();

    /// <summary>Hub methods: sample arguments and whether operators only may call it. A new hub method needs a row here.</summary>
    private static readonly Dictionary<string, (object?[] Args, bool OperatorOnly)> HubMethods = new()
    {
        [nameof(ClusterHub.GetSnapshot)] = ([], false),
        [nameof(ClusterHub.Reconcile)] = (["Kustomization", "flux-system", "flux-system"], true),
        // A real run (Pending: nothing executes); the cell passes when the stream's first item (the run's state) arrives.
        [nameof(ClusterHub.StreamRun)] = ([RunPlaceholder], false),
    };

    [Fact]
    public async Task Every_endpoint_page_and_hub_method_answers_every_identity_as_expected()
    {
        var ct = TestContext.Current.CancellationToken;
        var callers = await Caller.AllAsync(browser, _dashboard);
        await WaitUntilReadyAsync(ct);

        var registered = EndpointTable.Registered(_dashboard.App.Services);
        var missing = new List<string>();
        var rows = new List<EndpointRow>();
        foreach (var (method, pattern, endpoint) in registered)
        {
            if (EndpointTable.RowFor(method, pattern, endpoint) is { } row) rows.Add(row);
            else missing.Add($"{method} {pattern} ({endpoint.DisplayName})");
        }
        Assert.True(missing.Count == 0, "endpoints without a row in EndpointTable:\n" + string.Join("\n", missing));

        var cells = new List<Cell>();
        using var http = Caller.NewClient();
        // Sessions live on the server: a sign-out ends the cookie for every later cell, so it is the very last row.
        bool EndsSession(EndpointRow r) => r.Pattern == "/logout";
        async Task HttpCellsAsync(IEnumerable<EndpointRow> which)
        {
            foreach (var row in which)
            foreach (var caller in callers.Values)
            {
                var method = new HttpMethod(row.SendMethod);
                using var response = await http.SendAsync(caller.Request(method, _dashboard.BaseUrl + row.Path, row.Content()), ct);
                cells.Add(new Cell("http", $"{row.Method} {row.Path}", caller.Identity, row.Expected(caller.Identity), Outcome.Of(response, _dashboard)));
            }
        }
        await HttpCellsAsync(rows.Where(r => !EndsSession(r)));

        // /metrics with its own token (the only caller allowed there).
        using (var scrape = new HttpRequestMessage(HttpMethod.Get, _dashboard.BaseUrl + "/metrics"))
        {
            scrape.Headers.Authorization = new("Bearer", MetricsToken);
            using var response = await http.SendAsync(scrape, ct);
            cells.Add(new Cell("http", "GET /metrics", null, "200", Outcome.Of(response, _dashboard)));
        }

        var hubMethods = typeof(ClusterHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.Name is not ("OnConnectedAsync" or "OnDisconnectedAsync" or "Dispose")).ToList();
        Assert.All(hubMethods, m => Assert.True(HubMethods.ContainsKey(m.Name), $"ClusterHub.{m.Name} has no row in the matrix"));
        var run = await _dashboard.App.Services.GetRequiredService<IOperationsEngine>().CreateAsync(
            new RunRequest(WorkflowIds.EmergencyRecovery, new Dictionary<string, string?>(), "authorization matrix"),
            new Actor("admin", ["homeops-operators"], true, DateTimeOffset.UtcNow), ct);
        Assert.True(run is { Accepted: true, RunId: not null }, run.ToString());
        foreach (var caller in callers.Values)
            cells.AddRange(await HubCellsAsync(caller, hubMethods, run.RunId!.Value, ct));
        await HttpCellsAsync(rows.Where(EndsSession));

        var report = Report(cells, rows.Count, hubMethods.Count);
        var file = Path.Combine(Artifacts.Directory, "security", "authorization-matrix.md");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, report, ct);
        TestContext.Current.TestOutputHelper?.WriteLine(report.Split("## Cells")[0]);

        var wrong = cells.Where(c => c.Actual != c.Expected).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cells.Count} cells differ:\n" +
            string.Join("\n", wrong.Select(c => $"{c.What} as {c.Who}: expected {c.Expected}, got {c.Actual}")));
        Assert.True(rows.Count >= 40, $"only {rows.Count} endpoint rows were checked");
    }

    private async Task<IEnumerable<Cell>> HubCellsAsync(Caller caller, IReadOnlyList<MethodInfo> methods, Guid runId, CancellationToken ct)
    {
        var anonymousOrBad = caller.Identity is Identity.Anonymous or Identity.OtherIssuerToken or Identity.ExpiredToken;
        var isOperator = caller.Identity is Identity.OperatorCookie or Identity.OperatorBearer;
        await using var connection = new HubConnectionBuilder()
            .WithUrl(_dashboard.BaseUrl + ClusterHub.Path, o =>
            {
                if (caller.Bearer is { } token) o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                if (caller.CookieHeader is { } cookie) o.Headers["Cookie"] = cookie;
            })
            .Build();
        string? connectOutcome = null;
        try
        {
            await connection.StartAsync(ct);
        }
        catch (HttpRequestException e)
        {
            connectOutcome = e.StatusCode is { } s ? ((int)s).ToString() : "connection failed: " + e.Message;
        }
        var cells = new List<Cell>();
        foreach (var method in methods)
        {
            var (sample, operatorOnly) = HubMethods[method.Name];
            var args = sample.Select(a => ReferenceEquals(a, RunPlaceholder) ? runId : a).ToArray();
            var expected = anonymousOrBad ? "401" : operatorOnly && !isOperator ? Outcome.HubRefused : Outcome.HubOk;
            string actual;
            if (connectOutcome is not null) actual = connectOutcome;
            else
            {
                try
                {
                    if (IsStreaming(method)) await FirstItemAsync(connection, method.Name, args, ct);
                    else await connection.InvokeCoreAsync(method.Name, typeof(object), args, ct);
                    actual = Outcome.HubOk;
                }
                catch (HubException e) when (e.Message.Contains("unauthorized", StringComparison.OrdinalIgnoreCase))
                {
                    actual = Outcome.HubRefused;
                }
                catch (HubException e)
                {
                    actual = "hub error: " + e.Message;
                }
            }
            cells.Add(new Cell("hub", $"ClusterHub.{method.Name}", caller.Identity, expected, actual));
        }
        return cells;
    }

    private static bool IsStreaming(MethodInfo method) =>
        method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>);

    /// <summary>A streaming method answers when its first item arrives; the stream is then cancelled.</summary>
    private static async Task FirstItemAsync(HubConnection connection, string method, object?[] args, CancellationToken ct)
    {
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stream.CancelAfter(TimeSpan.FromSeconds(30));
        await foreach (var _ in connection.StreamAsyncCore<object>(method, args, stream.Token))
        {
            await stream.CancelAsync();
            return;
        }
        throw new HubException($"{method} ended without an item");
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        using var http = Caller.NewClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await http.GetAsync(_dashboard.BaseUrl + "/readyz", ct)).StatusCode != System.Net.HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("/readyz never answered 200");
            await Task.Delay(100, ct);
        }
    }

    private static string Report(IReadOnlyList<Cell> cells, int endpointRows, int hubMethods)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Authorization matrix");
        sb.AppendLine();
        sb.AppendLine($"Generated by `{nameof(AuthorizationMatrixTests)}` at {DateTimeOffset.UtcNow:u}.");
        sb.AppendLine();
        sb.AppendLine($"- Endpoint rows (method × route, from the app's EndpointDataSource): {endpointRows}");
        sb.AppendLine($"- Hub methods: {hubMethods}");
        sb.AppendLine($"- Identities: {string.Join(", ", Enum.GetNames<Identity>())}");
        sb.AppendLine($"- Cells checked: {cells.Count} ({cells.Count(c => c.Kind == "http")} HTTP, {cells.Count(c => c.Kind == "hub")} hub)");
        sb.AppendLine($"- Cells as expected: {cells.Count(c => c.Actual == c.Expected)}; differing: {cells.Count(c => c.Actual != c.Expected)}");
        sb.AppendLine();
        sb.AppendLine("| outcome | cells |");
        sb.AppendLine("| --- | ---: |");
        foreach (var g in cells.GroupBy(c => c.Actual).OrderByDescending(g => g.Count()))
            sb.AppendLine($"| {g.Key} | {g.Count()} |");
        sb.AppendLine();
        sb.AppendLine("| identity | " + string.Join(" | ", cells.Select(c => c.Actual).Distinct().Order()) + " |");
        sb.AppendLine("| --- |" + string.Concat(cells.Select(c => c.Actual).Distinct().Select(_ => " ---: |")));
        foreach (var who in cells.GroupBy(c => c.Who?.ToString() ?? "metrics token"))
            sb.AppendLine($"| {who.Key} | " + string.Join(" | ", cells.Select(c => c.Actual).Distinct().Order().Select(o => who.Count(c => c.Actual == o))) + " |");
        sb.AppendLine();
        sb.AppendLine("## Cells (static files folded: each answered 200 to every identity)");
        sb.AppendLine();
        sb.AppendLine("| request | " + string.Join(" | ", Enum.GetNames<Identity>()) + " |");
        sb.AppendLine("| --- |" + string.Concat(Enum.GetNames<Identity>().Select(_ => " --- |")));
        foreach (var row in cells.Where(c => c.Who is not null).GroupBy(c => c.What))
        {
            if (row.All(c => c.Actual == "200" && c.Expected == "200") && row.Key.Contains("/_content/", StringComparison.Ordinal)) continue;
            sb.AppendLine($"| `{row.Key}` | " + string.Join(" | ", Enum.GetValues<Identity>().Select(i =>
                row.FirstOrDefault(c => c.Who == i) is { } c ? (c.Actual == c.Expected ? c.Actual : $"**{c.Actual}** (expected {c.Expected})") : "")) + " |");
        }
        return sb.ToString();
    }

    private sealed record Cell(string Kind, string What, Identity? Who, string Expected, string Actual);
}
