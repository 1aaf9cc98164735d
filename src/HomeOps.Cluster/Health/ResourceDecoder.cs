using System.Collections.Immutable;
using System.Text.Json;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Health;

/// <summary>
/// Decodes one Kubernetes object (JSON) into a <see cref="ResourceSnapshot"/> with its verdict.
/// Pure and total: never throws; malformed input yields <see cref="HealthStatus.Unknown"/> with a clear reason.
/// </summary>
public static class ResourceDecoder
{
    /// <summary>Decodes an object of a known kind.</summary>
    public static ResourceSnapshot Decode(KindInfo kind, JsonElement obj, DateTimeOffset now)
    {
        // Placeholder until the per-kind rules land: metadata only, verdict Unknown.
        var meta = new ObjectMeta(
            obj.TryGetProperty("metadata", out var m) && m.TryGetProperty("uid", out var u) ? u.GetString() ?? "" : "",
            obj.TryGetProperty("metadata", out m) && m.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "",
            null, "", 0, null, ObjectMeta.NoLabels, ObjectMeta.NoLabels);
        return new ResourceSnapshot(kind, meta, NoDetails.Instance, Verdict.Unknown("NotImplemented", "rules pending"), [], "");
    }

    /// <summary>Finds the kind from <c>apiVersion</c>/<c>kind</c> and decodes; null when the kind is not one we read.</summary>
    public static ResourceSnapshot? TryDecode(JsonElement obj, DateTimeOffset now)
    {
        if (obj.ValueKind != JsonValueKind.Object) return null;
        var kind = Kinds.Find(
            obj.TryGetProperty("apiVersion", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null,
            obj.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null);
        return kind is null ? null : Decode(kind, obj, now);
    }
}
