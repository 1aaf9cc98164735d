using System.Text;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Reliability.Tests.Support;
using HomeOps.Simulator;

namespace HomeOps.Reliability.Tests.BadInput;

/// <summary>
/// Huge, deep, hostile and wrongly typed objects stored in the simulated API, read by the real informers: each gets a
/// verdict, nothing else of its kind is lost, and strings arrive exactly as stored (escaping is the renderer's job).
/// </summary>
public sealed class HostileObjectsThroughInformerTests
{
    private const string Script = "<script>alert(document.cookie)</script>";

    [Fact]
    public async Task An_object_nested_hundreds_of_levels_deep_does_not_stop_its_kind_from_syncing()
    {
        // A HelmRelease's spec.values is free-form: kube-apiserver accepts nesting up to 10,000 levels. 900 stays under
        // the simulator's own JSON writer limit (1,000) and far over System.Text.Json's default read limit (64),
        // which would have made the whole list unreadable.
        const int depth = 900;
        await using var rig = await ReliabilityRig.StartAsync([Kinds.HelmRelease],
            beforeInformers: sim => sim.Cluster.Upsert(CopyOf(sim, Kinds.HelmRelease, "deep-values", o => o["spec"]!["values"] = Nested(depth))));
        await rig.WaitUntilAsync(() => rig.LiveAndConverged(Kinds.HelmRelease), "listed, watching and equal to the simulator");

        Assert.Equal(InformerJson.ApiServerMaxDepth, InformerJson.Document.MaxDepth); // the informers read as deep as kube-apiserver writes
        var deep = rig.Store.Value.Items(Kinds.HelmRelease).Single(s => s.Meta.Name == "deep-values");
        var template = rig.Store.Value.Items(Kinds.HelmRelease).First(s => s.Meta.Name != "deep-values");
        Assert.Equal(template.Verdict.Health, deep.Verdict.Health); // spec.values does not matter to the rule
        Assert.Equal(1, rig.Informer(Kinds.HelmRelease).Lists);

        // And through the watch, too.
        rig.Annotate(Kinds.HelmRelease, deep.Meta.Namespace, "deep-values", "changed");
        await rig.WaitUntilAsync(() => rig.LiveAndConverged(Kinds.HelmRelease), "the change to the deep object arrives");
        Assert.Equal(0, rig.Informer(Kinds.HelmRelease).UnreadableEvents);
    }

    [Fact]
    public async Task A_megabyte_message_and_hostile_strings_arrive_intact_and_bounded()
    {
        var name = "hostile-ünïcødé-名前-🚀-" + Script;
        var label = "\"><img src=x onerror=alert(1)>";
        var annotation = "\u202Eevil\u202C \u200B\u200D\uFEFF \u001b[31mred\u001b[0m";
        var message = new StringBuilder().Append(Script).Append(' ', 1).Append('x', 1024 * 1024).Append("<b>end</b>").ToString();
        await using var rig = await ReliabilityRig.StartAsync([Kinds.Kustomization], beforeInformers: sim =>
            sim.Cluster.Upsert(CopyOf(sim, Kinds.Kustomization, name, o =>
            {
                o["metadata"]!["labels"] = new JsonObject { ["app"] = label };
                o["metadata"]!["annotations"] = new JsonObject { ["homeops.test/note"] = annotation };
                o["status"] = new JsonObject
                {
                    ["conditions"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "Ready", ["status"] = "False", ["reason"] = "ReconciliationFailed", ["message"] = message,
                    }),
                };
            })));
        await rig.WaitUntilAsync(() => rig.LiveAndConverged(Kinds.Kustomization), "synced");

        var hostile = rig.Store.Value.Items(Kinds.Kustomization).Single(s => s.Meta.Name == name);
        Assert.Equal(label, hostile.Meta.Labels["app"]);
        Assert.Equal(annotation, hostile.Meta.Annotations["homeops.test/note"]);
        Assert.Equal(HealthStatus.Failed, hostile.Verdict.Health);
        Assert.Contains(Script, hostile.Verdict.Message);
        Assert.True(hostile.RawStatus.Length <= ObjectParts.RawStatusLimit + 100, $"raw status kept {hostile.RawStatus.Length} characters");
        Assert.True(rig.Store.Value.Items(Kinds.Kustomization).Count() > 1);
    }

    [Fact]
    public async Task A_wrongly_typed_object_is_reported_Malformed_and_the_others_still_sync()
    {
        await using var rig = await ReliabilityRig.StartAsync([Kinds.Kustomization], beforeInformers: sim =>
            sim.Cluster.Upsert(CopyOf(sim, Kinds.Kustomization, "wrong-types", o =>
            {
                o["status"] = new JsonObject { ["conditions"] = "oops", ["lastAppliedRevision"] = new JsonArray(1, 2) };
                o["spec"]!["suspend"] = "maybe";
            })));
        await rig.WaitUntilAsync(() => rig.LiveAndConverged(Kinds.Kustomization), "synced");

        var bad = rig.Store.Value.Items(Kinds.Kustomization).Single(s => s.Meta.Name == "wrong-types");
        Assert.Equal(HealthStatus.Unknown, bad.Verdict.Health);
        Assert.Equal(ResourceDecoder.MalformedReason, bad.Verdict.Reason);
        Assert.Contains("status.conditions", bad.Verdict.Message);
        var others = rig.Store.Value.Items(Kinds.Kustomization).Where(s => s.Meta.Name != "wrong-types").ToList();
        Assert.NotEmpty(others);
        Assert.DoesNotContain(others, s => s.Verdict.Reason == ResourceDecoder.MalformedReason);
    }

    private static JsonObject CopyOf(SimulatorHost sim, KindInfo kind, string name, Action<JsonObject> change)
    {
        var copy = (JsonObject)sim.Cluster.List(kind).Items[0].DeepClone();
        var meta = (JsonObject)copy["metadata"]!;
        meta["name"] = name;
        meta.Remove("uid");
        meta.Remove("resourceVersion");
        meta.Remove("creationTimestamp");
        change(copy);
        return copy;
    }

    /// <summary>Objects and arrays nested <paramref name="depth"/> levels, built without recursion.</summary>
    private static JsonNode Nested(int depth)
    {
        JsonNode node = JsonValue.Create("bottom");
        for (var i = 0; i < depth; i++) node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["v"] = node };
        return node;
    }
}
