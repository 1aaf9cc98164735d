using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HomeOps.Cluster.Model;

/// <summary>
/// A JSON text (an object's raw <c>status</c>, for the detail drawer) kept as the UTF-8 bytes it arrived in: half the
/// size of a string, copied from the parse buffer without decoding, and turned into text only when a drawer shows it.
/// Every watch event of a kind with a moving status (a node's heartbeat, a volume's size) used to decode its whole
/// status to a string (issue 18: the largest single allocation per event). Equal by content; converts to and from
/// <see cref="string"/>, so a snapshot can still be written with a text.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public readonly struct RawJson : IEquatable<RawJson>
{
    private readonly byte[]? _utf8;

    private RawJson(byte[] utf8) => _utf8 = utf8;

    /// <summary>A copy of <paramref name="utf8"/> (the caller's buffer may be pooled).</summary>
    public static RawJson FromUtf8(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? default : new RawJson(utf8.ToArray());

    public ReadOnlySpan<byte> Utf8 => _utf8;

    public bool IsEmpty => _utf8 is not { Length: > 0 };

    /// <summary>The length of the text in characters (UTF-16 code units), as <see cref="string.Length"/> would give.</summary>
    public int Length => _utf8 is null ? 0 : Encoding.UTF8.GetCharCount(_utf8);

    public override string ToString() => _utf8 is null ? "" : Encoding.UTF8.GetString(_utf8);

    public static implicit operator RawJson(string? text) => string.IsNullOrEmpty(text) ? default : new RawJson(Encoding.UTF8.GetBytes(text));

    public static implicit operator string(RawJson raw) => raw.ToString();

    public bool Equals(RawJson other) => Utf8.SequenceEqual(other.Utf8);

    public override bool Equals(object? obj) => obj is RawJson other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Utf8);
        return hash.ToHashCode();
    }

    public static bool operator ==(RawJson left, RawJson right) => left.Equals(right);

    public static bool operator !=(RawJson left, RawJson right) => !left.Equals(right);
}

/// <summary>Writes a <see cref="RawJson"/> as the JSON string of its text (as the string it replaced was written).</summary>
public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
