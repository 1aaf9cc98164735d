using System.Text.Json.Nodes;

namespace HomeOps.Simulator.Store;

/// <summary>Small helpers for reading and writing the usual fields of an object kept as a <see cref="JsonObject"/>.</summary>
public static class ObjectJson
{
    public static JsonObject Metadata(this JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta) return meta;
        var created = new JsonObject();
        obj["metadata"] = created;
        return created;
    }

    public static string? String(this JsonNode? node, string property) =>
        node is JsonObject o && o[property] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static string Name(this JsonObject obj) => obj["metadata"].String("name") ?? "";

    public static string Namespace(this JsonObject obj) => obj["metadata"].String("namespace") ?? "";

    /// <summary><c>metadata.generation</c>, however the number is held (parsed, int or long).</summary>
    public static long? Generation(this JsonObject obj) =>
        obj["metadata"] is JsonObject m && m["generation"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? (long)Number(v)
            : null;

    public static IReadOnlyDictionary<string, string> Labels(this JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject m || m["labels"] is not JsonObject labels) return EmptyLabels;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var s)) result[key] = s;
        }
        return result;
    }

    /// <summary>Finds <c>status.conditions[type=<paramref name="type"/>]</c>.</summary>
    public static JsonObject? Condition(this JsonObject obj, string type) =>
        (obj["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.String("type") == type);

    /// <summary>A JSON number whatever its form (Longhorn sizes can arrive as <c>1.1e+12</c>); 0 when it is not a number.</summary>
    public static double Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    /// <summary>Kubernetes timestamps are RFC 3339 in UTC with second precision.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private static readonly IReadOnlyDictionary<string, string> EmptyLabels = new Dictionary<string, string>();
}
