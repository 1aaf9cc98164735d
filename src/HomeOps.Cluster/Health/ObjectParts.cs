using System.Collections.Immutable;
using System.Text.Json;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Health;

/// <summary>The parts every Kubernetes object shares: metadata, status conditions, the raw status text.</summary>
public static class ObjectParts
{
    /// <summary>Raw status is kept for the detail drawer; bounded so one huge object cannot bloat the store.</summary>
    public const int RawStatusLimit = 64 * 1024;

    /// <summary>Reads <c>metadata</c>. Throws <see cref="MalformedException"/> only when <c>metadata</c> is not an object.</summary>
    public static ObjectMeta Meta(JsonElement obj)
    {
        var m = ((JsonElement?)obj).ObjectAt("metadata", "metadata");
        return new ObjectMeta(
            Uid: m.Prop("uid").Str(""),
            Name: m.Prop("name").Str(""),
            Namespace: NullIfEmpty(m.Prop("namespace").Str()),
            ResourceVersion: m.Prop("resourceVersion").Str(""),
            Generation: m.Prop("generation").Long() ?? 0,
            CreatedAt: m.Prop("creationTimestamp").Time(),
            Labels: StringMap(m.Prop("labels")),
            Annotations: StringMap(m.Prop("annotations")));
    }

    /// <summary>Metadata read without any structural check, for the Malformed fallback (never throws).</summary>
    public static ObjectMeta BestEffortMeta(JsonElement obj)
    {
        try
        {
            var m = obj.Prop("metadata");
            return new ObjectMeta(m.Prop("uid").Str(""), m.Prop("name").Str(""), NullIfEmpty(m.Prop("namespace").Str()),
                m.Prop("resourceVersion").Str(""), m.Prop("generation").Long() ?? 0, m.Prop("creationTimestamp").Time(),
                ObjectMeta.NoLabels, ObjectMeta.NoLabels);
        }
        catch (Exception)
        {
            return new ObjectMeta("", "", null, "", 0, null, ObjectMeta.NoLabels, ObjectMeta.NoLabels);
        }
    }

    /// <summary><c>status</c> as an object, or null when absent; Malformed when it is another type.</summary>
    public static JsonElement? Status(JsonElement obj) => ((JsonElement?)obj).ObjectAt("status", "status");

    /// <summary><c>spec</c> as an object, or null when absent; Malformed when it is another type.</summary>
    public static JsonElement? Spec(JsonElement obj) => ((JsonElement?)obj).ObjectAt("spec", "spec");

    /// <summary>
    /// Conditions from a status: the usual list keyed by <c>type</c>, or the older Longhorn map keyed by type name
    /// (v1beta1 and the Longhorn REST API). Entries that are not objects are skipped.
    /// </summary>
    public static ImmutableArray<Condition> Conditions(JsonElement? status, string path = "status.conditions")
    {
        var c = status.Prop("conditions");
        if (c is null) return [];
        var builder = ImmutableArray.CreateBuilder<Condition>();
        switch (c.Value.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var e in c.Value.EnumerateArray())
                    if (e.ValueKind == JsonValueKind.Object) builder.Add(Condition(e, null));
                break;
            case JsonValueKind.Object:
                foreach (var p in c.Value.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.Object) builder.Add(Condition(p.Value, p.Name));
                break;
            default:
                throw new MalformedException(path, $"{path} is {JsonRead.Describe(c.Value)}, expected an array");
        }
        return builder.ToImmutable();
    }

    private static Condition Condition(JsonElement e, string? typeFromKey) => new(
        Type: e.Str("type", typeFromKey ?? ""),
        Status: NormalizeStatus(e.Prop("status")),
        Reason: e.Str("reason"),
        Message: e.Str("message"),
        LastTransitionTime: e.Prop("lastTransitionTime").Time(),
        ObservedGeneration: e.Prop("observedGeneration").Long());

    /// <summary>"True"/"False"/"Unknown" as upstream writes them; a boolean or a lower-case string is normalised.</summary>
    private static string NormalizeStatus(JsonElement? s)
    {
        var text = s.Str() ?? "";
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase)) return "True";
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase)) return "False";
        if (text.Equals("unknown", StringComparison.OrdinalIgnoreCase)) return "Unknown";
        return text;
    }

    /// <summary>The status JSON text, truncated to <see cref="RawStatusLimit"/> characters with a marker.</summary>
    public static string RawStatus(JsonElement obj) => Truncate(obj.Prop("status")?.GetRawText() ?? "");

    public static string Truncate(string raw) =>
        raw.Length <= RawStatusLimit
            ? raw
            : string.Concat(raw.AsSpan(0, RawStatusLimit), $"\n… [truncated: {raw.Length - RawStatusLimit} more characters]");

    public static ImmutableDictionary<string, string> StringMap(JsonElement? el)
    {
        if (el is not { ValueKind: JsonValueKind.Object } o) return ObjectMeta.NoLabels;
        var b = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var p in o.EnumerateObject())
            b[p.Name] = ((JsonElement?)p.Value).Str() ?? "";
        return b.ToImmutable();
    }

    public static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    public static Condition? Find(this ImmutableArray<Condition> conditions, string type)
    {
        foreach (var c in conditions)
            if (c.Type == type) return c;
        return null;
    }
}
