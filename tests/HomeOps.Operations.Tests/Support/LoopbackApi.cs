using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace HomeOps.Operations.Tests.Support;

/// <summary>
/// A minimal Kubernetes-API-shaped HTTP endpoint on loopback: GET returns the stored object (404 Status otherwise), PATCH
/// is recorded (not applied), POST creates (409 if it exists), PUT replaces only at the current resourceVersion (409
/// Conflict otherwise). Every request is recorded. Lets the real KubernetesClient code be exercised.
/// </summary>
public sealed class LoopbackApi : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;

    public LoopbackApi()
    {
        // Pick a free port, then bind; another test may take the port in between, so retry with a fresh one.
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            BaseUri = $"http://127.0.0.1:{port}/";
            _listener = new HttpListener();
            _listener.Prefixes.Add(BaseUri);
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                _listener.Close();
            }
        }
        _loop = Task.Run(LoopAsync);
    }

    public string BaseUri { get; }

    /// <summary>Objects by API path, e.g. /apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps.</summary>
    public ConcurrentDictionary<string, string> Objects { get; } = new();

    public ConcurrentQueue<(string Method, string Path, string? ContentType, string Body)> Requests { get; } = new();

    /// <summary>Canned answers by "METHOD path" (e.g. a 403 Status for one PATCH), taking precedence over the stored objects.</summary>
    public ConcurrentDictionary<string, (int Status, string Body)> Answers { get; } = new();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            using var reader = new StreamReader(ctx.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var path = ctx.Request.Url!.AbsolutePath;
            Requests.Enqueue((ctx.Request.HttpMethod, path, ctx.Request.ContentType, body));
            var (status, payload) = Handle(ctx.Request.HttpMethod, path, body);
            ctx.Response.ContentType = "application/json";
            ctx.Response.StatusCode = status;
            var bytes = Encoding.UTF8.GetBytes(payload);
            await ctx.Response.OutputStream.WriteAsync(bytes);
            ctx.Response.Close();
        }
    }

    private int _version = 100;

    private (int, string) Handle(string method, string path, string body)
    {
        const string notFound = """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""";
        const string conflict = """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Conflict","code":409}""";
        if (Answers.TryGetValue($"{method} {path}", out var canned)) return canned;
        lock (Objects)
        {
            switch (method)
            {
                case "GET" or "PATCH":
                    return Objects.TryGetValue(path, out var obj) ? (200, obj) : (404, notFound);
                case "POST":
                {
                    var node = JsonNode.Parse(body)!;
                    var full = $"{path}/{node["metadata"]!["name"]}";
                    if (Objects.ContainsKey(full)) return (409, conflict);
                    node["metadata"]!["resourceVersion"] = (++_version).ToString();
                    Objects[full] = node.ToJsonString();
                    return (201, Objects[full]);
                }
                case "PUT":
                {
                    if (!Objects.TryGetValue(path, out var current)) return (404, notFound);
                    var node = JsonNode.Parse(body)!;
                    var sent = node["metadata"]?["resourceVersion"]?.GetValue<string>();
                    if (sent != JsonNode.Parse(current)!["metadata"]!["resourceVersion"]!.GetValue<string>()) return (409, conflict);
                    node["metadata"]!["resourceVersion"] = (++_version).ToString();
                    Objects[path] = node.ToJsonString();
                    return (200, Objects[path]);
                }
                default:
                    return (405, notFound);
            }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
