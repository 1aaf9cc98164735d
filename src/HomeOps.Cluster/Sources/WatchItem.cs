using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using k8s;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// One watch event, already decoded: what the informer's batcher needs and nothing that ties it to the JSON it came
/// from (so the line's parse buffers go back to their pool as soon as it is read). Exactly one of
/// <see cref="Upsert"/> (ADDED/MODIFIED of an object we keep) and <see cref="DeletedKey"/> (DELETED, or changed into an
/// object we do not keep) is set for an object change; neither for BOOKMARK and ERROR.
/// </summary>
public readonly record struct WatchItem(WatchEventType Type, string? ResourceVersion, ResourceSnapshot? Upsert, string? DeletedKey)
{
    /// <summary>
    /// Decodes the object of an event (health rule included). Never throws: the decoder is total.
    /// <paramref name="held"/> is what the store holds of the kind: an update reuses the unchanged parts of the object's
    /// previous snapshot (<see cref="ResourceDecoder.Decode(KindInfo, JsonElement, DateTimeOffset, ResourceSnapshot?)"/>).
    /// </summary>
    public static WatchItem From(KindInfo kind, WatchEventType type, JsonElement obj, DateTimeOffset now,
        IReadOnlyDictionary<string, ResourceSnapshot>? held = null)
    {
        var version = ResourceVersionOf(obj);
        return type switch
        {
            WatchEventType.Added or WatchEventType.Modified when ResourceDecoder.IsTracked(kind, obj) =>
                new WatchItem(type, version, Decode(kind, obj, now, held), null),
            WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted =>
                new WatchItem(type, version, null, KeyOf(obj)),
            _ => new WatchItem(type, version, null, null),
        };
    }

    /// <summary>Decodes one object, reusing what <paramref name="held"/> has of it (by uid) where nothing changed.</summary>
    public static ResourceSnapshot Decode(KindInfo kind, JsonElement obj, DateTimeOffset now, IReadOnlyDictionary<string, ResourceSnapshot>? held)
    {
        ResourceSnapshot? previous = null;
        if (held is { Count: > 0 } && obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("metadata", out var meta) &&
            meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("uid", out var uid) && uid.ValueKind == JsonValueKind.String)
            held.TryGetValue(uid.GetString() ?? "", out previous);
        return ResourceDecoder.Decode(kind, obj, now, previous);
    }

    /// <summary>The store key of an object (<see cref="ResourceSnapshot.Key"/>) without decoding it.</summary>
    internal static string KeyOf(JsonElement obj)
    {
        var meta = ObjectParts.BestEffortMeta(obj);
        return meta.Uid.Length > 0 ? meta.Uid : meta.DisplayName;
    }

    private static string? ResourceVersionOf(JsonElement obj) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object
        && meta.TryGetProperty("resourceVersion", out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
}
