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
/// core/v1 Events, write-mostly: create (POST, as the dashboard's audit sink and any controller do), get and list (GET,
/// so tests read them back through the client; Events are not in the discovery documents, so kubectl does not know
/// the resource). Kept apart from the watched kinds: nothing in the dashboard
/// watches Events, and they never show up in the object store's history. Bounded: the oldest go first, as Events
/// expire on a real cluster.
/// </summary>
internal sealed class CoreEvents(TimeProvider time)
{
    private const int Capacity = 5000;
    private readonly ConcurrentQueue<JsonObject> _events = new();
    private long _version;

    public void Map(IEndpointRouteBuilder routes, Func<RequestDelegate, RequestDelegate> guarded)
    {
        routes.MapPost("/api/v1/namespaces/{namespace}/events", guarded(CreateAsync));
        routes.MapGet("/api/v1/namespaces/{namespace}/events", guarded(context => ListAsync(context, (string)context.Request.RouteValues["namespace"]!)));
        routes.MapGet("/api/v1/namespaces/{namespace}/events/{name}", guarded(GetAsync));
        routes.MapGet("/api/v1/events", guarded(context => ListAsync(context, null)));
    }

    private async Task CreateAsync(HttpContext context)
    {
        var ns = (string)context.Request.RouteValues["namespace"]!;
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
        if (body["kind"]?.GetValue<string>() is { } kind && kind != "Event") throw ApiException.BadRequest($"expected kind Event, got {kind}");
        var metadata = body["metadata"] as JsonObject ?? [];
        body["metadata"] = metadata;
        var name = metadata["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name))
        {
            var prefix = metadata["generateName"]?.GetValue<string>();
            if (string.IsNullOrEmpty(prefix)) throw ApiException.Invalid("Event is invalid: metadata.name: Required value: name or generateName is required");
            name = prefix + Guid.NewGuid().ToString("N")[..5];
        }
        if (metadata["namespace"]?.GetValue<string>() is { } bodyNs && bodyNs != ns)
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        if (body["involvedObject"] is not JsonObject) throw ApiException.Invalid("Event is invalid: involvedObject: Required value");
        if (Find(ns, name) is not null) throw ApiException.AlreadyExists("events", "", name);
        metadata["name"] = name;
        metadata["namespace"] = ns;
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["resourceVersion"] = Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);
        metadata["creationTimestamp"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        body["apiVersion"] = "v1";
        body["kind"] = "Event";
        _events.Enqueue(body);
        while (_events.Count > Capacity && _events.TryDequeue(out _)) { }
        await ApiResponses.WriteJsonAsync(context, body.DeepClone(), HttpStatusCode.Created);
    }

    private Task GetAsync(HttpContext context)
    {
        var ns = (string)context.Request.RouteValues["namespace"]!;
        var name = (string)context.Request.RouteValues["name"]!;
        var found = Find(ns, name) ?? throw ApiException.NotFound("events", "", name);
        return ApiResponses.WriteJsonAsync(context, found.DeepClone());
    }

    private Task ListAsync(HttpContext context, string? ns)
    {
        var items = new JsonArray();
        foreach (var e in _events)
            if (ns is null || e["metadata"]?["namespace"]?.GetValue<string>() == ns)
                items.Add(e.DeepClone());
        return ApiResponses.WriteJsonAsync(context, new JsonObject
        {
            ["kind"] = "EventList",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = Interlocked.Read(ref _version).ToString(CultureInfo.InvariantCulture) },
            ["items"] = items,
        });
    }

    private JsonObject? Find(string ns, string name) =>
        _events.FirstOrDefault(e => e["metadata"]?["namespace"]?.GetValue<string>() == ns && e["metadata"]?["name"]?.GetValue<string>() == name);
}
