using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Sources;

/// <summary>What kind of failure a Kubernetes API call ended in; decides what an informer does next.</summary>
public enum ApiFailureKind
{
    /// <summary>410: the resourceVersion is too old (or a list continue token expired). Re-list.</summary>
    Expired,
    /// <summary>The server cannot serve the resourceVersion (504 "Too large resource version", API store reset). Re-list.</summary>
    ResourceVersionUnavailable,
    /// <summary>404 on the collection: the kind is not served (CRD not installed).</summary>
    NotInstalled,
    /// <summary>403: RBAC forbids reading the kind.</summary>
    Forbidden,
    /// <summary>401: the credentials are rejected.</summary>
    Unauthorized,
    /// <summary>The API could not be reached or the connection broke.</summary>
    Transport,
    /// <summary>Any other answer (5xx, bad payload).</summary>
    Other,
}

/// <summary>Classifies exceptions of the KubernetesClient into <see cref="ApiFailureKind"/> with an operator-facing message (never a credential).</summary>
public sealed record ApiFailure(ApiFailureKind Kind, string Message, int? StatusCode = null)
{
    public bool NeedsRelist => Kind is ApiFailureKind.Expired or ApiFailureKind.ResourceVersionUnavailable;

    /// <summary>The server's <c>Retry-After</c> (429 throttling, 5xx overload): no new attempt before it has passed.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Reads <c>Retry-After</c> in seconds (what kube-apiserver sends) or as an HTTP date; null when absent or unreadable.</summary>
    public static TimeSpan? RetryAfterOf(IDictionary<string, IEnumerable<string>>? headers, DateTimeOffset? now = null)
    {
        if (headers is null) return null;
        foreach (var (name, values) in headers)
        {
            if (!name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase)) continue;
            var value = values.FirstOrDefault()?.Trim();
            if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
                return TimeSpan.FromSeconds(seconds);
            if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            {
                var wait = at - (now ?? DateTimeOffset.UtcNow);
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }
        return null;
    }

    public static ApiFailure From(Exception exception, KindInfo kind)
    {
        switch (exception)
        {
            case HttpOperationException http:
                return FromStatus((int)http.Response.StatusCode, StatusMessage(http.Response.Content), kind)
                    with { RetryAfter = RetryAfterOf(http.Response.Headers) };
            case KubernetesException k8s when k8s.Status is { } status:
                return FromStatus(status.Code ?? 0, status.Message ?? status.Reason ?? "", kind);
            case HttpRequestException { StatusCode: { } code }:
                return FromStatus((int)code, exception.Message, kind);
            case HttpRequestException or IOException or SocketException:
                return new(ApiFailureKind.Transport, $"API unreachable: {Innermost(exception).Message}");
            case TaskCanceledException or TimeoutException:
                return new(ApiFailureKind.Transport, "API request timed out");
            default:
                return new(ApiFailureKind.Other, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    public static ApiFailure FromStatus(int code, string message, KindInfo kind)
    {
        var detail = string.IsNullOrWhiteSpace(message) ? "" : $": {message}";
        return code switch
        {
            410 => new(ApiFailureKind.Expired, $"resourceVersion expired (410){detail}", code),
            404 => new(ApiFailureKind.NotInstalled, $"{Resource(kind)} is not served by the API (CRD not installed)", code),
            403 => new(ApiFailureKind.Forbidden, $"needs {Verbs(kind)} on {Resource(kind)}", code),
            401 => new(ApiFailureKind.Unauthorized, "unauthorized (401): the API rejected the credentials", code),
            504 when message.Contains("resource version", StringComparison.OrdinalIgnoreCase) =>
                new(ApiFailureKind.ResourceVersionUnavailable, $"resourceVersion not available (504){detail}", code),
            _ => new(ApiFailureKind.Other, $"API error {code}{detail}", code),
        };
    }

    /// <summary>The RBAC verbs the dashboard needs on a kind: polled kinds (metrics) are never watched.</summary>
    public static string Verbs(KindInfo kind) => Model.Kinds.IsPolled(kind) ? "get/list" : "get/list/watch";

    /// <summary>The RBAC resource name: <c>plural.group</c>, or just <c>plural</c> for the core group.</summary>
    public static string Resource(KindInfo kind) => kind.Group.Length == 0 ? kind.Plural : $"{kind.Plural}.{kind.Group}";

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    /// <summary>The <c>message</c> of a Status body, else the body (bounded), else nothing.</summary>
    private static string StatusMessage(string? content)
    {
        if (string.IsNullOrWhiteSpace(content)) return "";
        try
        {
            using var doc = JsonDocument.Parse(content);
            if (doc.RootElement.ValueKind == JsonValueKind.Object &&
                doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                return m.GetString() ?? "";
        }
        catch (JsonException) { }
        return content.Length > 200 ? content[..200] : content;
    }
}
