using System.Text.Json;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Health;

/// <summary>
/// Decodes one Kubernetes object (JSON) into a <see cref="ResourceSnapshot"/> with its verdict.
/// Pure and total: never throws; malformed input yields <see cref="HealthStatus.Unknown"/> with reason
/// <c>Malformed</c> and a message naming the field that could not be read.
/// </summary>
public static class ResourceDecoder
{
    public const string MalformedReason = "Malformed";

    /// <summary>Decodes an object of a known kind.</summary>
    public static ResourceSnapshot Decode(KindInfo kind, JsonElement obj, DateTimeOffset now)
    {
        try
        {
            var o = Fragments.Normalize(kind, obj);
            if (o.ValueKind != JsonValueKind.Object)
                return Malformed(kind, obj, $"the document is {JsonRead.Describe(obj)}, expected a Kubernetes object");
            return KindTable.Decoders.TryGetValue((kind.Group, kind.Kind), out var decode) ? decode(kind, o) : Unread(kind, o);
        }
        catch (MalformedException e)
        {
            return Malformed(kind, obj, e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A rule must not take a circuit down; an unexpected shape is reported, not thrown.
            return Malformed(kind, obj, $"could not be read ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>
    /// Decodes an update of an object the caller already holds as <paramref name="previous"/>: the result is the same as
    /// <see cref="Decode(KindInfo, JsonElement, DateTimeOffset)"/>, but labels, annotations and conditions that did not
    /// change are the previous snapshot's instances (less to allocate, and the store shares them between versions).
    /// </summary>
    public static ResourceSnapshot Decode(KindInfo kind, JsonElement obj, DateTimeOffset now, ResourceSnapshot? previous)
    {
        if (previous is null || previous.Kind.Kind != kind.Kind || previous.Kind.Group != kind.Group) return Decode(kind, obj, now);
        using (ObjectParts.Reusing(previous)) return Decode(kind, obj, now);
    }

    /// <summary>
    /// Finds the kind from <c>apiVersion</c>/<c>kind</c> and decodes; null when the kind is not one we read.
    /// Fragments that carry <c>kind</c> but no <c>apiVersion</c> are accepted when the kind name is unambiguous.
    /// </summary>
    public static ResourceSnapshot? TryDecode(JsonElement obj, DateTimeOffset now)
    {
        var kind = KindOf(obj);
        return kind is null ? null : Decode(kind, obj, now);
    }

    /// <summary>The kind of a JSON object, or null when it is not a kind we read (or an object of it we do not track).</summary>
    public static KindInfo? KindOf(JsonElement obj)
    {
        try
        {
            if (obj.ValueKind != JsonValueKind.Object) return null;
            var apiVersion = obj.Prop("apiVersion") is { ValueKind: JsonValueKind.String } a ? a.GetString() : null;
            var kindName = obj.Prop("kind") is { ValueKind: JsonValueKind.String } k ? k.GetString() : null;
            if (string.IsNullOrEmpty(kindName)) return null;
            var kind = string.IsNullOrEmpty(apiVersion) ? Fragments.InferKind(kindName, obj) : Kinds.Find(apiVersion, kindName);
            return kind is not null && IsTracked(kind, obj) ? kind : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether an object of a known kind is one the dashboard keeps. Only LoadBalancer Services matter (the API cannot
    /// filter Services by type), and only Warning Events, so informers drop the others on arrival and the CLI skips them. Never throws.
    /// </summary>
    public static bool IsTracked(KindInfo kind, JsonElement obj)
    {
        try
        {
            if (kind.Kind == Kinds.Event.Kind && kind.Group == Kinds.Event.Group) return WorkloadHealth.IsWarningEvent(obj);
            return !(kind.Kind == Kinds.Service.Kind && kind.Group == Kinds.Service.Group) || ServiceHealth.IsLoadBalancer(obj);
        }
        catch (Exception)
        {
            return true; // unreadable: keep it, so the decoder reports what is wrong
        }
    }

    internal static ResourceSnapshot Malformed(KindInfo kind, JsonElement obj, string message)
    {
        var meta = obj.ValueKind == JsonValueKind.Object
            ? ObjectParts.BestEffortMeta(obj)
            : new ObjectMeta("", "", null, "", 0, null, ObjectMeta.NoLabels, ObjectMeta.NoLabels);
        string raw;
        try { raw = obj.ValueKind == JsonValueKind.Object ? ObjectParts.RawStatus(obj) : ObjectParts.Truncate(obj.GetRawText()); }
        catch (Exception) { raw = ""; }
        return new ResourceSnapshot(kind, meta, NoDetails.Instance,
            Verdict.Unknown(MalformedReason, meta.Name.Length == 0 ? $"{kind.Kind}: {message}" : $"{kind.Kind} {meta.DisplayName}: {message}"), [], raw);
    }

    private static ResourceSnapshot Unread(KindInfo kind, JsonElement obj) =>
        new(kind, ObjectParts.BestEffortMeta(obj), NoDetails.Instance,
            Verdict.Unknown("NotAKubernetesKind", $"{kind} is not decoded from a Kubernetes object"), [], "");
}
