using System.Text.Json;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// One page of a list response (<c>&lt;Kind&gt;List</c>) as the informer reads it: one parse with
/// <see cref="InformerJson"/>, each tracked item decoded (health rule included) against what the store holds, and the
/// list's <c>resourceVersion</c> and <c>continue</c> token.
/// </summary>
public readonly record struct ListPage(string? ResourceVersion, string? Continue)
{
    public static async Task<ListPage> ReadAsync(Stream body, KindInfo kind, DateTimeOffset now,
        IReadOnlyDictionary<string, ResourceSnapshot>? held, List<ResourceSnapshot> items, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(body, InformerJson.Document, cancellationToken).ConfigureAwait(false);
        return Read(document.RootElement, kind, now, held, items);
    }

    public static ListPage Read(ReadOnlyMemory<byte> body, KindInfo kind, DateTimeOffset now,
        IReadOnlyDictionary<string, ResourceSnapshot>? held, List<ResourceSnapshot> items)
    {
        using var document = JsonDocument.Parse(body, InformerJson.Document);
        return Read(document.RootElement, kind, now, held, items);
    }

    private static ListPage Read(JsonElement body, KindInfo kind, DateTimeOffset now,
        IReadOnlyDictionary<string, ResourceSnapshot>? held, List<ResourceSnapshot> items)
    {
        if (body.ValueKind != JsonValueKind.Object) return default;
        if (body.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
            foreach (var item in array.EnumerateArray())
                if (Health.ResourceDecoder.IsTracked(kind, item)) items.Add(WatchItem.Decode(kind, item, now, held));
        var meta = body.TryGetProperty("metadata", out var m) ? m : default;
        return new ListPage(StringProperty(meta, "resourceVersion"), StringProperty(meta, "continue"));
    }

    private static string? StringProperty(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
}
