using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Simulator.Seed;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>
/// The health model of the simulator's built-in home-ops seed, decoded by the real decoders (no API in between):
/// the real 32-Kustomization dependsOn graph, pools, Services and the secrets pipeline for the derived rules.
/// </summary>
internal static class SeededState
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <param name="edit">Changes objects before decoding (break a store, drop a kind…).</param>
    public static ClusterState Build(Func<JsonObject, JsonObject?>? edit = null, IEnumerable<KindInfo>? synced = null)
    {
        var store = new ClusterStore();
        var byKind = new Dictionary<string, (KindInfo Kind, List<ResourceSnapshot> Items)>();
        foreach (var seed in ClusterSeed.Build(Now))
        {
            var obj = edit is null ? seed : edit(seed);
            if (obj is null) continue;
            var snapshot = ResourceDecoder.TryDecode(JsonSerializer.SerializeToElement(obj), Now);
            if (snapshot is null) continue; // not tracked (ClusterIP Services)
            if (!byKind.TryGetValue(snapshot.Kind.Key, out var entry)) byKind[snapshot.Kind.Key] = entry = (snapshot.Kind, []);
            entry.Items.Add(snapshot);
        }
        foreach (var kind in synced ?? Kinds.Kubernetes)
        {
            store.Dispatch(new ResourcesReplaced(kind, byKind.TryGetValue(kind.Key, out var e) ? e.Items : [], Now));
            store.Dispatch(new FreshnessChanged(kind, new Freshness(FeedState.Live, true, Now, Now, 0, null, Now)));
        }
        return store.Value;
    }

    /// <summary>Sets Ready on a condition list of a seed object.</summary>
    public static JsonObject WithReady(JsonObject obj, string status, string reason, string message)
    {
        var copy = (JsonObject)obj.DeepClone();
        var ready = copy["status"]!["conditions"]!.AsArray().OfType<JsonObject>().First(c => c["type"]!.GetValue<string>() == "Ready");
        ready["status"] = status;
        ready["reason"] = reason;
        ready["message"] = message;
        return copy;
    }

    public static bool Is(JsonObject obj, string kind, string name) =>
        obj["kind"]?.GetValue<string>() == kind && obj["metadata"]?["name"]?.GetValue<string>() == name;
}
