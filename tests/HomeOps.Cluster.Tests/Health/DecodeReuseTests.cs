using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Tests.Sources;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>
/// The ingest-path savings must not change what is decoded: decoding with the previous snapshot gives the same result
/// as without it (reusing only what is equal), shared strings are the same texts, and the fast timestamp path reads
/// the same instants as the general parser.
/// </summary>
public sealed class DecodeReuseTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-06-21T12:00:00Z");

    public static TheoryData<string> KubernetesFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var f in Fixtures.AllJsonFiles().Where(f => !f.StartsWith("discovery/", StringComparison.Ordinal)))
            if (Fixtures.Objects(Fixtures.Load(f)).Any(o => ResourceDecoder.KindOf(o) is not null)) data.Add(f);
        return data;
    }

    [Theory]
    [MemberData(nameof(KubernetesFixtures))]
    public void Decoding_with_the_previous_snapshot_gives_the_same_result_and_shares_what_is_unchanged(string file)
    {
        foreach (var obj in Fixtures.Objects(Fixtures.Load(file)))
        {
            if (ResourceDecoder.KindOf(obj) is not { } kind) continue;
            var fresh = ResourceDecoder.Decode(kind, obj, Now);

            var again = ResourceDecoder.Decode(kind, obj, Now, previous: fresh);

            WatchLinesTests.AssertSameSnapshot(fresh, again);
            if (fresh.Meta.Labels.Count > 0) Assert.Same(fresh.Meta.Labels, again.Meta.Labels);
            if (fresh.Meta.Annotations.Count > 0) Assert.Same(fresh.Meta.Annotations, again.Meta.Annotations);
        }
    }

    [Fact]
    public void Any_change_to_labels_or_conditions_is_read_anew_not_taken_from_the_previous_snapshot()
    {
        var node = JsonNode.Parse(File.ReadAllText(Fixtures.PathOf("talos-node/node-ready-talos-v1.7.2-dualstack-synth.json")))!;
        var previous = ResourceDecoder.Decode(Kinds.Node, Element(node), Now);

        var changed = node.DeepClone();
        changed["metadata"]!["labels"]!["kubernetes.io/arch"] = "arm64";                       // a value
        changed["metadata"]!["annotations"]!["extra"] = "1";                                   // one more key
        var ready = changed["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready")!;
        ready["status"] = "False";
        ready["reason"] = "KubeletNotReady";
        ready["message"] = "container runtime is down";

        var next = ResourceDecoder.Decode(Kinds.Node, Element(changed), Now, previous);

        WatchLinesTests.AssertSameSnapshot(ResourceDecoder.Decode(Kinds.Node, Element(changed), Now), next);
        Assert.Equal("arm64", next.Meta.Labels["kubernetes.io/arch"]);
        Assert.Equal("1", next.Meta.Annotations["extra"]);
        Assert.Equal((HealthStatus.Failed, "KubeletNotReady"), (next.Verdict.Health, next.Verdict.Reason));
        Assert.NotSame(previous.Meta.Labels, next.Meta.Labels);

        // Fewer keys than before, and a status written in lower case (normalised, so it differs from the raw text).
        var fewer = node.DeepClone();
        fewer["metadata"]!["labels"]!.AsObject().Remove("kubernetes.io/arch");
        fewer["status"]!["conditions"]![0]!["status"] = "false";
        var third = ResourceDecoder.Decode(Kinds.Node, Element(fewer), Now, previous);
        Assert.False(third.Meta.Labels.ContainsKey("kubernetes.io/arch"));
        Assert.Equal("False", third.Conditions[0].Status);
        WatchLinesTests.AssertSameSnapshot(ResourceDecoder.Decode(Kinds.Node, Element(fewer), Now), third);
    }

    [Fact]
    public void A_heartbeat_keeps_the_node_s_strings_addresses_and_raw_status_bytes_and_a_changed_field_is_read_anew()
    {
        var node = JsonNode.Parse(File.ReadAllText(Fixtures.PathOf("talos-node/node-ready-talos-v1.7.2-dualstack-synth.json")))!;
        var previous = ResourceDecoder.Decode(Kinds.Node, Element(node), Now);
        var same = ResourceDecoder.Decode(Kinds.Node, Element(node), Now, previous);
        var (p, d) = ((NodeDetails)previous.Details, (NodeDetails)same.Details);
        Assert.Same(previous.Meta.Name, same.Meta.Name);
        Assert.Same(previous.Meta.Uid, same.Meta.Uid);
        Assert.Same(p.OsImage, d.OsImage);
        Assert.Same(p.KubeletVersion, d.KubeletVersion);
        Assert.Equal(p.Addresses, d.Addresses);   // the same array (ImmutableArray compares by reference)
        Assert.Equal(p.Roles, d.Roles);
        Assert.Equal(previous.RawStatus, same.RawStatus);
        Assert.True(previous.RawStatus.Utf8 == same.RawStatus.Utf8, "the unchanged raw status is the held bytes");

        var changed = node.DeepClone();
        changed["status"]!["nodeInfo"]!["osImage"] = "Talos (v1.8.0)";
        changed["status"]!["addresses"]!.AsArray()[0]!["address"] = "10.9.9.9";
        var next = ResourceDecoder.Decode(Kinds.Node, Element(changed), Now, previous);
        var n = (NodeDetails)next.Details;
        Assert.Equal(("Talos (v1.8.0)", "v1.8.0"), (n.OsImage, n.TalosVersion));
        Assert.Equal("10.9.9.9", n.Addresses[0].Address);
        Assert.NotEqual(previous.RawStatus, next.RawStatus);
        Assert.Contains("10.9.9.9", next.RawStatus.ToString());
        WatchLinesTests.AssertSameSnapshot(ResourceDecoder.Decode(Kinds.Node, Element(changed), Now), next);
    }

    [Fact]
    public void A_previous_snapshot_of_another_kind_or_object_never_leaks_into_the_result()
    {
        var volume = Fixtures.Load("longhorn/volume-attached-healthy.json");
        var node = Fixtures.Load("talos-node/node-ready-talos-v1.7.2-dualstack-synth.json");
        var nodeSnapshot = ResourceDecoder.Decode(Kinds.Node, node, Now);

        var decoded = ResourceDecoder.Decode(Kinds.LonghornVolume, volume, Now, previous: nodeSnapshot);

        WatchLinesTests.AssertSameSnapshot(ResourceDecoder.Decode(Kinds.LonghornVolume, volume, Now), decoded);
    }

    [Fact]
    public void Shared_strings_are_the_same_text_and_one_instance_while_long_or_escaped_ones_are_read_normally()
    {
        var json = new JsonObject
        {
            ["a"] = "Ready", ["b"] = "Ready", ["c"] = "café \"quoted\"", ["d"] = new string('x', 500), ["e"] = "名前-ノード-🚀", ["f"] = "",
        }.ToJsonString(); // escapes the é, the quotes and the non-ASCII text
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;

        var a = SharedStrings.Of(r.GetProperty("a"));
        Assert.Equal("Ready", a);
        Assert.Same(a, SharedStrings.Of(r.GetProperty("b")));
        Assert.Equal("café \"quoted\"", SharedStrings.Of(r.GetProperty("c")));
        Assert.Equal(new string('x', 500), SharedStrings.Of(r.GetProperty("d")));
        Assert.Equal("名前-ノード-🚀", SharedStrings.Of(r.GetProperty("e")));
        Assert.Equal("", SharedStrings.Of(r.GetProperty("f")));
        Assert.Equal(["a", "b", "c", "d", "e", "f"], r.EnumerateObject().Select(SharedStrings.NameOf));
    }

    [Theory]
    [InlineData("2024-05-30T10:27:40Z")]
    [InlineData("2024-05-30T10:27:40.123456Z")]
    [InlineData("2024-05-30T10:27:40.1234567Z")]
    [InlineData("2024-05-30t10:27:40z")]
    [InlineData("2024-05-30T12:27:40+02:00")]
    [InlineData("2024-05-30T10:27:40")]
    [InlineData("2024-05-30 10:27:40Z")]
    [InlineData(" 2024-05-30T10:27:40Z ")]
    [InlineData("2024-02-30T10:27:40Z")]
    [InlineData("2026-13-45T99:99:99Z")]
    [InlineData("Z")]
    [InlineData("")]
    public void Timestamps_read_the_same_instant_as_the_general_parser(string text)
    {
        var el = (JsonElement?)JsonSerializer.SerializeToElement(text);

        var expected = string.IsNullOrWhiteSpace(text) ? null
            : DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var t)
                ? t : (DateTimeOffset?)null;

        var actual = el.Time();
        Assert.Equal(expected, actual);
        if (actual is { } a) Assert.Equal(TimeSpan.Zero, a.Offset);
    }

    private static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node);
}
