using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace HomeOps.Cluster.Health;

/// <summary>
/// Tolerant reads from a <see cref="JsonElement"/>: a missing property, a JSON <c>null</c> or a value of the wrong
/// type yields the default instead of an exception. Kubernetes and Longhorn payloads are not strict about types
/// (numbers as strings, sizes as <c>1.1e+12</c>, <c>""</c> for "no time"), and a health rule must never crash on them.
/// Structural checks that should make an object <c>Malformed</c> use <see cref="ObjectAt"/> and <see cref="ArrayAt"/>.
/// </summary>
public static class JsonRead
{
    /// <summary>The property <paramref name="name"/> of an object, or null when absent, JSON null, or the parent is not an object.</summary>
    public static JsonElement? Prop(this JsonElement el, string name)
    {
        if (el.ValueKind != JsonValueKind.Object) return null;
        return el.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? v : null;
    }

    public static JsonElement? Prop(this JsonElement? el, string name) => el is { } e ? e.Prop(name) : null;

    /// <summary>Follows a path of property names; null as soon as one step is missing.</summary>
    public static JsonElement? At(this JsonElement el, params string[] path)
    {
        JsonElement? cur = el;
        foreach (var p in path)
        {
            cur = cur.Prop(p);
            if (cur is null) return null;
        }
        return cur;
    }

    public static JsonElement? At(this JsonElement? el, params string[] path) => el is { } e ? e.At(path) : null;

    /// <summary>A string value; numbers and booleans are returned as their JSON text; anything else is null.</summary>
    public static string? Str(this JsonElement? el) => el switch
    {
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };

    public static string Str(this JsonElement? el, string fallback) => el.Str() ?? fallback;

    public static string Str(this JsonElement el, string name, string fallback = "") => el.Prop(name).Str() ?? fallback;

    /// <summary>
    /// An integer: JSON integers, floats in exponent form (<c>1.1344543744e+12</c>, rounded) and numeric strings.
    /// Out-of-range values are clamped; anything else is null.
    /// </summary>
    public static long? Long(this JsonElement? el)
    {
        switch (el)
        {
            case { ValueKind: JsonValueKind.Number } e:
                if (e.TryGetInt64(out var l)) return l;
                return e.TryGetDouble(out var d) ? Clamp(d) : null;
            case { ValueKind: JsonValueKind.String } e:
                return ParseLong(e.GetString());
            default:
                return null;
        }
    }

    public static long Long(this JsonElement el, string name, long fallback = 0) => el.Prop(name).Long() ?? fallback;

    /// <summary>Parses "123", "1.5e+12" or " 42 " to a long (rounded, clamped); null when not a number.</summary>
    public static long? ParseLong(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        s = s.Trim();
        if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return l;
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? Clamp(d) : null;
    }

    private static long? Clamp(double d)
    {
        if (double.IsNaN(d)) return null;
        if (d >= long.MaxValue) return long.MaxValue;
        if (d <= long.MinValue) return long.MinValue;
        return (long)Math.Round(d, MidpointRounding.AwayFromZero);
    }

    /// <summary>A boolean: JSON true/false or the strings "true"/"false" (any case); anything else is null.</summary>
    public static bool? Bool(this JsonElement? el) => el switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } e when bool.TryParse(e.GetString()?.Trim(), out var b) => b,
        _ => null,
    };

    public static bool Bool(this JsonElement el, string name, bool fallback = false) => el.Prop(name).Bool() ?? fallback;

    /// <summary>An RFC 3339 time; <c>""</c>, a wrong type or an unparsable string is null (Longhorn uses "" for "never").</summary>
    public static DateTimeOffset? Time(this JsonElement? el)
    {
        if (el is not { ValueKind: JsonValueKind.String } e) return null;
        // Every Kubernetes timestamp is RFC 3339 in UTC ("…Z"): read those from the UTF-8 directly, without a string
        // and without the general parser, which made timestamps a large share of decoding. Anything else: the general way.
        var raw = JsonMarshal.GetRawUtf8Value(e);
        if (raw.Length is > 3 and <= 66 && raw[^2] == (byte)'Z' && e.TryGetDateTimeOffset(out var utc)) return utc;
        var s = e.GetString();
        if (string.IsNullOrWhiteSpace(s) || s.Length > 64) return null;
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
    }

    /// <summary>The elements of an array (empty when not an array).</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement? el) =>
        el is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray() : [];

    /// <summary>The properties of an object (empty when not an object).</summary>
    public static IEnumerable<JsonProperty> Props(this JsonElement? el) =>
        el is { ValueKind: JsonValueKind.Object } o ? o.EnumerateObject() : [];

    /// <summary>String values of an array, skipping non-strings.</summary>
    public static IEnumerable<string> Strings(this JsonElement? el)
    {
        foreach (var i in el.Items())
            if (((JsonElement?)i).Str() is { } s) yield return s;
    }

    /// <summary>
    /// A property that must be an object when present. Absent or null → null; any other type →
    /// <see cref="MalformedException"/> naming <paramref name="path"/>.
    /// </summary>
    public static JsonElement? ObjectAt(this JsonElement? parent, string name, string path)
    {
        var v = parent.Prop(name);
        if (v is null) return null;
        if (v.Value.ValueKind != JsonValueKind.Object)
            throw new MalformedException(path, $"{path} is {Describe(v.Value)}, expected an object");
        return v;
    }

    /// <summary>
    /// A property that must be an array when present. Absent or null → null; any other type →
    /// <see cref="MalformedException"/> naming <paramref name="path"/>.
    /// </summary>
    public static JsonElement? ArrayAt(this JsonElement? parent, string name, string path)
    {
        var v = parent.Prop(name);
        if (v is null) return null;
        if (v.Value.ValueKind != JsonValueKind.Array)
            throw new MalformedException(path, $"{path} is {Describe(v.Value)}, expected an array");
        return v;
    }

    /// <summary>"a string", "a number", … for messages.</summary>
    public static string Describe(JsonElement el) => el.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "undefined",
    };
}

/// <summary>Raised inside a decoder when a field has a shape no rule can read; the guard turns it into an Unknown verdict.</summary>
public sealed class MalformedException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
