using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;

namespace HomeOps.Reliability.Tests.Support;

/// <summary>
/// A seeded stream of writes to the simulated cluster, as its controllers and users make them: modify (an annotation),
/// create (a copy of an object under a new name, so a new uid) and delete, across the given kinds. Every kind keeps
/// at least one object (the template for creates).
/// </summary>
internal sealed class ClusterWriter(ClusterObjectStore cluster, IReadOnlyList<KindInfo> kinds, int seed)
{
    private readonly Random _random = new(unchecked(seed * 7919 + 17));

    public int Modified { get; private set; }
    public int Created { get; private set; }
    public int Deleted { get; private set; }
    public int Total => Modified + Created + Deleted;

    /// <summary>The pause before the next write (a few milliseconds, seeded).</summary>
    public TimeSpan NextPause() => TimeSpan.FromMilliseconds(_random.Next(0, 15));

    public void WriteOne(int index)
    {
        var writable = kinds.Where(k => cluster.List(k).Items.Count > 0).ToList();
        if (writable.Count == 0) return;
        var kind = writable[_random.Next(writable.Count)];
        var items = cluster.List(kind).Items;
        var roll = _random.Next(100);
        var target = items[_random.Next(items.Count)];
        var ns = Namespace(target);
        var name = Name(target);
        if (roll < 25)
        {
            var copy = (JsonObject)target.DeepClone();
            var meta = (JsonObject)copy["metadata"]!;
            meta["name"] = $"rel-{seed}-{index}";
            meta.Remove("uid");
            meta.Remove("resourceVersion");
            meta.Remove("creationTimestamp");
            cluster.Upsert(copy);
            Created++;
        }
        else if (roll < 50 && items.Count > 1)
        {
            cluster.Delete(kind, ns, name);
            Deleted++;
        }
        else
        {
            cluster.Update(kind, ns, name, o =>
            {
                var meta = (JsonObject)o["metadata"]!;
                if (meta["annotations"] is not JsonObject annotations) meta["annotations"] = annotations = new JsonObject();
                annotations["homeops.test/write"] = $"{seed}-{index}";
            });
            Modified++;
        }
    }

    public static string? Namespace(JsonObject o) => o["metadata"]?["namespace"]?.GetValue<string>();

    public static string Name(JsonObject o) => o["metadata"]!["name"]!.GetValue<string>();
}
