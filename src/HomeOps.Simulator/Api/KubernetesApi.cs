using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Faults;
using HomeOps.Simulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace HomeOps.Simulator.Api;

/// <summary>
/// The Kubernetes REST surface: discovery, list/get/watch, create/replace/patch/delete, and the status
/// subresource, for the served kinds only. Every call needs the kubeconfig's bearer token.
/// </summary>
internal sealed class KubernetesApi(
    ClusterObjectStore store,
    FaultInjector faults,
    ServedApi api,
    DiscoveryDocuments discovery,
    WatchStreamer watches,
    string token,
    TimeProvider time,
    ILogger log)
{
    private static readonly string[] Verbs = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/version", context => ApiResponses.WriteJsonAsync(context, ServerVersion.Document()));
        routes.MapGet("/api", Guarded(context =>
            ApiResponses.WriteJsonAsync(context, DiscoveryDocuments.CoreVersions(context.Request.Host.Value ?? ""))));
        routes.MapGet("/apis", Guarded(context => ApiResponses.WriteJsonAsync(context, discovery.GroupList())));
        routes.MapGet("/apis/{group}", Guarded(context =>
        {
            var group = (string)context.Request.RouteValues["group"]!;
            return discovery.GroupDocument(group) is { } document
                ? ApiResponses.WriteJsonAsync(context, document)
                : ApiResponses.WriteStatusAsync(context, HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource");
        }));
        // Events are accepted (audit sinks write them) but are not one of the watched kinds.
        new CoreEvents(time).Map(routes, Guarded);
        new CoordinationLeases(time).Map(routes, Guarded);
        new PodLogs(store, api, time).Map(routes, Guarded);
        routes.MapMethods("/api/v1/{**rest}", Verbs, Guarded(context =>
            HandleAsync(context, "", "v1", context.Request.RouteValues["rest"] as string)));
        routes.MapMethods("/apis/{group}/{version}/{**rest}", Verbs, Guarded(context =>
            HandleAsync(context, (string)context.Request.RouteValues["group"]!, (string)context.Request.RouteValues["version"]!,
                context.Request.RouteValues["rest"] as string)));
    }

    private RequestDelegate Guarded(RequestDelegate inner) => async context =>
    {
        if (!BearerTokenCheck.Matches(BearerTokenCheck.Presented(context.Request), token))
        {
            await ApiResponses.WriteStatusAsync(context, HttpStatusCode.Unauthorized, "Unauthorized", "Unauthorized");
            return;
        }
        try
        {
            await inner(context);
        }
        catch (ApiException error) when (!context.Response.HasStarted)
        {
            await ApiResponses.WriteStatusAsync(context, error);
        }
    };

    private async Task HandleAsync(HttpContext context, string group, string version, string? rest)
    {
        var method = context.Request.Method;
        if (string.IsNullOrEmpty(rest))
        {
            var groupVersion = group.Length == 0 ? version : $"{group}/{version}";
            if (method != HttpMethods.Get || discovery.ResourceList(groupVersion) is not { } list) throw NotFound();
            await ApiResponses.WriteJsonAsync(context, list);
            return;
        }

        var path = ResourcePath.Parse(api, group, version, rest);
        if (api.IsForbidden(path.Kind)) throw Forbidden(context, path);
        if (Kinds.IsPolled(path.Kind))
        {
            await ServeMetricsAsync(context, path);
            return;
        }
        switch (method)
        {
            case "GET" when path.Name is null:
                await ListOrWatchAsync(context, path);
                break;
            case "GET":
                var found = store.Get(path.Kind, path.Namespace, path.Name)
                    ?? throw ApiException.NotFound(path.Kind.Plural, path.Kind.Group, path.Name);
                await ApiResponses.WriteJsonAsync(context, TableResponse.Requested(context.Request)
                    ? TableResponse.Build(path.Kind, [found], store.ResourceVersion, time.GetUtcNow(), TableResponse.Include(context.Request))
                    : found);
                break;
            case "POST" when path.Name is null && !path.Status:
                await ApiResponses.WriteJsonAsync(context, store.Create(await ReadObjectAsync(context), path.Namespace), HttpStatusCode.Created);
                break;
            case "PUT" when path.Name is not null:
                await ApiResponses.WriteJsonAsync(context,
                    store.Replace(path.Kind, path.Namespace, path.Name, await ReadObjectAsync(context), path.Status));
                break;
            case "PATCH" when path.Name is not null:
                var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
                await ApiResponses.WriteJsonAsync(context,
                    store.Patch(path.Kind, path.Namespace, path.Name, context.Request.ContentType ?? "", body, path.Status));
                break;
            case "DELETE" when path.Name is not null && !path.Status:
                await ApiResponses.WriteJsonAsync(context, store.Delete(path.Kind, path.Namespace, path.Name));
                break;
            default:
                throw new ApiException(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed",
                    $"the server does not allow this method on the requested resource");
        }
    }

    private async Task ListOrWatchAsync(HttpContext context, ResourcePath path)
    {
        var query = WatchQuery.From(context.Request.Query);
        if (query.Watch) faults.Counters.CountWatch(path.Kind);
        else faults.Counters.CountList(path.Kind);
        var planned = faults.BeginRequest(path.Kind, query.Watch);

        if (faults.Failures.TryTake(path.Kind, out var injected))
        {
            log.LogDebug("Injected {Code} for {Kind}", (int)injected, path.Kind.Kind);
            await ApiResponses.WriteStatusAsync(context, injected, injected.ToString(), $"injected fault: {(int)injected}");
            return;
        }

        if (planned.Plan.Response is { } scheduled)
        {
            await ScheduledResponses.WriteAsync(context, scheduled);
            return;
        }

        if (query.Watch)
        {
            await watches.StreamAsync(context, path.Kind, path.Namespace, query, faults.OpenStream(path.Kind, context, planned));
            return;
        }
        if (query.Continue is not null) faults.OnContinuedList(path.Kind);
        var list = store.List(path.Kind, path.Namespace, query.Labels, query.Fields, query.ResourceVersion, query.Limit, query.Continue);
        await ApiResponses.WriteJsonAsync(context, TableResponse.Requested(context.Request)
            ? ListResponse.Page(TableResponse.Build(path.Kind, list.Items, list.ResourceVersion, time.GetUtcNow(), TableResponse.Include(context.Request)), list)
            : ListResponse.Build(path.Kind, list));
    }

    /// <summary>
    /// <c>metrics.k8s.io</c> NodeMetrics, computed from the nodes as metrics-server would report them: get and list
    /// only (the metrics API cannot be watched), and a node whose kubelet is not Ready is missing (it cannot be scraped).
    /// </summary>
    private async Task ServeMetricsAsync(HttpContext context, ResourcePath path)
    {
        var query = WatchQuery.From(context.Request.Query);
        if (context.Request.Method != HttpMethods.Get || query.Watch)
            throw new ApiException(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        faults.Counters.CountList(path.Kind);
        var nodes = store.List(Kinds.Node).Items;
        if (path.Name is null)
        {
            await ApiResponses.WriteJsonAsync(context, NodeMetricsResponse.List(path.Kind, nodes, time.GetUtcNow()));
            return;
        }
        var node = nodes.FirstOrDefault(n => n.Name() == path.Name);
        var metrics = node is null ? null : NodeMetricsResponse.For(path.Kind, node, time.GetUtcNow());
        await ApiResponses.WriteJsonAsync(context, metrics ?? throw ApiException.NotFound(path.Kind.Plural, path.Kind.Group, path.Name));
    }

    /// <summary>403 as the API server words it for a service account the role does not allow.</summary>
    private static ApiException Forbidden(HttpContext context, ResourcePath path)
    {
        var verb = context.Request.Method switch
        {
            "GET" when path.Name is not null => "get",
            "GET" when WatchQuery.From(context.Request.Query).Watch => "watch",
            "GET" => "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            _ => "delete",
        };
        var scope = path.Namespace is null ? "at the cluster scope" : $"in the namespace \"{path.Namespace}\"";
        var resource = path.Kind.Group.Length == 0 ? path.Kind.Plural : $"{path.Kind.Plural}.{path.Kind.Group}";
        return new ApiException(HttpStatusCode.Forbidden, "Forbidden",
            $"{resource} is forbidden: User \"system:serviceaccount:homeops:homeops-dashboard\" cannot {verb} resource \"{path.Kind.Plural}\" " +
            $"in API group \"{path.Kind.Group}\" {scope}");
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject
                ?? throw ApiException.BadRequest("the request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"error decoding the request body: {e.Message}");
        }
    }

    private static ApiException NotFound() =>
        new(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource");
}
