using System.Text.Json;
using Microsoft.Playwright;

namespace HomeOps.EndToEnd;

/// <summary>
/// The operations JSON API called with a browser context's own session cookie (as a script in the page would), with
/// the antiforgery header every cookie-authenticated POST needs.
/// </summary>
public sealed class OperationsApi(IBrowserContext context, string baseUrl)
{
    private KeyValuePair<string, string>? _antiforgery;

    public async Task<(int Status, JsonElement Body)> PostAsync(string path, object body)
    {
        var token = await AntiforgeryAsync();
        var response = await context.APIRequest.PostAsync(baseUrl + path, new()
        {
            DataObject = body,
            Headers = new Dictionary<string, string> { [token.Key] = token.Value },
        });
        return (response.Status, await JsonAsync(response));
    }

    public async Task<(int Status, JsonElement Body)> GetAsync(string path)
    {
        var response = await context.APIRequest.GetAsync(baseUrl + path);
        return (response.Status, await JsonAsync(response));
    }

    /// <summary>The audit entries matching a query string (e.g. <c>runId=…</c>, <c>action=run.start&amp;outcome=Refused</c>).</summary>
    public async Task<List<JsonElement>> AuditAsync(string query)
    {
        var (status, body) = await GetAsync("/api/v1/audit?format=json&" + query);
        Assert.Equal(200, status);
        return [.. body.EnumerateArray()];
    }

    private async Task<KeyValuePair<string, string>> AntiforgeryAsync()
    {
        if (_antiforgery is { } cached) return cached;
        var response = await context.APIRequest.GetAsync(baseUrl + "/api/v1/antiforgery");
        Assert.Equal(200, response.Status);
        using var doc = JsonDocument.Parse(await response.TextAsync());
        var pair = new KeyValuePair<string, string>(doc.RootElement.GetProperty("header").GetString()!, doc.RootElement.GetProperty("token").GetString()!);
        _antiforgery = pair;
        return pair;
    }

    private static async Task<JsonElement> JsonAsync(IAPIResponse response)
    {
        var text = await response.TextAsync();
        if (string.IsNullOrWhiteSpace(text)) return default;
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new InvalidOperationException($"HTTP {response.Status} with a body that is not JSON:\n{text}");
        }
    }
}
