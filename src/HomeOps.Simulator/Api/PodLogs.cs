using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HomeOps.Simulator.Api;

/// <summary>
/// <c>GET /api/v1/namespaces/{ns}/pods/{name}/log</c> as the API server answers it: <c>text/plain</c> lines,
/// <c>container</c> required when the pod has several, <c>tailLines</c>, <c>follow=true</c> streaming until the client
/// goes away, 400 for a container that is not running yet ("is waiting to start"), 404 for a missing pod. The lines are
/// made up but stable per pod (a counter and the container's name), one more per second while following.
/// </summary>
internal sealed class PodLogs(ClusterObjectStore store, ServedApi api, TimeProvider time)
{
    /// <summary>How many lines a container has "written" before the first request (what the tail is taken from).</summary>
    public const int History = 200;

    public static readonly TimeSpan FollowInterval = TimeSpan.FromSeconds(1);

    public void Map(IEndpointRouteBuilder routes, Func<RequestDelegate, RequestDelegate> guarded) =>
        routes.MapGet("/api/v1/namespaces/{namespace}/pods/{name}/log", guarded(ServeAsync));

    private async Task ServeAsync(HttpContext context)
    {
        var ns = (string)context.Request.RouteValues["namespace"]!;
        var name = (string)context.Request.RouteValues["name"]!;
        if (api.IsForbidden(Kinds.Pod))
            throw new ApiException(System.Net.HttpStatusCode.Forbidden, "Forbidden",
                $"pods \"{name}\" is forbidden: User \"system:serviceaccount:homeops:homeops-dashboard\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"{ns}\"");
        var pod = store.Get(Kinds.Pod, ns, name) ?? throw ApiException.NotFound("pods", "", name);
        var containers = (pod["spec"]?["containers"] as JsonArray ?? []).Select(c => c.String("name") ?? "").ToList();
        var container = context.Request.Query["container"].ToString();
        if (container.Length == 0)
        {
            if (containers.Count != 1)
                throw ApiException.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(" ", containers)}]");
            container = containers[0];
        }
        else if (!containers.Contains(container))
        {
            throw ApiException.BadRequest($"container {container} is not valid for pod {name}");
        }
        var status = (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c.String("name") == container);
        if (status?["state"]?["waiting"] is JsonObject waiting && status["lastState"]?["terminated"] is null)
        {
            var why = waiting.String("reason") is "ImagePullBackOff" or "ErrImagePull" ? ": trying and failing to pull image" : "";
            throw ApiException.BadRequest($"container \"{container}\" in pod \"{name}\" is waiting to start{why}");
        }

        var tail = long.TryParse(context.Request.Query["tailLines"], NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? (int)Math.Min(t, History) : History;
        var follow = string.Equals(context.Request.Query["follow"], "true", StringComparison.OrdinalIgnoreCase);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        var next = History - tail;
        for (; next < History; next++) await WriteLineAsync(context, ns, name, container, next);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        if (!follow) return;
        try
        {
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await Task.Delay(FollowInterval, time, context.RequestAborted);
                if (store.Get(Kinds.Pod, ns, name) is null) return; // the pod is gone: the API server ends the stream
                await WriteLineAsync(context, ns, name, container, next++);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException) { }
    }

    private Task WriteLineAsync(HttpContext context, string ns, string pod, string container, int n)
    {
        var at = time.GetUtcNow().AddSeconds(n - History).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var line = $"{at} level=info container={container} pod={ns}/{pod} msg=\"heartbeat {n}\"\n";
        return context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), context.RequestAborted).AsTask();
    }
}
