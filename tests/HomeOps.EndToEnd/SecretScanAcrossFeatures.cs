using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HomeOps.Dashboard.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace HomeOps.EndToEnd;

/// <summary>
/// Everything the secrets scan reads, labelled by where it came from (page HTML, API response, hub payload, ...),
/// and the known secret values to look for in it.
/// </summary>
public sealed class SecretScan
{
    private readonly List<(string Source, string Text)> _captured = [];
    private readonly Dictionary<string, string> _secrets = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Secrets => _secrets;

    public IEnumerable<string> Sources => _captured.Select(c => c.Source);

    public int Count(string kind) => _captured.Count(c => c.Source.StartsWith(kind, StringComparison.Ordinal));

    public void Secret(string what, string? value)
    {
        // Very short values (e.g. "chunks-2") would match by accident and are not secrets.
        if (!string.IsNullOrEmpty(value) && value.Length >= 12) _secrets[what] = value;
    }

    public void Capture(string source, string text)
    {
        lock (_captured) _captured.Add((source, text));
    }

    /// <summary>Each secret as written and in the encodings a page or log could carry it (URL-encoded, JSON-escaped).</summary>
    public List<string> Findings()
    {
        var findings = new List<string>();
        foreach (var (what, value) in _secrets)
        {
            var forms = new HashSet<string>(StringComparer.Ordinal) { value, Uri.EscapeDataString(value), JsonSerializer.Serialize(value).Trim('"') };
            lock (_captured)
                foreach (var (source, text) in _captured)
                    if (forms.Any(f => text.Contains(f, StringComparison.Ordinal)))
                        findings.Add($"the {what} appears in {source}");
        }
        return findings;
    }
}

/// <summary>Drives every feature of a running dashboard as a person and as a program, feeding what it sees to a <see cref="SecretScan"/>.</summary>
public static partial class FeatureTour
{
    /// <summary>Every page path of the app, from the endpoint table (GET rows of browser pages and public pages).</summary>
    public static IReadOnlyList<string> PagePaths() =>
        EndpointTable.Explicit.Where(r => r.Method == "GET" && (r.Access == Access.ViewerBrowser || r.Access == Access.Public)
                                          && !r.Path.StartsWith("/login", StringComparison.Ordinal) && r.Path is not ("/healthz" or "/readyz"))
            .Select(r => r.Path).ToList();

    /// <summary>Opens every page as the signed-in user of <paramref name="page"/>: the live DOM and the server's raw HTML (with its prerendered state).</summary>
    public static async Task PagesAsync(IPage page, string baseUrl, string who, SecretScan scan)
    {
        foreach (var path in PagePaths())
        {
            var response = await page.GotoAsync(baseUrl + path);
            if (IsInteractive(path)) await SignIn.WaitForCircuitAsync(page);
            scan.Capture($"page DOM {path} as {who} ({response?.Status})", await page.ContentAsync());
            var raw = await page.Context.APIRequest.GetAsync(baseUrl + path);
            scan.Capture($"page HTML {path} as {who} ({raw.Status})", await raw.TextAsync());
        }
    }

    private static bool IsInteractive(string path) =>
        path is not ("/access-denied" or "/signed-out" or "/signin-error" or "/Error" or "/breakglass" or "/breakglass/step-up");

    public static async Task ApiAsync(IAPIRequestContext api, string baseUrl, string who, SecretScan scan)
    {
        foreach (var path in new[]
                 {
                     "/api/v1/health", "/api/v1/antiforgery", "/api/v1/audit?format=json", "/api/v1/audit?format=csv",
                     "/api/v1/operations/workflows", "/api/v1/operations/runs", "/api/v1/operations/runs/00000000-0000-4000-8000-000000000001",
                     "/metrics", "/healthz", "/readyz", "/no-such-page", "/Error",
                 })
        {
            var r = await api.GetAsync(baseUrl + path);
            scan.Capture($"response GET {path} as {who} ({r.Status})", HeadersOf(r) + await r.TextAsync());
        }
    }

    /// <summary>An action refused by the policy (viewer: 403) or by the action's guard (operator without confirmation: 409).</summary>
    public static async Task RefusedActionAsync(IAPIRequestContext api, string baseUrl, string who, SecretScan scan)
    {
        var token = JsonDocument.Parse(await (await api.GetAsync(baseUrl + "/api/v1/antiforgery")).TextAsync()).RootElement.GetProperty("token").GetString()!;
        var r = await api.PostAsync(baseUrl + "/api/v1/operations/runs/trigger", new()
        {
            DataObject = new { workflowId = "cluster:safe-reset", parameters = new { nodes = "mini02" } },
            Headers = new Dictionary<string, string> { ["RequestVerificationToken"] = token },
        });
        scan.Capture($"response refused action as {who} ({r.Status})", HeadersOf(r) + await r.TextAsync());
        var noToken = await api.PostAsync(baseUrl + "/api/v1/flux/Kustomization/flux-system/flux-system/suspend", new() { DataObject = new { } });
        scan.Capture($"response action without antiforgery as {who} ({noToken.Status})", HeadersOf(noToken) + await noToken.TextAsync());
    }

    /// <summary>The hub as a program: the snapshot, a method result and live changes, captured as the raw JSON sent.</summary>
    public static async Task<HubConnection> HubAsync(string baseUrl, string accessToken, SecretScan scan, CancellationToken ct)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(baseUrl + ClusterHub.Path, o => o.AccessTokenProvider = () => Task.FromResult<string?>(accessToken))
            .Build();
        var snapshot = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<JsonElement>(nameof(IClusterHubClient.Snapshot), e => { scan.Capture("hub Snapshot", e.GetRawText()); snapshot.TrySetResult(); });
        connection.On<JsonElement>(nameof(IClusterHubClient.Changes), e => scan.Capture("hub Changes", e.GetRawText()));
        await connection.StartAsync(ct);
        await snapshot.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        scan.Capture("hub GetSnapshot", (await connection.InvokeAsync<JsonElement>(nameof(ClusterHub.GetSnapshot), ct)).GetRawText());
        return connection;
    }

    private static string HeadersOf(IAPIResponse r) => string.Join("\n", r.Headers.Select(h => $"{h.Key}: {h.Value}")) + "\n\n";
}
