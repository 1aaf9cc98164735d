using System.Text;
using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using k8s;
using k8s.Models;

namespace HomeOps.Benchmarks.Ingest;

/// <summary>
/// The ingest path of one kind, from wire bytes to the store, on the calling thread: what the informer does per watch
/// line (read the line, decode the object and its health verdict, fold it into the batch) and per batch (one
/// <see cref="ResourcesChanged"/> through the reducer), and per list (decode every item, one <see cref="ResourcesReplaced"/>).
/// It leaves out only the socket and the channel between the informer's reader and its batcher.
/// </summary>
public sealed class IngestPath
{
    private readonly WatchBatch _batch;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public IngestPath(KindInfo kind, ClusterStore store)
    {
        Kind = kind;
        Store = store;
        _batch = new WatchBatch(kind, store);
    }

    public KindInfo Kind { get; }
    public ClusterStore Store { get; }

    /// <summary>Lines <c>[offset, offset+count)</c> (wrapping) as one informer batch. Returns the events read.</summary>
    public int IngestBatch(byte[][] lines, int offset, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var line = lines[(offset + i) % lines.Length];
            _batch.Add(ReadLine(Kind, line, _now, Store.Value.Slice(Kind).Items));
        }
        if (_batch.Take(_now) is { } action) Store.Dispatch(action);
        return count;
    }

    /// <summary>
    /// A list, page by page (the informer asks for <see cref="Workload.PageSize"/> objects at a time), decoded and put in
    /// the store as the informer's re-list does: every item decoded against what the store holds, then one
    /// <see cref="ResourcesReplaced"/>.
    /// </summary>
    public int IngestList(byte[][] pages)
    {
        var items = new List<ResourceSnapshot>();
        var held = Store.Value.Slice(Kind).Items;
        // Each page read as the informer reads its list responses: one parse of the page, each tracked item decoded.
        foreach (var body in pages) ListPage.Read(body, Kind, _now, held, items);
        Store.Dispatch(new ResourcesReplaced(Kind, items, _now));
        return items.Count;
    }

    /// <summary>
    /// One watch line as the informer reads it: its own line splitter hands over the line's UTF-8 bytes (no decoding
    /// to a string), then <see cref="WatchLines"/> parses them once and decodes the object.
    /// </summary>
    public static WatchItem ReadLine(KindInfo kind, byte[] line, DateTimeOffset now, IReadOnlyDictionary<string, ResourceSnapshot>? held = null) =>
        WatchLines.Read(line, kind, now, out var error, held) ?? throw new InvalidOperationException("unreadable workload line", error);

    /// <summary>
    /// For comparison (--breakdown): one watch line as KubernetesClient 21.0.8's own watch reader turns it into an event
    /// (Watcher.CreateWatchEventEnumerator), which is what the informer used before WatchLines:
    /// the bytes are decoded to a string (StreamReader.ReadLineAsync), read once to check for a Status, and read again
    /// as the typed event (JsonElement object).
    /// </summary>
    public static (WatchEventType Type, JsonElement Object) ReadLineWithKubernetesClient(byte[] line)
    {
        var text = Encoding.UTF8.GetString(line);
        var generic = KubernetesJson.Deserialize<Watcher<KubernetesObject>.WatchEvent>(text);
        if (generic.Object.Kind == "Status") throw new InvalidOperationException("a Status line in the workload");
        var ev = KubernetesJson.Deserialize<Watcher<JsonElement>.WatchEvent>(text);
        return (ev.Type, ev.Object);
    }
}
