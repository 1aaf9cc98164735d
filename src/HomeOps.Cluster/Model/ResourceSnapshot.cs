using System.Collections.Immutable;

namespace HomeOps.Cluster.Model;

/// <summary>The metadata every view needs; decoded tolerantly (missing fields become empty, never an exception).</summary>
public sealed record ObjectMeta(
    string Uid,
    string Name,
    string? Namespace,
    string ResourceVersion,
    long Generation,
    DateTimeOffset? CreatedAt,
    ImmutableDictionary<string, string> Labels,
    ImmutableDictionary<string, string> Annotations)
{
    public static readonly ImmutableDictionary<string, string> NoLabels = ImmutableDictionary<string, string>.Empty;

    public string DisplayName => Namespace is null ? Name : $"{Namespace}/{Name}";
}

/// <summary>A Kubernetes-style status condition. <see cref="Status"/> is the string True/False/Unknown.</summary>
public sealed record Condition(
    string Type,
    string Status,
    string Reason,
    string Message,
    DateTimeOffset? LastTransitionTime = null,
    long? ObservedGeneration = null)
{
    public bool IsTrue => Status == "True";
    public bool IsFalse => Status == "False";
}

/// <summary>Kind-specific fields a view shows; one record type per kind (see <c>Details.cs</c>).</summary>
public interface IResourceDetails;

/// <summary>
/// One object as the dashboard sees it: its kind, metadata, kind-specific details, the health verdict,
/// its conditions and the raw <c>status</c> JSON (bounded) for the detail drawer.
/// Immutable; a change produces a new snapshot.
/// </summary>
public sealed record ResourceSnapshot(
    KindInfo Kind,
    ObjectMeta Meta,
    IResourceDetails Details,
    Verdict Verdict,
    ImmutableArray<Condition> Conditions,
    RawJson RawStatus)
{
    /// <summary>Key in the store: the uid, or namespace/name when an object has no uid (seed dumps, Authentik).</summary>
    public string Key => Meta.Uid.Length > 0 ? Meta.Uid : Meta.DisplayName;

    public Condition? FindCondition(string type)
    {
        foreach (var c in Conditions)
            if (c.Type == type) return c;
        return null;
    }
}
