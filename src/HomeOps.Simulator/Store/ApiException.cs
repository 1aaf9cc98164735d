using System.Net;

namespace HomeOps.Simulator.Store;

/// <summary>
/// A failure the Kubernetes API reports as a <c>Status</c> object (404 NotFound, 409 Conflict, 410 Expired, …).
/// The store throws it; the HTTP layer turns it into the Status body a real API server sends.
/// </summary>
public sealed class ApiException(HttpStatusCode code, string reason, string message) : Exception(message)
{
    public HttpStatusCode Code { get; } = code;

    /// <summary>The machine-readable <c>StatusReason</c> (<c>NotFound</c>, <c>Expired</c>, …).</summary>
    public string Reason { get; } = reason;

    /// <summary>Optional <c>details</c> (name, group, kind) as the API server fills them.</summary>
    public StatusDetails? Details { get; init; }

    public static ApiException NotFound(string resource, string group, string name) =>
        new(HttpStatusCode.NotFound, "NotFound", $"{Qualified(resource, group)} \"{name}\" not found")
        { Details = new StatusDetails(name, group, resource) };

    public static ApiException AlreadyExists(string resource, string group, string name) =>
        new(HttpStatusCode.Conflict, "AlreadyExists", $"{Qualified(resource, group)} \"{name}\" already exists")
        { Details = new StatusDetails(name, group, resource) };

    public static ApiException Conflict(string resource, string group, string name) =>
        new(HttpStatusCode.Conflict, "Conflict",
            $"Operation cannot be fulfilled on {Qualified(resource, group)} \"{name}\": the object has been modified; please apply your changes to the latest version and try again")
        { Details = new StatusDetails(name, group, resource) };

    /// <summary>The resourceVersion is older than the oldest one the history still holds (etcd compacted it).</summary>
    public static ApiException Expired(long requested, long oldest) =>
        new(HttpStatusCode.Gone, "Expired", $"too old resource version: {requested} ({oldest})");

    /// <summary>
    /// A continue token whose snapshot revision was compacted (apiserver/pkg/storage/etcd3, handleCompactedErrorForPaging):
    /// 410 Expired, with a token in the Status's <c>metadata.continue</c> that continues at the latest revision.
    /// </summary>
    public static ApiException ContinueExpired(string continueAtLatest) =>
        new(HttpStatusCode.Gone, "Expired",
            "The provided continue parameter is too old to display a consistent list result. You can start a new list without " +
            "the continue parameter, or use the continue token in this response to retrieve the remainder of the results. " +
            "Continuing with the provided token results in an inconsistent list - objects that were created, modified, or " +
            "deleted between the time the first chunk was returned and now may show up in the list.")
        { Continue = continueAtLatest };

    /// <summary>A Status's <c>metadata.continue</c> (only on an expired continue token).</summary>
    public string? Continue { get; init; }

    public static ApiException BadRequest(string message) => new(HttpStatusCode.BadRequest, "BadRequest", message);

    public static ApiException Invalid(string message) => new(HttpStatusCode.UnprocessableEntity, "Invalid", message);

    public static ApiException UnsupportedMediaType(string message) =>
        new(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", message);

    private static string Qualified(string resource, string group) => group.Length == 0 ? resource : $"{resource}.{group}";
}

public sealed record StatusDetails(string Name, string Group, string Kind);
