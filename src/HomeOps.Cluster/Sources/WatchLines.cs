using System.Text.Json;
using HomeOps.Cluster.Model;
using k8s;
using k8s.Models;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// Reads watch-event lines with one JSON parse each, into pooled buffers that are returned as soon as the object is
/// decoded. KubernetesClient's own reader (<c>WatchAsync</c>) parses every line twice (once to look for a Status, once
/// typed) and copies the object out of its document, which made reading a line cost as much as decoding it and its
/// health rule together. The semantics are KubernetesClient 21's: an object of kind <c>Status</c> is the server reporting
/// an error (410 Expired…), a line that is not JSON is an error of its own, and a missing <c>type</c> reads as ADDED.
/// The informer hands over the raw UTF-8 bytes of each line (<see cref="Utf8LineSplitter"/>); lines are read as deep as
/// kube-apiserver writes (<see cref="InformerJson"/>), so one deep HelmRelease cannot end every session.
/// </summary>
public static class WatchLines
{

    /// <summary>
    /// Reads one line. On success returns the decoded event; otherwise null and <paramref name="error"/>: a
    /// <see cref="KubernetesException"/> for an ERROR Status, a <see cref="JsonException"/> for a line that cannot be read.
    /// </summary>
    /// <param name="held">What the store holds of the kind (for reuse, see <see cref="WatchItem.From"/>); optional.</param>
    public static WatchItem? Read(string line, KindInfo kind, DateTimeOffset now, out Exception? error,
        IReadOnlyDictionary<string, ResourceSnapshot>? held = null) =>
        Read(System.Text.Encoding.UTF8.GetBytes(line), kind, now, out error, held);

    /// <summary>Reads one line given as its UTF-8 bytes (what <see cref="Utf8LineSplitter"/> yields), without a copy.</summary>
    public static WatchItem? Read(ReadOnlyMemory<byte> line, KindInfo kind, DateTimeOffset now, out Exception? error,
        IReadOnlyDictionary<string, ResourceSnapshot>? held = null)
    {
        error = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, InformerJson.Document);
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
        try { status = obj.Deserialize<V1Status>(InformerJson.Serializer); }
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
}
