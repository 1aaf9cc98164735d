using System.Buffers;
using System.Text.Json;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// One page of a list response (<c>&lt;Kind&gt;List</c>) as the informer reads it: the page is read as a stream of
/// items — a <see cref="Utf8JsonReader"/> walks the page and each item is parsed on its own (with
/// <see cref="InformerJson"/>'s limits) and decoded (health rule included) against what the store holds, so no
/// document of the whole page (its metadata table grows with the page) is ever built. Then the list's
/// <c>resourceVersion</c> and <c>continue</c> token. An unreadable page throws <see cref="JsonException"/> as a whole-page parse did.
/// </summary>
public readonly record struct ListPage(string? ResourceVersion, string? Continue)
{
    private static readonly JsonReaderOptions Reader = new() { MaxDepth = InformerJson.Document.MaxDepth };

    public static async Task<ListPage> ReadAsync(Stream body, KindInfo kind, DateTimeOffset now,
        IReadOnlyDictionary<string, ResourceSnapshot>? held, List<ResourceSnapshot> items, CancellationToken cancellationToken)
    {
        // The page's bytes in one pooled buffer (the items are decoded from it in place), returned afterwards.
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                length += read;
            }
            return Read(buffer.AsMemory(0, length), kind, now, held, items);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static ListPage Read(ReadOnlyMemory<byte> body, KindInfo kind, DateTimeOffset now,
        IReadOnlyDictionary<string, ResourceSnapshot>? held, List<ResourceSnapshot> items)
    {
        var reader = new Utf8JsonReader(body.Span, Reader);
        if (!reader.Read()) throw new JsonException("The list response is empty.");
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            EnsureEnd(ref reader);
            return default;
        }
        string? resourceVersion = null, @continue = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("items"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    // One item: find its extent, parse just it (the document borrows the page's bytes), decode, let go.
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    var end = (int)reader.BytesConsumed;
                    using var item = JsonDocument.Parse(body[start..end], InformerJson.Document);
                    if (Health.ResourceDecoder.IsTracked(kind, item.RootElement)) items.Add(WatchItem.Decode(kind, item.RootElement, now, held));
                }
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isVersion = reader.ValueTextEquals("resourceVersion"u8);
                    var isContinue = !isVersion && reader.ValueTextEquals("continue"u8);
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && (isVersion || isContinue))
                    {
                        if (isVersion) resourceVersion = reader.GetString();
                        else @continue = reader.GetString();
                    }
                    else reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        EnsureEnd(ref reader);
        return new ListPage(resourceVersion, @continue);
    }

    /// <summary>Nothing but whitespace may follow the page's value (the reader throws on anything else).</summary>
    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read()) throw new JsonException("The list response has content after its value.");
    }
}
