using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;

namespace HomeOps.Benchmarks.Ingest;

/// <summary>
/// The bytes an informer receives for one kind: <see cref="Lines"/> are watch-event lines (one MODIFIED per object, in
/// compact JSON, as kube-apiserver writes them) and <see cref="ListPages"/> is the list response of the same objects, in
/// pages of the informer's <see cref="ClusterOptions.ListPageSize"/> (500) as it requests them.
/// Objects are the repository's fixtures, each given its own uid, name and resourceVersion.
/// </summary>
public sealed class Workload
{
    /// <summary>The kinds measured, by name; each maps to an embedded fixture of the same name.</summary>
    public static readonly IReadOnlyDictionary<string, KindInfo> KindsByName = new Dictionary<string, KindInfo>
    {
        ["Node"] = Kinds.Node,
        ["LonghornVolume"] = Kinds.LonghornVolume,
        ["Kustomization"] = Kinds.Kustomization,
        ["HelmRelease"] = Kinds.HelmRelease,
        // The workload layer (issue 16): a Deployment's pod with managedFields, and a Warning event with a series.
        ["Pod"] = Kinds.Pod,
        ["Event"] = Kinds.Event,
    };

    private Workload(string name, KindInfo kind, byte[][] lines, byte[][] listPages)
    {
        Name = name;
        Kind = kind;
        Lines = lines;
        ListPages = listPages;
    }

    /// <summary>The informer's default page size for lists.</summary>
    public static readonly int PageSize = new ClusterOptions().ListPageSize;

    public string Name { get; }
    public KindInfo Kind { get; }

    /// <summary>One watch-event line per object (no trailing newline), as read off the wire.</summary>
    public byte[][] Lines { get; }

    /// <summary>The list responses (<c>{"kind":"…List","metadata":{"continue":…},"items":[…]}</c>) of the same objects, page by page.</summary>
    public byte[][] ListPages { get; }

    /// <summary>Bytes of all list pages together.</summary>
    public long ListBytes => ListPages.Sum(p => (long)p.Length);

    /// <summary>Mean bytes per watch line: the "object size" the figures are quoted for.</summary>
    public int MeanLineBytes => (int)Lines.Average(l => (long)l.Length);

    /// <param name="generation">Varies the resourceVersions, so two workloads of the same objects differ in version only.</param>
    public static Workload Create(string name, int objects, int generation = 0)
    {
        var kind = KindsByName[name];
        var template = JsonNode.Parse(Fixture(name))!.AsObject();
        var lines = new byte[objects][];
        var objectsJson = new List<JsonObject>(objects);
        for (var i = 0; i < objects; i++)
        {
            var obj = Instance(template, kind, i, generation);
            var line = new JsonObject { ["type"] = "MODIFIED", ["object"] = Updated(obj, name, i) };
            lines[i] = Encoding.UTF8.GetBytes(line.ToJsonString());
            objectsJson.Add(obj);
        }
        var listVersion = (1_000_000 + generation * 100_000 + objects).ToString();
        var pages = objectsJson.Chunk(PageSize).Select((chunk, page) =>
        {
            var last = (page + 1) * PageSize >= objects;
            var list = new JsonObject
            {
                ["apiVersion"] = kind.ApiVersion,
                ["kind"] = kind.Kind + "List",
                ["metadata"] = last
                    ? new JsonObject { ["resourceVersion"] = listVersion }
                    : new JsonObject { ["resourceVersion"] = listVersion, ["continue"] = $"page-{page + 1}", ["remainingItemCount"] = objects - (page + 1) * PageSize },
                ["items"] = new JsonArray([.. chunk.Select(o => (JsonNode)o)]),
            };
            return Encoding.UTF8.GetBytes(list.ToJsonString());
        }).ToArray();
        return new Workload(name, kind, lines, pages);
    }

    private static JsonObject Instance(JsonObject template, KindInfo kind, int i, int generation)
    {
        var obj = template.DeepClone().AsObject();
        var meta = obj["metadata"]!.AsObject();
        var baseName = meta["name"]?.GetValue<string>() ?? "object";
        meta["name"] = $"{baseName}-{i:D5}";
        meta["uid"] = new Guid(i, (short)kind.Kind.Length, 0x4a6f, 0x9b, 0x2c, 0x5e, 0x7d, 0x1a, 0x0c, 0x4b, 0x93).ToString();
        meta["resourceVersion"] = (1_000_000 + generation * 100_000 + i).ToString();
        meta["generation"] ??= 1;
        meta["creationTimestamp"] ??= "2025-12-08T08:43:52Z";
        return obj;
    }

    /// <summary>
    /// The object as its next MODIFIED event carries it: a newer resourceVersion and the status field that moves most
    /// often for the kind (a node's heartbeat, a volume's actual size, a Flux object's last handled reconcile, a pod's
    /// container restarting, an event's series count).
    /// </summary>
    private static JsonObject Updated(JsonObject obj, string name, int i)
    {
        var next = obj.DeepClone().AsObject();
        var meta = next["metadata"]!.AsObject();
        meta["resourceVersion"] = (long.Parse(meta["resourceVersion"]!.GetValue<string>()) + 50_000).ToString();
        if (name == "Event" && next["series"] is JsonObject series)
        {
            series["count"] = 8 + i % 50;
            series["lastObservedTime"] = $"2026-12-08T02:{i / 60 % 60:D2}:{i % 60:D2}.117305Z";
            return next;
        }
        var status = next["status"]?.AsObject();
        if (status is null) return next;
        switch (name)
        {
            case "Node":
                foreach (var c in status["conditions"]?.AsArray() ?? [])
                    if (c is JsonObject condition) condition["lastHeartbeatTime"] = $"2026-11-25T22:{i / 60 % 60:D2}:{i % 60:D2}Z";
                break;
            case "LonghornVolume":
                status["actualSize"] = 41_358_761_984L + i * 4096L;
                break;
            case "Pod":
                if (status["containerStatuses"]?[0] is JsonObject container)
                {
                    container["restartCount"] = 2 + i % 7;
                    container["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = $"2026-12-08T01:{i / 60 % 60:D2}:{i % 60:D2}Z" } };
                }
                break;
            default:
                status["lastHandledReconcileAt"] = $"2026-11-25T22:00:{i % 60:D2}.{i:D6}Z";
                break;
        }
        return next;
    }

    private static string Fixture(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"{name}.json")
            ?? throw new InvalidOperationException($"fixture {name}.json is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
