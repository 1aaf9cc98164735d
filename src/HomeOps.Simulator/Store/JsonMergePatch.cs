using System.Text.Json.Nodes;

namespace HomeOps.Simulator.Store;

/// <summary>
/// RFC 7386 JSON merge patch, plus the strategic-merge flavour the API server applies to core types:
/// lists with a known merge key (conditions by <c>type</c>, taints by <c>key</c>) merge element by element
/// instead of being replaced, and <c>$patch: delete</c> removes an element.
/// </summary>
public static class JsonMergePatch
{
    // patchMergeKey of the list fields of core/v1 Node (k8s.io/api/core/v1/types.go).
    private static readonly Dictionary<string, string> StrategicMergeKeys = new(StringComparer.Ordinal)
    {
        ["conditions"] = "type",
        ["taints"] = "key",
        ["ownerReferences"] = "uid",
    };

    /// <summary>Returns a new node: <paramref name="target"/> with <paramref name="patch"/> merged in.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch, bool strategic = false) => Merge(target, patch, strategic);

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch, bool strategic)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            // Directives of strategic merge patches ($setElementOrder/…, $retainKeys) only order or prune; skip them.
            if (strategic && name.StartsWith('$')) continue;
            if (value is null)
            {
                result.Remove(name);
                continue;
            }
            if (strategic && value is JsonArray patchList && result[name] is JsonArray targetList
                && StrategicMergeKeys.TryGetValue(name, out var mergeKey))
            {
                result[name] = MergeList(targetList, patchList, mergeKey);
                continue;
            }
            result[name] = Merge(result[name], value, strategic);
        }
        return result;
    }

    private static JsonArray MergeList(JsonArray target, JsonArray patch, string mergeKey)
    {
        var merged = target.Select(e => e?.DeepClone()).ToList();
        foreach (var element in patch)
        {
            if (element is not JsonObject patchElement || KeyOf(patchElement, mergeKey) is not { } key)
            {
                merged.Add(element?.DeepClone());
                continue;
            }
            var index = merged.FindIndex(e => e is JsonObject o && KeyOf(o, mergeKey) == key);
            var delete = patchElement["$patch"]?.GetValue<string>() == "delete";
            if (delete)
            {
                if (index >= 0) merged.RemoveAt(index);
            }
            else if (index >= 0)
            {
                merged[index] = Merge(merged[index], patchElement, strategic: true);
            }
            else
            {
                merged.Add(Merge(null, patchElement, strategic: true));
            }
        }
        return new JsonArray([.. merged]);
    }

    private static string? KeyOf(JsonObject element, string mergeKey) =>
        element[mergeKey] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
