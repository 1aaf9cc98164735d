using System.Collections.Immutable;
using System.Text.Json;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Health;

/// <summary>The parts every Kubernetes object shares: metadata, status conditions, the raw status text.</summary>
public static class ObjectParts
{
    /// <summary>Raw status is kept for the detail drawer; bounded so one huge object cannot bloat the store.</summary>
    public const int RawStatusLimit = 64 * 1024;

    /// <summary>The snapshot this thread's decode may reuse parts of (see <see cref="Reusing"/>).</summary>
    [ThreadStatic] private static ResourceSnapshot? t_previous;

    /// <summary>
    /// While the returned scope is open, decoding on this thread reuses the labels, annotations and conditions of
    /// <paramref name="previous"/> wherever the new JSON has exactly the same ones: a MODIFIED event rarely changes them,
    /// and comparing costs less than building immutable collections again (the store then shares them between versions).
    /// Any difference, however small, builds them anew, so the result is the same as without it.
    /// </summary>
    internal static PreviousScope Reusing(ResourceSnapshot? previous)
    {
        var outer = t_previous;
        t_previous = previous;
        return new PreviousScope(outer);
    }

    internal readonly struct PreviousScope(ResourceSnapshot? outer) : IDisposable
    {
        public void Dispose() => t_previous = outer;
    }

    /// <summary>Reads <c>metadata</c>. Throws <see cref="MalformedException"/> only when <c>metadata</c> is not an object.</summary>
    public static ObjectMeta Meta(JsonElement obj)
    {
        var previous = t_previous?.Meta;
        var m = ((JsonElement?)obj).ObjectAt("metadata", "metadata");
        return new ObjectMeta(
            Uid: Kept(m.Prop("uid"), previous?.Uid),
            Name: Kept(m.Prop("name"), previous?.Name),
            Namespace: NullIfEmpty(KeptOrNull(m.Prop("namespace"), previous?.Namespace)),
            ResourceVersion: m.Prop("resourceVersion").Str(""),
            Generation: m.Prop("generation").Long() ?? 0,
            CreatedAt: m.Prop("creationTimestamp").Time(),
            Labels: StringMap(m.Prop("labels"), previous?.Labels),
            Annotations: StringMap(m.Prop("annotations"), previous?.Annotations));
    }

    /// <summary>
    /// <c>el.Str(fallback)</c>, but the held snapshot's string itself when the JSON string is exactly it: an update
    /// rarely changes a name, a version or a state, and comparing the bytes costs less than a new string per event.
    /// </summary>
    internal static string Kept(JsonElement? el, string? held, string fallback = "") =>
        held is { Length: > 0 } && el is { ValueKind: JsonValueKind.String } s && s.ValueEquals(held) ? held : el.Str(fallback);

    /// <summary><see cref="Kept"/> with null for a missing or non-text field.</summary>
    internal static string? KeptOrNull(JsonElement? el, string? held) =>
        held is { Length: > 0 } && el is { ValueKind: JsonValueKind.String } s && s.ValueEquals(held) ? held : el.Str();

    /// <summary>The details of the snapshot this thread's decode may reuse parts of (see <see cref="Reusing"/>), when of type <typeparamref name="T"/>.</summary>
    internal static T? HeldDetails<T>() where T : class, IResourceDetails => t_previous?.Details as T;

    /// <summary>The metadata of the snapshot this thread's decode may reuse parts of.</summary>
    internal static ObjectMeta? HeldMeta => t_previous?.Meta;

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
    /// <c>status.loadBalancer.ingress</c> of a Service or an Ingress (the same shape): each entry's IP, else its hostname.
    /// </summary>
    public static IEnumerable<string> LoadBalancerAddresses(JsonElement? status) =>
        ((JsonElement?)status.Prop("loadBalancer")).ArrayAt("ingress", "status.loadBalancer.ingress").Items()
            .Select(i => i.Str("ip") is { Length: > 0 } ip ? ip : i.Str("hostname"))
            .Where(a => a.Length > 0);

    /// <summary>
    /// Conditions from a status: the usual list keyed by <c>type</c>, or the older Longhorn map keyed by type name
    /// (v1beta1 and the Longhorn REST API). Entries that are not objects are skipped.
    /// </summary>
    public static ImmutableArray<Condition> Conditions(JsonElement? status, string path = DefaultConditionsPath)
    {
        var c = status.Prop("conditions");
        if (c is null) return [];
        if (path == DefaultConditionsPath && c.Value.ValueKind == JsonValueKind.Array && t_previous is { } previous &&
            SameConditions(c.Value, previous.Conditions))
            return previous.Conditions;
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

    private const string DefaultConditionsPath = "status.conditions";

    /// <summary>Whether <see cref="Conditions"/> would read exactly <paramref name="held"/> from this array (no allocation).</summary>
    private static bool SameConditions(JsonElement array, ImmutableArray<Condition> held)
    {
        if (held.IsDefault) return false;
        var i = 0;
        foreach (var e in array.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object) continue;
            if (i >= held.Length) return false;
            var c = held[i++];
            // A status written "true" is normalised to "True": it then differs here, and the conditions are read anew.
            if (!Same(e.Prop("type"), c.Type) || !Same(e.Prop("status"), c.Status) || !Same(e.Prop("reason"), c.Reason) ||
                !Same(e.Prop("message"), c.Message) || e.Prop("lastTransitionTime").Time() != c.LastTransitionTime ||
                e.Prop("observedGeneration").Long() != c.ObservedGeneration)
                return false;
        }
        return i == held.Length;
    }

    /// <summary>Whether <c>Shared(el) ?? ""</c> equals <paramref name="expected"/>, without allocating for strings.</summary>
    private static bool Same(JsonElement? el, string expected) => el switch
    {
        null => expected.Length == 0,
        { ValueKind: JsonValueKind.String } s => s.ValueEquals(expected),
        _ => (el.Str() ?? "") == expected,
    };

    private static Condition Condition(JsonElement e, string? typeFromKey) => new(
        Type: Shared(e.Prop("type")) ?? typeFromKey ?? "",
        Status: NormalizeStatus(e.Prop("status")),
        Reason: Shared(e.Prop("reason")) ?? "",
        Message: Shared(e.Prop("message")) ?? "",
        LastTransitionTime: e.Prop("lastTransitionTime").Time(),
        ObservedGeneration: e.Prop("observedGeneration").Long());

    /// <summary>"True"/"False"/"Unknown" as upstream writes them; a boolean or a lower-case string is normalised.</summary>
    private static string NormalizeStatus(JsonElement? s)
    {
        var text = Shared(s) ?? "";
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase)) return "True";
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase)) return "False";
        if (text.Equals("unknown", StringComparison.OrdinalIgnoreCase)) return "Unknown";
        return text;
    }

    /// <summary>
    /// The status JSON text, truncated to <see cref="RawStatusLimit"/> characters with a marker. Kept as the bytes of the
    /// parse buffer (no decoding to a string); the previous snapshot's copy when they are the same bytes.
    /// </summary>
    public static RawJson RawStatus(JsonElement obj)
    {
        if (obj.Prop("status") is not { } status) return default;
        var utf8 = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(status);
        // At most one character per byte: a status this short needs no truncation (the rare longer one goes the text way).
        if (utf8.Length > RawStatusLimit) return Truncate(status.GetRawText());
        if (t_previous is { } previous && previous.RawStatus.Utf8.SequenceEqual(utf8)) return previous.RawStatus;
        return RawJson.FromUtf8(utf8);
    }

    public static string Truncate(string raw) =>
        raw.Length <= RawStatusLimit
            ? raw
            : string.Concat(raw.AsSpan(0, RawStatusLimit), $"\n… [truncated: {raw.Length - RawStatusLimit} more characters]");

    public static ImmutableDictionary<string, string> StringMap(JsonElement? el) => StringMap(el, null);

    private static ImmutableDictionary<string, string> StringMap(JsonElement? el, ImmutableDictionary<string, string>? held)
    {
        if (el is not { ValueKind: JsonValueKind.Object } o) return ObjectMeta.NoLabels;
        if (held is { Count: > 0 } && SameMap(o, held)) return held;
        var b = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var p in o.EnumerateObject())
            b[SharedStrings.NameOf(p)] = Shared(p.Value) ?? "";
        return b.ToImmutable();
    }

    /// <summary>Whether <see cref="StringMap(JsonElement?)"/> would read exactly <paramref name="held"/> from this object.</summary>
    private static bool SameMap(JsonElement o, ImmutableDictionary<string, string> held)
    {
        var n = 0;
        foreach (var p in o.EnumerateObject())
        {
            n++;
            if (!held.TryGetValue(SharedStrings.NameOf(p), out var value) || !Same(p.Value, value)) return false;
        }
        return n == held.Count; // a repeated key makes the counts differ: read anew
    }

    /// <summary>
    /// <see cref="JsonRead.Str(JsonElement?)"/> for texts that recur across objects and updates (label keys and values,
    /// condition types, reasons, messages): short strings come from <see cref="SharedStrings"/>, one copy for all.
    /// </summary>
    internal static string? Shared(JsonElement? el) =>
        el is { ValueKind: JsonValueKind.String } s ? SharedStrings.Of(s) : el.Str();

    public static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    public static Condition? Find(this ImmutableArray<Condition> conditions, string type)
    {
        foreach (var c in conditions)
            if (c.Type == type) return c;
        return null;
    }
}
