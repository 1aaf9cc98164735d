using System.Text.Json.Nodes;
using HomeOps.Simulator.Seed;
using HomeOps.Simulator.Store;

namespace HomeOps.Benchmarks.Live.Harness;

/// <summary>
/// Cluster sizes the benchmarks run at, built on the simulator's home-ops seed by cloning its objects under new names
/// (no simulator change needed: the store's Upsert is the seeding path). Probes are failing Kustomizations whose
/// Ready message carries a sequence number, so a page can tell which change it is showing.
/// </summary>
public sealed record ClusterShape(string Name, int Nodes, int Volumes, int Kustomizations, int Probes)
{
    /// <summary>home-ops as it is (3 nodes, its volumes and Kustomizations) plus the probes.</summary>
    public static ClusterShape HomeOps(int probes = 4) => new("home-ops", 0, 0, 0, probes);

    /// <summary>home-ops with Longhorn at 151 volumes, the size Longhorn's 5–8 MB/s figure was reported at.</summary>
    public static ClusterShape Longhorn151 => new("home-ops + 151 volumes", 0, 151, 0, 4);

    /// <summary>The large cluster of issue 6: 500 nodes, 2,000 volumes, 1,000 Kustomizations.</summary>
    public static ClusterShape Large => new("large (500 nodes, 2,000 volumes, 1,000 kustomizations, 4,000 pods, 1,000 deployments)", 500, 2000, 1000, 4)
    {
        // The workload layer of issues 12–13 (pods and Deployments, served and watched like the other kinds): 8 pods a node.
        Extra = new Dictionary<string, int> { ["v1/Pod"] = 4000, ["apps/v1/Deployment"] = 1000 },
    };

    public const string ProbePrefix = "bench-probe-";

    public static string ProbeName(int i) => $"{ProbePrefix}{i:D2}";

    /// <summary>The text a probe's Ready message carries for change <paramref name="seq"/>; the page matches it with <see cref="DomProbe"/>.</summary>
    public static string ProbeMessage(int probe, long seq) => $"bench p{probe} seq {seq}";

    /// <summary>
    /// The kinds the shapes scale, in one place: the seed object cloned (apiVersion, kind), the total a shape wants,
    /// and how clones are named and adjusted. A new kind (issues 12–13: Talos feed, pods, events, probes) joins the
    /// benchmarks with one row here (and its count in the shapes, through <see cref="Extra"/>); the seed must hold an
    /// object of it to clone.
    /// </summary>
    public static readonly IReadOnlyList<ScaledKind> ScaledKinds =
    [
        new("v1", "Node", s => s.Nodes, i => $"bench-node-{i:D4}", ConfigureNode),
        new("longhorn.io/v1beta2", "Volume", s => s.Volumes, i => $"pvc-bench-{i:D5}", (_, _) => { }),
        new("kustomize.toolkit.fluxcd.io/v1", "Kustomization", s => s.Kustomizations, i => $"bench-app-{i:D4}",
            (o, _) => o["spec"]!.AsObject().Remove("dependsOn")),
        // Clones of a seed pod without its owner (else every clone would be one ReplicaSet's pod), and of a seed Deployment.
        new("v1", "Pod", _ => 0, i => $"bench-pod-{i:D5}", (o, _) => o["metadata"]!.AsObject().Remove("ownerReferences")),
        new("apps/v1", "Deployment", _ => 0, i => $"bench-deploy-{i:D4}", (_, _) => { }),
    ];

    /// <summary>Totals for kinds beyond the three columns above, keyed by <c>apiVersion/kind</c> (0 or absent keeps the seed's count).</summary>
    public IReadOnlyDictionary<string, int> Extra { get; init; } = new Dictionary<string, int>();

    /// <summary>Grows the seeded store to this shape (counts are totals per kind; 0 keeps the seed's count). Returns every volume's name.</summary>
    public IReadOnlyList<string> Apply(ClusterObjectStore store)
    {
        var seed = ClusterSeed.Build(DateTimeOffset.UtcNow);
        var kustomization = seed.FirstOrDefault(o => Is(o, "kustomize.toolkit.fluxcd.io/v1", "Kustomization") && o["spec"]?["dependsOn"] is null)
            ?? seed.First(o => Is(o, "kustomize.toolkit.fluxcd.io/v1", "Kustomization"));
        var volumeNames = new List<string>(seed.Where(o => Is(o, "longhorn.io/v1beta2", "Volume")).Select(NameOf));

        foreach (var k in ScaledKinds)
        {
            var want = Math.Max(k.Total(this), Extra.GetValueOrDefault($"{k.ApiVersion}/{k.Kind}"));
            var existing = seed.Where(o => Is(o, k.ApiVersion, k.Kind)).ToList();
            if (want <= existing.Count) continue;
            // Kustomizations clone one without dependsOn, so clones never wait on each other.
            var template = k.Kind == "Kustomization" ? kustomization : existing.First();
            var added = Grow(store, template, existing.Count, want, k.Name, k.Configure);
            if (k.Kind == "Volume") volumeNames.AddRange(added);
        }
        for (var p = 0; p < Probes; p++)
        {
            var probe = CloneAs(kustomization, ProbeName(p));
            probe["spec"]!.AsObject().Remove("dependsOn");
            SetReady(probe, "False", "ReconciliationFailed", ProbeMessage(p, 0));
            store.Upsert(probe);
        }
        return volumeNames;
    }

    /// <summary>Sets the Ready condition of a Kustomization (adds one when missing).</summary>
    public static void SetReady(JsonObject obj, string status, string reason, string message)
    {
        var conditions = obj["status"]!["conditions"]!.AsArray();
        var ready = conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Ready");
        if (ready is null)
        {
            ready = new JsonObject { ["type"] = "Ready" };
            conditions.Add(ready);
        }
        ready["status"] = status;
        ready["reason"] = reason;
        ready["message"] = message;
        // A Healthy condition saying True would contradict Ready=False; drop it.
        foreach (var c in conditions.OfType<JsonObject>().Where(c => (string?)c["type"] == "Healthy").ToList()) conditions.Remove(c);
    }

    private static List<string> Grow(ClusterObjectStore store, JsonObject template, int have, int want, Func<int, string> name,
        Action<JsonObject, string> configure)
    {
        var added = new List<string>();
        for (var i = have; i < want; i++)
        {
            var n = name(i);
            var clone = CloneAs(template, n);
            configure(clone, n);
            store.Upsert(clone);
            added.Add(n);
        }
        return added;
    }

    private static void ConfigureNode(JsonObject node, string name)
    {
        if (node["metadata"]!["labels"] is JsonObject labels) labels["kubernetes.io/hostname"] = name;
        // Clones are workers: the home-ops control-plane taint and role would mislabel them.
        if (node["metadata"]!["labels"] is JsonObject l) l.Remove("node-role.kubernetes.io/control-plane");
        if (node["spec"] is JsonObject spec) spec.Remove("taints");
    }

    private static JsonObject CloneAs(JsonObject template, string name)
    {
        var clone = (JsonObject)template.DeepClone();
        var meta = clone["metadata"]!.AsObject();
        meta["name"] = name;
        meta["uid"] = Guid.NewGuid().ToString();
        meta.Remove("resourceVersion");
        return clone;
    }

    private static bool Is(JsonObject o, string apiVersion, string kind) =>
        (string?)o["apiVersion"] == apiVersion && (string?)o["kind"] == kind;

    private static string NameOf(JsonObject o) => (string)o["metadata"]!["name"]!;
}

/// <summary>One kind a <see cref="ClusterShape"/> scales by cloning a seed object (see <see cref="ClusterShape.ScaledKinds"/>).</summary>
public sealed record ScaledKind(string ApiVersion, string Kind, Func<ClusterShape, int> Total, Func<int, string> Name, Action<JsonObject, string> Configure);
