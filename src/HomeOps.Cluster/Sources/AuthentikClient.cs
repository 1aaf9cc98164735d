using System.Net;
using System.Text.Json;

namespace HomeOps.Cluster.Sources;

/// <summary>An Authentik API call answered with an error status. The message never contains the token.</summary>
public sealed class AuthentikApiException(HttpStatusCode statusCode, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;
}

/// <summary>
/// Typed client for the parts of Authentik's REST API v3 the dashboard reads. The base address, the bearer token,
/// TLS trust and resilience are set up by <see cref="ServiceCollectionExtensions.AddClusterSources"/>.
/// </summary>
public sealed class AuthentikClient(HttpClient http)
{
    /// <summary>Pages requested per list call; Authentik's default is 20.</summary>
    internal const int PageSize = 100;

    /// <summary>Guards against a server whose <c>pagination.next</c> never reaches 0.</summary>
    private const int MaxPages = 1000;

    /// <summary><c>GET /api/v3/outposts/instances/</c>, all pages.</summary>
    public Task<IReadOnlyList<JsonElement>> ListOutpostsAsync(CancellationToken cancellationToken = default) =>
        ListAllAsync("api/v3/outposts/instances/", cancellationToken);

    /// <summary><c>GET /api/v3/outposts/instances/{pk}/health/</c>: a bare array, one entry per connected instance.</summary>
    public Task<JsonElement> GetOutpostHealthAsync(string pk, CancellationToken cancellationToken = default) =>
        GetAsync($"api/v3/outposts/instances/{Uri.EscapeDataString(pk)}/health/", cancellationToken);

    /// <summary><c>GET /api/v3/core/tokens/</c>, all pages.</summary>
    public Task<IReadOnlyList<JsonElement>> ListTokensAsync(CancellationToken cancellationToken = default) =>
        ListAllAsync("api/v3/core/tokens/", cancellationToken);

    /// <summary><c>GET /api/v3/core/users/me/</c>: succeeds only with a valid token.</summary>
    public Task<JsonElement> GetMeAsync(CancellationToken cancellationToken = default) =>
        GetAsync("api/v3/core/users/me/", cancellationToken);

    /// <summary>Follows Authentik's pagination envelope: <c>pagination.next</c> is a page number, 0 = no more.</summary>
    private async Task<IReadOnlyList<JsonElement>> ListAllAsync(string path, CancellationToken ct)
    {
        var results = new List<JsonElement>();
        var page = 1;
        for (var fetched = 0; page > 0 && fetched < MaxPages; fetched++)
        {
            var body = await GetAsync($"{path}?page={page}&page_size={PageSize}", ct).ConfigureAwait(false);
            if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("results", out var items) || items.ValueKind != JsonValueKind.Array)
                throw new AuthentikApiException(HttpStatusCode.OK, $"Authentik API: {path} did not return a paginated list");
            results.AddRange(items.EnumerateArray());
            var next = body.TryGetProperty("pagination", out var p) && p.ValueKind == JsonValueKind.Object &&
                       p.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var v)
                ? v
                : 0;
            page = next > page ? next : 0;
        }
        return results;
    }

    private async Task<JsonElement> GetAsync(string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new AuthentikApiException(response.StatusCode, Describe(response.StatusCode, path));
        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var doc = await JsonDocument.ParseAsync(stream, cancellationToken: ct).ConfigureAwait(false);
        return doc.RootElement.Clone();
    }

    private static string Describe(HttpStatusCode status, string path)
    {
        var endpoint = path.Split('?')[0];
        return status switch
        {
            HttpStatusCode.Unauthorized => AuthentikPoller.TokenRejected,
            HttpStatusCode.Forbidden => $"token lacks permission (403) for /{endpoint}",
            HttpStatusCode.NotFound => $"not found (404): /{endpoint}",
            _ => $"Authentik API error {(int)status} on /{endpoint}",
        };
    }
}
