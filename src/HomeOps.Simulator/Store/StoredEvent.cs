namespace HomeOps.Simulator.Store;

/// <summary>
/// One change as a watch replays it: immutable, with the object already serialized so that many watch streams
/// can send it concurrently without touching a shared <see cref="System.Text.Json.Nodes.JsonNode"/>.
/// <see cref="PreviousLabels"/> (on MODIFIED) lets a label-filtered watch turn an object that leaves or enters
/// its selector into DELETED or ADDED, as the API server does.
/// </summary>
internal sealed record StoredEvent(
    long ResourceVersion,
    string KindKey,
    string Type,
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    string ObjectJson,
    IReadOnlyDictionary<string, string>? PreviousLabels = null);
