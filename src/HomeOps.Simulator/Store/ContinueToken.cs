using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HomeOps.Simulator.Store;

/// <summary>
/// The <c>continue</c> token of a paged list, encoded as kube-apiserver encodes it (apiserver/pkg/storage/continue.go):
/// unpadded base64url of <c>{"v":"meta.k8s.io/v1","rv":&lt;snapshot revision&gt;,"start":"&lt;key after the last item&gt;"}</c>.
/// It carries everything the next page needs, so the server keeps no cursor: the next page is read at the snapshot
/// revision (from the history) and starts at the key. Clients must treat it as opaque.
/// </summary>
internal readonly record struct ContinueToken(long ResourceVersion, ObjectKey After)
{
    private const string Version = "meta.k8s.io/v1";

    /// <summary>A token the server may hand out when the snapshot was compacted: continue at the latest revision.</summary>
    public const long Latest = -1;

    private sealed record Wire(
        [property: JsonPropertyName("v")] string? V,
        [property: JsonPropertyName("rv")] long Rv,
        [property: JsonPropertyName("start")] string? Start);

    /// <summary>The next page starts just after <paramref name="last"/> (etcd's "key + \0").</summary>
    public static string Encode(long resourceVersion, ObjectKey last)
    {
        var start = (last.Namespace.Length == 0 ? last.Name : $"{last.Namespace}/{last.Name}") + "\u0000";
        var json = JsonSerializer.SerializeToUtf8Bytes(new Wire(Version, resourceVersion, start));
        return Base64Url.EncodeToString(json);
    }

    /// <summary>Reads a token; throws 400 BadRequest (as kube-apiserver does) for anything it did not issue.</summary>
    public static ContinueToken Decode(string token)
    {
        Wire? wire;
        try
        {
            wire = JsonSerializer.Deserialize<Wire>(Base64Url.DecodeFromChars(token));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw Invalid($"continue key is not valid: {e.Message}");
        }
        if (wire is null || wire.V != Version) throw Invalid($"continue key is not valid: server does not recognize this encoded version \"{wire?.V}\"");
        if (wire.Rv == 0) throw Invalid("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        if (string.IsNullOrEmpty(wire.Start) || !wire.Start.EndsWith('\u0000'))
            throw Invalid("continue key is not valid: encoded start key empty (version meta.k8s.io/v1)");
        var key = wire.Start[..^1];
        var parts = key.Split('/');
        // Names and namespaces never hold '/', '.' or '..' alone: anything else could reach outside the collection.
        if (parts.Length > 2 || parts.Any(p => p.Length == 0 || p is "." or ".." || p.Contains('\u0000')))
            throw Invalid($"continue key is not valid: {wire.Start}");
        return new ContinueToken(wire.Rv, parts.Length == 2 ? new ObjectKey(parts[0], parts[1]) : new ObjectKey("", parts[0]));
    }

    private static ApiException Invalid(string detail) => ApiException.BadRequest($"invalid continue token: {detail}");
}
