using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace HomeOps.Cluster.Health;

/// <summary>
/// A small cache of the short strings that recur across objects and across every update of an object: label and
/// annotation keys, common label values, condition types, statuses, reasons and their usual messages. Reading them
/// through here allocates each text once instead of once per watch event, and objects in the store share one copy.
/// Direct-mapped and bounded (a slot holds the last text that hashed to it), so unique texts such as uids cannot grow
/// it, and lock-free: a slot is one reference, read and written atomically, and a lost race only costs an allocation.
/// </summary>
internal static class SharedStrings
{
    /// <summary>Longer texts are rarely repeated (and would make the comparison cost more than the allocation).</summary>
    public const int MaxLength = 96;

    private const int Slots = 8192; // a power of two; ~8 K slots × (pointer) plus the strings themselves, a few hundred KB
    private static readonly string?[] Table = new string?[Slots];

    /// <summary>The value of a JSON string, shared when short and unescaped; <c>GetString()</c> otherwise.</summary>
    public static string Of(JsonElement s) => Of(JsonMarshal.GetRawUtf8Value(s)) ?? s.GetString() ?? "";

    /// <summary>The name of a property, shared when short and unescaped.</summary>
    public static string NameOf(JsonProperty p) => Of(JsonMarshal.GetRawUtf8PropertyName(p), quoted: false) ?? p.Name;

    /// <summary>null when the text cannot be shared (too long, escaped); the caller reads it the ordinary way.</summary>
    private static string? Of(ReadOnlySpan<byte> raw, bool quoted = true)
    {
        var utf8 = quoted ? (raw.Length >= 2 ? raw[1..^1] : []) : raw;
        if (utf8.Length > MaxLength || utf8.IndexOf((byte)'\\') >= 0) return null;
        if (utf8.Length == 0) return "";
        Span<char> buffer = stackalloc char[MaxLength];
        if (!Encoding.UTF8.TryGetChars(utf8, buffer, out var length)) return null;
        var chars = buffer[..length];
        var slot = string.GetHashCode(chars) & (Slots - 1);
        var held = Volatile.Read(ref Table[slot]);
        if (held is not null && chars.SequenceEqual(held)) return held;
        var text = new string(chars);
        Volatile.Write(ref Table[slot], text);
        return text;
    }
}
