namespace HomeOps.Simulator.Store;

/// <summary>
/// One change as a watch replays it: immutable, with the object already serialized so that many watch streams
/// can send it concurrently without touching a shared <see cref="System.Text.Json.Nodes.JsonNode"/>.
/// <see cref="PreviousLabels"/> (on MODIFIED) lets a label-filtered watch turn an object that leaves or enters
/// its selector into DELETED or ADDED, as the API server does. <see cref="Previous"/> is the stored object this change
/// replaced (null on ADDED): with it the store can read a kind as it was at an older revision, as etcd's MVCC does, to serve
/// the later pages of a paged list. The store never mutates a replaced object, and reads it only under its lock.
/// </summary>
internal sealed record StoredEvent(
    long ResourceVersion,
    string KindKey,
    string Type,
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    string ObjectJson,
    IReadOnlyDictionary<string, string>? PreviousLabels = null,
    System.Text.Json.Nodes.JsonObject? Previous = null);
