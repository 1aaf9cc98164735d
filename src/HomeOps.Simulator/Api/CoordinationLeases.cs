using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Simulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HomeOps.Simulator.Api;

/// <summary>
/// <c>coordination.k8s.io/v1</c> Leases, as strict as the API server where the dashboard's Lease lock
/// (<c>Operations:Lock=Lease</c>) relies on it: get (404 NotFound), create (409 AlreadyExists), and replace only at the
/// current <c>resourceVersion</c> (409 Conflict otherwise, a missing resourceVersion is Invalid). That optimistic
/// concurrency is what makes a Lease a lock across replicas. Not in discovery, not watched.
/// </summary>
internal sealed class CoordinationLeases(TimeProvider time)
{
    private const string Resource = "leases";
    private const string Group = "coordination.k8s.io";
    private readonly ConcurrentDictionary<(string Namespace, string Name), JsonObject> _leases = new();
    private readonly Lock _gate = new();
    private long _version;

    public void Map(IEndpointRouteBuilder routes, Func<RequestDelegate, RequestDelegate> guarded)
    {
        const string collection = "/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases";
        routes.MapGet(collection + "/{name}", guarded(GetAsync));
        routes.MapPost(collection, guarded(CreateAsync));
        routes.MapPut(collection + "/{name}", guarded(ReplaceAsync));
    }

    private Task GetAsync(HttpContext context)
    {
        var key = Key(context);
        lock (_gate)
        {
            var found = _leases.GetValueOrDefault(key) ?? throw ApiException.NotFound(Resource, Group, key.Name);
            return ApiResponses.WriteJsonAsync(context, found.DeepClone());
        }
    }

    private async Task CreateAsync(HttpContext context)
    {
        var ns = (string)context.Request.RouteValues["namespace"]!;
        var body = await ReadAsync(context, ns);
        var name = body["metadata"]?["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name)) throw ApiException.Invalid("Lease is invalid: metadata.name: Required value");
        JsonObject stored;
        lock (_gate)
        {
            if (_leases.ContainsKey((ns, name))) throw ApiException.AlreadyExists(Resource, Group, name);
            stored = Stamp(body, ns, name, uid: Guid.NewGuid().ToString(), created: null);
            _leases[(ns, name)] = stored;
        }
        await ApiResponses.WriteJsonAsync(context, stored.DeepClone(), HttpStatusCode.Created);
    }

    private async Task ReplaceAsync(HttpContext context)
    {
        var key = Key(context);
        var body = await ReadAsync(context, key.Namespace);
        if (body["metadata"]?["name"]?.GetValue<string>() is { } bodyName && bodyName != key.Name)
            throw ApiException.BadRequest("the name of the object does not match the name on the URL");
        var sent = body["metadata"]?["resourceVersion"]?.GetValue<string>();
        if (string.IsNullOrEmpty(sent)) throw ApiException.Invalid("Lease is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update");
        JsonObject stored;
        lock (_gate)
        {
            var current = _leases.GetValueOrDefault(key) ?? throw ApiException.NotFound(Resource, Group, key.Name);
            if (current["metadata"]!["resourceVersion"]!.GetValue<string>() != sent) throw ApiException.Conflict(Resource, Group, key.Name);
            stored = Stamp(body, key.Namespace, key.Name, current["metadata"]!["uid"]!.GetValue<string>(), current["metadata"]!["creationTimestamp"]!.GetValue<string>());
            _leases[key] = stored;
        }
        await ApiResponses.WriteJsonAsync(context, stored.DeepClone());
    }

    private JsonObject Stamp(JsonObject body, string ns, string name, string uid, string? created)
    {
        var metadata = body["metadata"] as JsonObject ?? [];
        body["metadata"] = metadata;
        metadata["name"] = name;
        metadata["namespace"] = ns;
        metadata["uid"] = uid;
        metadata["resourceVersion"] = Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);
        metadata["creationTimestamp"] = created ?? time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        body["apiVersion"] = "coordination.k8s.io/v1";
        body["kind"] = "Lease";
        return body;
    }

    private static async Task<JsonObject> ReadAsync(HttpContext context, string ns)
    {
        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject
                   ?? throw ApiException.BadRequest("the request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"error decoding the request body: {e.Message}");
        }
        if (body["kind"]?.GetValue<string>() is { } kind && kind != "Lease") throw ApiException.BadRequest($"expected kind Lease, got {kind}");
        if (body["metadata"]?["namespace"]?.GetValue<string>() is { } bodyNs && bodyNs != ns)
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        return body;
    }

    private static (string Namespace, string Name) Key(HttpContext context) =>
        ((string)context.Request.RouteValues["namespace"]!, (string)context.Request.RouteValues["name"]!);
}
