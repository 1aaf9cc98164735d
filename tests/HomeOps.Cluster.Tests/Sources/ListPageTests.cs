using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Simulator.Seed;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>
/// A list page is read as a stream of items (each parsed and decoded on its own): the same snapshots as decoding each
/// item by itself, the list's resourceVersion and continue token wherever they sit, and an unreadable page still fails whole.
/// </summary>
public sealed class ListPageTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static List<JsonObject> SeedKustomizations() =>
        [.. ClusterSeed.Build(Now).Where(o => (string?)o["kind"] == "Kustomization").Select(o => (JsonObject)o.DeepClone())];

    private static byte[] Page(IEnumerable<JsonObject> items, string? metadataFirst = null, string? metadataLast = null)
    {
        var array = new JsonArray([.. items.Select(i => (JsonNode)i.DeepClone())]).ToJsonString();
        var text = "{\"kind\":\"KustomizationList\",\"apiVersion\":\"kustomize.toolkit.fluxcd.io/v1\"," +
                   (metadataFirst is null ? "" : $"\"metadata\":{metadataFirst},") +
                   $"\"items\":{array}" +
                   (metadataLast is null ? "" : $",\"metadata\":{metadataLast}") + ",\"extra\":{\"items\":[1,2,3]}}";
        return Encoding.UTF8.GetBytes(text);
    }

    [Fact]
    public void Items_decode_as_each_alone_would_and_the_list_metadata_is_read()
    {
        var seed = SeedKustomizations();
        Assert.NotEmpty(seed);
        var items = new List<ResourceSnapshot>();
        var page = ListPage.Read(Page(seed, metadataFirst: "{\"resourceVersion\":\"42\",\"continue\":\"next-token\",\"remainingItemCount\":3}"),
            Kinds.Kustomization, Now, held: null, items);

        Assert.Equal(new ListPage("42", "next-token"), page);
        var alone = seed.Select(o => { using var d = JsonDocument.Parse(o.ToJsonString()); return WatchItem.Decode(Kinds.Kustomization, d.RootElement, Now, null); }).ToList();
        Assert.Equal(alone.Select(s => (s.Key, s.Meta.ResourceVersion, s.Verdict)), items.Select(s => (s.Key, s.Meta.ResourceVersion, s.Verdict)));
    }

    [Fact]
    public void Metadata_after_the_items_is_read_and_an_items_array_elsewhere_is_not_taken_for_the_list()
    {
        var seed = SeedKustomizations();
        var items = new List<ResourceSnapshot>();
        var page = ListPage.Read(Page(seed.Take(2), metadataLast: "{\"items\":[{}],\"resourceVersion\":\"7\"}"), Kinds.Kustomization, Now, null, items);
        Assert.Equal(new ListPage("7", null), page);
        Assert.Equal(2, items.Count);
    }

    [Fact]
    public async Task A_page_larger_than_the_first_buffer_reads_the_same_from_a_stream()
    {
        var seed = SeedKustomizations();
        var many = Enumerable.Range(0, 200).Select(i =>
        {
            var o = (JsonObject)seed[i % seed.Count].DeepClone();
            o["metadata"]!["name"] = $"app-{i:D3}";
            o["metadata"]!["uid"] = $"uid-{i:D3}";
            return o;
        }).ToList();
        var bytes = Page(many, metadataFirst: "{\"resourceVersion\":\"9\"}");
        Assert.True(bytes.Length > 64 * 1024, $"the page is {bytes.Length} bytes: it must outgrow the first buffer");

        var fromStream = new List<ResourceSnapshot>();
        var page = await ListPage.ReadAsync(new MemoryStream(bytes), Kinds.Kustomization, Now, null, fromStream, TestContext.Current.CancellationToken);
        var fromMemory = new List<ResourceSnapshot>();
        ListPage.Read(bytes, Kinds.Kustomization, Now, null, fromMemory);

        Assert.Equal("9", page.ResourceVersion);
        Assert.Equal(200, fromStream.Count);
        Assert.Equal(fromMemory.Select(s => s.Key), fromStream.Select(s => s.Key));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("trailing")]
    [InlineData("empty")]
    public void An_unreadable_page_fails_whole(string how)
    {
        var bytes = Page(SeedKustomizations().Take(2), metadataFirst: "{\"resourceVersion\":\"1\"}");
        bytes = how switch
        {
            "truncated" => bytes[..(bytes.Length - 20)],
            "trailing" => [.. bytes, .. "{}"u8.ToArray()],
            _ => [],
        };
        Assert.ThrowsAny<JsonException>(() => ListPage.Read(bytes, Kinds.Kustomization, Now, null, []));
    }

    [Fact]
    public void A_body_that_is_not_an_object_is_an_empty_page()
    {
        var items = new List<ResourceSnapshot>();
        Assert.Equal(default, ListPage.Read("[1,2]"u8.ToArray(), Kinds.Kustomization, Now, null, items));
        Assert.Empty(items);
    }
}
