using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace HomeOps.Simulator.Tests.Support;

/// <summary>Small JSON helpers over HttpClient for the raw-HTTP tests.</summary>
internal static class HttpJson
{
    public static async Task<(int Status, JsonNode? Body)> GetJsonAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static async Task<JsonObject> GetObjectAsync(this HttpClient client, string url)
    {
        var (status, body) = await client.GetJsonAsync(url);
        Assert.True(status == 200, $"GET {url} answered {status}: {body?.ToJsonString()}");
        return body!.AsObject();
    }

    public static async Task<(int Status, JsonNode? Body)> SendAsync(this HttpClient client, HttpMethod method, string url, string? body = null,
        string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static Task<(int Status, JsonNode? Body)> PatchAsync(this HttpClient client, string url, string patch,
        string contentType = "application/merge-patch+json") =>
        client.SendAsync(HttpMethod.Patch, url, patch, contentType);

    /// <summary>A merge patch that sets one label.</summary>
    public static string LabelPatch(string key, string value) =>
        new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [key] = value } } }.ToJsonString();

    public static string? Str(this JsonNode? node, params string[] path)
    {
        foreach (var p in path) node = node?[p];
        return node?.GetValue<string>();
    }

    public static IEnumerable<string> Names(this JsonNode list) =>
        list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>());

    public static JsonObject? Condition(this JsonNode obj, string type) =>
        obj["status"]?["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
}
