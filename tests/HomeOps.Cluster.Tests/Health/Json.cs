using System.Text.Json;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>Inline JSON for focused tests (single quotes allowed for readability).</summary>
internal static class Json
{
    public static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json.Replace('\'', '"'));
        return doc.RootElement.Clone();
    }
}
