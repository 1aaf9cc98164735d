using System.Text.Json;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Health;

/// <summary>
/// Real-world captures are often partial: a pasted <c>status:</c> block, one Longhorn <c>diskStatus</c> entry, an
/// object without <c>apiVersion</c>. These helpers give them the shape of a whole object so the normal rules apply.
/// </summary>
internal static class Fragments
{
    private static readonly string[] ObjectKeys = ["metadata", "spec", "status", "apiVersion", "kind"];

    /// <summary>Wraps a bare status (or a bare Longhorn disk entry) into an object; other input is returned as is.</summary>
    public static JsonElement Normalize(KindInfo kind, JsonElement obj)
    {
        // A pasted list of conditions, or one condition on its own.
        if (obj.ValueKind == JsonValueKind.Array && obj.GetArrayLength() > 0 && obj.EnumerateArray().All(IsCondition))
            return Wrap(obj);
        if (obj.ValueKind != JsonValueKind.Object) return obj;
        if (IsCondition(obj)) return Wrap(JsonSerializer.SerializeToElement(new[] { obj }));

        foreach (var k in ObjectKeys)
            if (obj.TryGetProperty(k, out _)) return obj;

        if (kind.Key == Kinds.LonghornNode.Key && IsDiskEntry(obj))
        {
            var name = obj.Str("diskName", "disk");
            return JsonSerializer.SerializeToElement(new Dictionary<string, object>
            {
                ["status"] = new Dictionary<string, object> { ["diskStatus"] = new Dictionary<string, JsonElement> { [name] = obj } },
            });
        }
        if (obj.TryGetProperty("conditions", out _) || obj.TryGetProperty("diskStatus", out _) ||
            obj.TryGetProperty("bgpInstances", out _) || obj.TryGetProperty("robustness", out _) ||
            obj.TryGetProperty("state", out _))
            return JsonSerializer.SerializeToElement(new Dictionary<string, JsonElement> { ["status"] = obj });
        return obj;
    }

    private static bool IsCondition(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.Prop("type") is { ValueKind: JsonValueKind.String } && e.Prop("status") is not null &&
        e.Prop("metadata") is null && e.Prop("kind") is null;

    private static JsonElement Wrap(JsonElement conditions) =>
        JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["status"] = new Dictionary<string, JsonElement> { ["conditions"] = conditions },
        });

    private static bool IsDiskEntry(JsonElement obj) =>
        obj.TryGetProperty("storageMaximum", out _) || obj.TryGetProperty("diskUUID", out _) || obj.TryGetProperty("diskPath", out _);

    /// <summary>
    /// The kind of an object that names its <c>kind</c> but not its <c>apiVersion</c> (a pasted fragment).
    /// "Node" is ambiguous between Kubernetes and Longhorn; the shape decides.
    /// </summary>
    public static KindInfo? InferKind(string kindName, JsonElement obj)
    {
        if (kindName == "Node")
        {
            var longhorn = obj.At("status", "diskStatus") is not null || obj.At("spec", "disks") is not null;
            return longhorn ? Kinds.LonghornNode : Kinds.Node;
        }
        KindInfo? found = null;
        foreach (var k in Kinds.Watched)
        {
            if (k.Kind != kindName) continue;
            if (found is not null) return null; // ambiguous
            found = k;
        }
        return found;
    }
}
