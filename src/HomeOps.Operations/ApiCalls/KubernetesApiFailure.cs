using System.Net.Sockets;
using System.Text.Json;
using k8s;
using k8s.Autorest;

namespace HomeOps.Operations.ApiCalls;

/// <summary>
/// An operator-facing one-line account of a failed Kubernetes API call made by an action (a Flux patch, an audit
/// Event): the HTTP status and the API server's own Status message, or why the API could not be reached. Never a
/// stack trace, never a credential (the client's messages carry neither).
/// </summary>
public static class KubernetesApiFailure
{
    private const int MaxMessage = 300;

    /// <summary>Null when <paramref name="exception"/> is the caller's own cancellation (let it propagate); a description otherwise.</summary>
    public static string? Describe(Exception exception, CancellationToken callerToken)
    {
        if (exception is OperationCanceledException && callerToken.IsCancellationRequested) return null;
        return exception switch
        {
            HttpOperationException http => Status((int)http.Response.StatusCode, StatusMessage(http.Response.Content)),
            KubernetesException { Status: { } s } => Status(s.Code ?? 0, s.Message ?? s.Reason ?? ""),
            HttpRequestException { StatusCode: { } code } => Status((int)code, exception.Message),
            HttpRequestException or IOException or SocketException => $"the Kubernetes API is unreachable: {Bounded(Innermost(exception).Message)}",
            OperationCanceledException or TimeoutException => "the Kubernetes API did not answer in time",
            _ => $"{exception.GetType().Name}: {Bounded(exception.Message)}",
        };
    }

    private static string Status(int code, string message)
    {
        var what = code switch
        {
            401 => "the API rejected the dashboard's credentials (401)",
            403 => "the dashboard's service account is not allowed to do this (403 Forbidden)",
            404 => "the object no longer exists (404 Not Found)",
            409 => "the object changed concurrently (409 Conflict)",
            422 => "the API rejected the change as invalid (422)",
            429 => "the API is throttling requests (429)",
            >= 500 => $"the API server failed ({code})",
            _ => $"the API answered {code}",
        };
        return string.IsNullOrWhiteSpace(message) ? what : $"{what}: {Bounded(message)}";
    }

    /// <summary>The <c>message</c> of a Status body, else the start of the body.</summary>
    private static string StatusMessage(string? content)
    {
        if (string.IsNullOrWhiteSpace(content)) return "";
        try
        {
            using var doc = JsonDocument.Parse(content);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                return m.GetString() ?? "";
        }
        catch (JsonException) { }
        return content;
    }

    private static string Bounded(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return oneLine.Length > MaxMessage ? oneLine[..MaxMessage] + "…" : oneLine;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
