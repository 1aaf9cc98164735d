using System.Reflection;
using System.Text.Json;
using HomeOps.Cluster.Model;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// Reads watch-event lines with one JSON parse each, into pooled buffers that are returned as soon as the object is
/// decoded. KubernetesClient's own reader (<c>WatchAsync</c>) parses every line twice (once to look for a Status, once
/// typed) and copies the object out of its document, which made reading a line cost as much as decoding it and its
/// health rule together. The semantics are KubernetesClient 21's: an object of kind <c>Status</c> is the server reporting
/// an error (410 Expired…), a line that is not JSON is an error of its own, and a missing <c>type</c> reads as ADDED.
/// </summary>
public static class WatchLines
{
    private static readonly JsonDocumentOptions Options = new()
    {
        // As deep as KubernetesClient reads (KubernetesJsonDepth): one deep HelmRelease must not end every session.
        MaxDepth = KubernetesJsonDepth.EnsureApiServerDepth() ? KubernetesJsonDepth.ApiServerMaxDepth : 64,
    };

    /// <summary>
    /// Reads one line. On success returns the decoded event; otherwise null and <paramref name="error"/>: a
    /// <see cref="KubernetesException"/> for an ERROR Status, a <see cref="JsonException"/> for a line that cannot be read.
    /// </summary>
    /// <param name="held">What the store holds of the kind (for reuse, see <see cref="WatchItem.From"/>); optional.</param>
    public static WatchItem? Read(string line, KindInfo kind, DateTimeOffset now, out Exception? error,
        IReadOnlyDictionary<string, ResourceSnapshot>? held = null)
    {
        error = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, Options);
        }
        catch (JsonException e)
        {
            // JsonDocument throws an internal subtype; report a plain JsonException, as KubernetesClient's serializer does.
            error = e.GetType() == typeof(JsonException) ? e : new JsonException(e.Message, e);
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
            {
                error = new JsonException($"a watch event line without an object ({Describe(root)})");
                return null;
            }
            if (obj.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String && k.ValueEquals("Status"))
            {
                error = StatusError(obj);
                return null;
            }
            if (!TryType(root, out var type))
            {
                error = new JsonException("a watch event line with an unknown type");
                return null;
            }
            return WatchItem.From(kind, type, obj, now, held);
        }
    }

    private static KubernetesException StatusError(JsonElement obj)
    {
        V1Status? status;
        try { status = obj.Deserialize<V1Status>(); }
        catch (JsonException) { status = null; }
        return new KubernetesException(status ?? new V1Status { Status = "Failure", Message = "unreadable Status in a watch event" });
    }

    private static bool TryType(JsonElement root, out WatchEventType type)
    {
        type = WatchEventType.Added;
        if (!root.TryGetProperty("type", out var t) || t.ValueKind == JsonValueKind.Null) return true;
        if (t.ValueKind != JsonValueKind.String) return false;
        // The enum's names compared without case, as KubernetesClient's JsonStringEnumConverter reads them.
        if (Is(t, "ADDED", "Added")) type = WatchEventType.Added;
        else if (Is(t, "MODIFIED", "Modified")) type = WatchEventType.Modified;
        else if (Is(t, "DELETED", "Deleted")) type = WatchEventType.Deleted;
        else if (Is(t, "BOOKMARK", "Bookmark")) type = WatchEventType.Bookmark;
        else if (Is(t, "ERROR", "Error")) type = WatchEventType.Error;
        else return TryParseAnyCase(t.GetString(), out type); // "added", "Modified"…: rare, so the slow way
        return true;
    }

    private static bool Is(JsonElement t, string upper, string name) => t.ValueEquals(upper) || t.ValueEquals(name);

    private static bool TryParseAnyCase(string? text, out WatchEventType type) =>
        Enum.TryParse(text, ignoreCase: true, out type) && Enum.IsDefined(type) && !int.TryParse(text, out _); // names only

    private static string Describe(JsonElement e) => e.ValueKind == JsonValueKind.Object ? "no object field" : $"the line is {Health.JsonRead.Describe(e)}";

    private static (Type Type, PropertyInfo? Property)? _readerProperty;

    /// <summary>
    /// The reader KubernetesClient's watch response reads its lines from (<c>LineSeparatedHttpContent.StreamReader</c>,
    /// whose first line the client has already peeked and still holds), or null when this client version has none: then
    /// the informer falls back to KubernetesClient's own watch reader. A test pins that 21.0.8 has it.
    /// </summary>
    public static TextReader? ReaderOf(HttpOperationResponse<object> response)
    {
        if (response.Response?.Content is not { } content) return null;
        var type = content.GetType();
        var cached = _readerProperty;
        if (cached is not { } c || c.Type != type)
        {
            c = (type, type.GetProperty("StreamReader", BindingFlags.Public | BindingFlags.Instance));
            _readerProperty = c;
        }
        return c.Property?.PropertyType == typeof(TextReader) ? c.Property.GetValue(content) as TextReader : null;
    }
}
