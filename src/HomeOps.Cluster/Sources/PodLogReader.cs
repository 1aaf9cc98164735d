using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// <c>Logs</c>: container logs, read on demand through <c>pods/log</c> (operators only; the dashboard's service account
/// needs the optional <c>k8s/components/pod-logs</c> RBAC for it).
/// </summary>
public sealed class PodLogOptions
{
    public const string Section = "Logs";

    /// <summary>Lines asked for when the caller names none (<c>tailLines</c>).</summary>
    public int TailLines { get; set; } = 200;

    /// <summary>The most lines one request may ask for, and the most a follow keeps (oldest dropped first).</summary>
    public int MaxLines { get; set; } = 2000;

    /// <summary>Longer lines are cut (a binary blob on stdout must not fill a page).</summary>
    public int MaxLineLength { get; set; } = 4096;

    public static string? Validate(PodLogOptions o) =>
        o.TailLines < 1 ? "Logs:TailLines must be at least 1"
        : o.MaxLines < o.TailLines ? "Logs:MaxLines must be at least Logs:TailLines"
        : o.MaxLines > 100_000 ? "Logs:MaxLines must be at most 100000"
        : o.MaxLineLength is < 80 or > 65_536 ? "Logs:MaxLineLength must be between 80 and 65536"
        : null;
}

/// <summary>Why a log could not be read, in words an operator can act on.</summary>
public sealed class PodLogException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>
/// Reads container logs through the Kubernetes API: the last N lines, or those and then every new line until cancelled.
/// Lines are cut to <see cref="PodLogOptions.MaxLineLength"/>; the caller keeps at most <see cref="PodLogOptions.MaxLines"/>.
/// Nothing is masked here: the dashboard masks known secrets before any line leaves the server.
/// </summary>
public sealed partial class PodLogReader(KubernetesClientFactory factory, IOptions<PodLogOptions> options) : IDisposable
{
    private readonly Lazy<IKubernetes> _client = new(factory.Create);

    public PodLogOptions Options => options.Value;

    /// <summary>A DNS-1123 label or subdomain: what namespaces, pod and container names are; anything else is refused before a request.</summary>
    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")]
    public static partial Regex ValidName();

    public async Task<IReadOnlyList<string>> TailAsync(string ns, string pod, string container, int? tailLines, CancellationToken ct)
    {
        var lines = new List<string>();
        await foreach (var line in ReadAsync(ns, pod, container, tailLines, follow: false, ct).ConfigureAwait(false)) lines.Add(line);
        return lines;
    }

    /// <summary>The last lines, then every new one until <paramref name="ct"/> is cancelled or the container stops.</summary>
    public IAsyncEnumerable<string> FollowAsync(string ns, string pod, string container, int? tailLines, CancellationToken ct) =>
        ReadAsync(ns, pod, container, tailLines, follow: true, ct);

    private async IAsyncEnumerable<string> ReadAsync(string ns, string pod, string container, int? tailLines, bool follow,
        [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var name in new[] { ns, pod, container })
            if (!ValidName().IsMatch(name)) throw new PodLogException(HttpStatusCode.BadRequest, $"'{Truncate(name, 64)}' is not a valid name");
        var tail = Math.Clamp(tailLines ?? Options.TailLines, 1, Options.MaxLines);
        Stream stream;
        try
        {
            var response = await _client.Value.CoreV1.ReadNamespacedPodLogWithHttpMessagesAsync(pod, ns, container: container, follow: follow,
                tailLines: tail, cancellationToken: ct).ConfigureAwait(false);
            stream = response.Body;
        }
        catch (HttpOperationException e)
        {
            throw Explain(e, ns, pod, container);
        }
        catch (HttpRequestException e)
        {
            throw new PodLogException(HttpStatusCode.BadGateway, $"the Kubernetes API is unreachable: {e.Message}");
        }
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var count = 0;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(ct).ConfigureAwait(false);
            }
            catch (IOException) when (follow)
            {
                yield break; // the API server ended the stream (container stopped, pod deleted)
            }
            if (line is null) yield break;
            // Without follow the API sends exactly the tail; this bound only matters against a server that sends more.
            if (!follow && ++count > Options.MaxLines) yield break;
            yield return Truncate(line, Options.MaxLineLength);
        }
    }

    private static PodLogException Explain(HttpOperationException e, string ns, string pod, string container)
    {
        var status = e.Response?.StatusCode ?? HttpStatusCode.BadGateway;
        var apiMessage = ApiMessage(e.Response?.Content);
        return status switch
        {
            HttpStatusCode.Forbidden => new PodLogException(status,
                "the dashboard's service account may not read pod logs (pods/log): apply the optional k8s/components/pod-logs component to allow it"),
            HttpStatusCode.NotFound => new PodLogException(status, $"pod {ns}/{pod} was not found"),
            HttpStatusCode.BadRequest => new PodLogException(status, apiMessage ?? $"the API refused the log of {ns}/{pod} container {container}"),
            _ => new PodLogException(HttpStatusCode.BadGateway, $"the Kubernetes API answered {(int)status}{(apiMessage is null ? "" : ": " + apiMessage)}"),
        };
    }

    private static string? ApiMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("message", out var m) && m.GetString() is { Length: > 0 } s ? Truncate(s, 500) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";

    public void Dispose()
    {
        if (_client.IsValueCreated) _client.Value.Dispose();
    }
}
