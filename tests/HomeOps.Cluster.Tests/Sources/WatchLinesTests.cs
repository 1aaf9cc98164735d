using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using HomeOps.Cluster.Tests.Health;
using HomeOps.Simulator;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>
/// The informer's own watch-line reader (<see cref="WatchLines"/>) against KubernetesClient 21's semantics, which it
/// replaced for speed: same events, same errors, same depth limit.
/// </summary>
public sealed class WatchLinesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-06-21T12:00:00Z");

    private static string Line(string type, JsonNode obj) => new JsonObject { ["type"] = type, ["object"] = obj }.ToJsonString();

    private static JsonNode Fixture(string path) => JsonNode.Parse(File.ReadAllText(Fixtures.PathOf(path)))!;

    public static TheoryData<string, string> FixtureKinds => new()
    {
        { "talos-node/node-ready-talos-v1.7.2-dualstack-synth.json", "Node" },
        { "longhorn/volume-attached-healthy.json", "Volume.longhorn.io" },
        { "flux/kustomization-healthcheckfailed-synth.json", "Kustomization.kustomize.toolkit.fluxcd.io" },
        { "flux/helmrelease-testfailed-stalled-docs.json", "HelmRelease.helm.toolkit.fluxcd.io" },
    };

    [Theory]
    [MemberData(nameof(FixtureKinds))]
    public void A_modified_line_decodes_to_what_KubernetesClient_and_the_decoder_made_of_it(string path, string kindKey)
    {
        var kind = Kinds.All.Single(k => k.Key == kindKey);
        var line = Line("MODIFIED", Fixture(path));

        var item = WatchLines.Read(line, kind, Now, out var error);

        Assert.Null(error);
        Assert.NotNull(item);
        Assert.Equal(WatchEventType.Modified, item.Value.Type);
        Assert.Null(item.Value.DeletedKey);
        // The old path: KubernetesClient's typed read of the line, then the decoder.
        var old = KubernetesJson.Deserialize<Watcher<JsonElement>.WatchEvent>(line);
        var expected = ResourceDecoder.Decode(kind, old.Object, Now);
        AssertSameSnapshot(expected, item.Value.Upsert!);
        Assert.Equal(expected.Meta.ResourceVersion.Length == 0 ? null : expected.Meta.ResourceVersion, item.Value.ResourceVersion);
    }

    [Fact]
    public void Deleted_and_no_longer_tracked_objects_become_deletions_by_key_and_bookmarks_carry_only_a_version()
    {
        var node = Fixture("talos-node/node-ready-talos-v1.7.2-dualstack-synth.json");
        var uid = node["metadata"]!["uid"]!.GetValue<string>();

        var deleted = WatchLines.Read(Line("DELETED", node), Kinds.Node, Now, out _)!.Value;
        Assert.Equal((WatchEventType.Deleted, uid), (deleted.Type, deleted.DeletedKey));
        Assert.Null(deleted.Upsert);

        // A Service that stopped being a LoadBalancer is not kept: its MODIFIED is a deletion.
        var service = JsonNode.Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"apps","uid":"svc-1","resourceVersion":"7"},"spec":{"type":"ClusterIP"}}""")!;
        var untracked = WatchLines.Read(Line("MODIFIED", service), Kinds.Service, Now, out _)!.Value;
        Assert.Equal("svc-1", untracked.DeletedKey);
        Assert.Null(untracked.Upsert);

        var bookmark = WatchLines.Read("""{"type":"BOOKMARK","object":{"kind":"Node","apiVersion":"v1","metadata":{"resourceVersion":"12345"}}}""",
            Kinds.Node, Now, out var error)!.Value;
        Assert.Null(error);
        Assert.Equal((WatchEventType.Bookmark, "12345"), (bookmark.Type, bookmark.ResourceVersion));
        Assert.Null(bookmark.Upsert);
        Assert.Null(bookmark.DeletedKey);
    }

    [Fact]
    public void A_Status_object_is_the_server_reporting_an_error_as_KubernetesClient_reports_it()
    {
        const string expired = """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (5000)","reason":"Expired","code":410}}""";

        var item = WatchLines.Read(expired, Kinds.Node, Now, out var error);

        Assert.Null(item);
        var status = Assert.IsType<KubernetesException>(error).Status;
        Assert.Equal((410, "Expired"), (status.Code, status.Reason));
        Assert.Equal(ApiFailureKind.Expired, ApiFailure.From(error, Kinds.Node).Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Node\",\"metadata\":{\"name\":")]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"type\":\"MODIFIED\"}")]
    [InlineData("{\"type\":\"MODIFIED\",\"object\":null}")]
    [InlineData("{\"type\":\"RENAMED\",\"object\":{\"kind\":\"Node\"}}")]
    [InlineData("{\"type\":7,\"object\":{\"kind\":\"Node\"}}")]
    public void A_line_that_cannot_be_read_is_an_unreadable_event_not_a_crash(string line)
    {
        var item = WatchLines.Read(line, Kinds.Node, Now, out var error);

        Assert.Null(item);
        Assert.IsType<JsonException>(error); // exactly: the informer names the type in what it shows ("unreadable watch event (JsonException)")
    }

    [Fact]
    public void A_line_without_a_type_reads_as_ADDED_and_types_are_read_in_any_case_as_KubernetesClient_does()
    {
        var node = Fixture("talos-node/node-ready-talos-v1.7.2-dualstack-synth.json");
        var noType = new JsonObject { ["object"] = node.DeepClone() }.ToJsonString();

        Assert.Equal(WatchEventType.Added, WatchLines.Read(noType, Kinds.Node, Now, out _)!.Value.Type);
        Assert.Equal(WatchEventType.Modified, WatchLines.Read(Line("modified", node.DeepClone()), Kinds.Node, Now, out _)!.Value.Type);
        Assert.Equal(WatchEventType.Deleted, WatchLines.Read(Line("Deleted", node.DeepClone()), Kinds.Node, Now, out _)!.Value.Type);
    }

    [Fact]
    public void An_object_nested_as_deep_as_the_API_server_allows_is_read()
    {
        var release = Fixture("flux/helmrelease-ready-testsucceeded-docs.json");
        JsonNode deep = new JsonObject { ["leaf"] = 1 };
        for (var i = 0; i < 500; i++) deep = new JsonObject { ["n"] = deep };
        release["spec"]!["values"] = deep;

        var item = WatchLines.Read(Line("MODIFIED", release), Kinds.HelmRelease, Now, out var error);

        Assert.Null(error);
        Assert.Equal(HealthStatus.Healthy, item!.Value.Upsert!.Verdict.Health);
    }

    [Fact]
    public void With_the_store_held_objects_an_update_reuses_what_did_not_change()
    {
        var node = Fixture("talos-node/node-ready-talos-v1.7.2-dualstack-synth.json");
        var first = WatchLines.Read(Line("ADDED", node.DeepClone()), Kinds.Node, Now, out _)!.Value.Upsert!;
        var held = new Dictionary<string, ResourceSnapshot> { [first.Key] = first };
        var heartbeat = node.DeepClone();
        foreach (var c in heartbeat["status"]!["conditions"]!.AsArray()) c!["lastHeartbeatTime"] = "2026-11-25T22:00:00Z";
        heartbeat["metadata"]!["resourceVersion"] = "48999";

        var next = WatchLines.Read(Line("MODIFIED", heartbeat), Kinds.Node, Now, out _, held)!.Value.Upsert!;

        Assert.Equal("48999", next.Meta.ResourceVersion);
        Assert.Same(first.Meta.Labels, next.Meta.Labels);
        Assert.Same(first.Meta.Annotations, next.Meta.Annotations);
        Assert.Equal(first.Conditions, next.Conditions); // ImmutableArray: the same backing array
        Assert.NotEqual(first.RawStatus, next.RawStatus); // the heartbeats did change the raw status
    }

    internal static void AssertSameSnapshot(ResourceSnapshot expected, ResourceSnapshot actual)
    {
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Verdict, actual.Verdict);
        Assert.Equal(expected.RawStatus, actual.RawStatus);
        Assert.Equal(expected.Conditions.ToArray(), actual.Conditions.ToArray()); // records: compared field by field
        Assert.Equal(expected.Meta with { Labels = ObjectMeta.NoLabels, Annotations = ObjectMeta.NoLabels },
            actual.Meta with { Labels = ObjectMeta.NoLabels, Annotations = ObjectMeta.NoLabels });
        Assert.Equal(expected.Meta.Labels.OrderBy(p => p.Key), actual.Meta.Labels.OrderBy(p => p.Key));
        Assert.Equal(expected.Meta.Annotations.OrderBy(p => p.Key), actual.Meta.Annotations.OrderBy(p => p.Key));
        Assert.Equal(JsonSerializer.Serialize<object>(expected.Details), JsonSerializer.Serialize<object>(actual.Details));
    }
}
