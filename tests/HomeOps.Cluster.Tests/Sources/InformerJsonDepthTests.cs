using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Simulator;
using k8s;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>
/// kube-apiserver accepts objects nested up to 10,000 levels; System.Text.Json stops at 64. The informer reads as deep
/// as the API server writes, with its own options — KubernetesClient's process-wide JSON options keep their default.
/// </summary>
public sealed class InformerJsonDepthTests
{
    private const int Depth = 300;

    [Fact]
    public async Task A_deeply_nested_object_syncs_through_list_and_watch_and_KubernetesJson_keeps_its_default_depth()
    {
        await using var rig = await InformerRig.StartAsync(kinds: [Kinds.HelmRelease],
            beforeInformers: sim => sim.Cluster.Upsert(DeepCopy(sim, "deep-values")));
        await rig.WaitLiveAndConvergedAsync("listed with the deep object");
        rig.Annotate(Kinds.HelmRelease, Namespace(rig.Simulator), "deep-values", "changed");
        await rig.WaitLiveAndConvergedAsync("the change to the deep object arrives through the watch");

        var deep = rig.Store.Value.Items(Kinds.HelmRelease).Single(s => s.Meta.Name == "deep-values");
        Assert.Equal("changed", deep.Meta.Annotations["homeops.test/touched"]);
        Assert.Equal(0, rig.Informer(Kinds.HelmRelease).UnreadableEvents);
        Assert.Equal(1, rig.Informer(Kinds.HelmRelease).Lists);

        // The library-wide options were not raised for the whole process: they still stop at System.Text.Json's 64.
        var nested = new string('[', Depth) + new string(']', Depth);
        Assert.Throws<JsonException>(() => KubernetesJson.Deserialize<JsonElement>(nested));
        Assert.Equal(InformerJson.ApiServerMaxDepth, InformerJson.Document.MaxDepth);
    }

    private static string Namespace(SimulatorHost sim) =>
        sim.Cluster.List(Kinds.HelmRelease).Items.First()["metadata"]!["namespace"]!.GetValue<string>();

    private static JsonObject DeepCopy(SimulatorHost sim, string name)
    {
        var copy = (JsonObject)sim.Cluster.List(Kinds.HelmRelease).Items.First().DeepClone();
        var meta = (JsonObject)copy["metadata"]!;
        meta["name"] = name;
        meta.Remove("uid");
        meta.Remove("resourceVersion");
        ((JsonObject)copy["spec"]!)["values"] = Nested(Depth);
        return copy;
    }

    private static JsonNode Nested(int depth)
    {
        JsonNode node = JsonValue.Create("bottom");
        for (var i = 0; i < depth; i++) node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["v"] = node };
        return node;
    }
}
