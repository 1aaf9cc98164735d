using System.Net;
using System.Text.Json.Nodes;
using HomeOps.Simulator.Api;
using HomeOps.Simulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HomeOps.Simulator.Authentik;

/// <summary>
/// The part of Authentik's REST API v3 the dashboard polls, token-authenticated like the real one:
/// outposts (paginated), per-outpost health (a bare array), tokens (paginated), the current user, the version.
/// </summary>
internal sealed class AuthentikApi(AuthentikState state)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v3/outposts/instances/", Guarded(context => Paged(context, state.Outposts(), context.Request.Query["name"])));
        routes.MapGet("/api/v3/outposts/instances/{id}/", Guarded(context =>
            state.Outpost(Id(context)) is { } outpost ? Json(context, outpost) : NotFound(context, "No Outpost matches the given query.")));
        routes.MapGet("/api/v3/outposts/instances/{id}/health/", Guarded(context =>
            state.Health(Id(context)) is { } health ? Json(context, health) : NotFound(context, "No Outpost matches the given query.")));
        routes.MapGet("/api/v3/core/tokens/", Guarded(context =>
        {
            var tokens = state.Tokens()
                .Where(t => Filter(context, t, "identifier") && Filter(context, t, "intent"))
                .ToList();
            return Paged(context, tokens, nameFilter: null);
        }));
        routes.MapGet("/api/v3/core/users/me/", Guarded(context => Json(context, AuthentikState.Me())));
        routes.MapGet("/api/v3/admin/version/", Guarded(context => Json(context, new JsonObject
        {
            ["version_current"] = AuthentikState.Version,
            ["version_latest"] = AuthentikState.Version,
            ["version_latest_valid"] = true,
            ["build_hash"] = "",
            ["outdated"] = false,
            ["outpost_outdated"] = false,
        })));
    }

    private RequestDelegate Guarded(RequestDelegate inner) => context =>
    {
        var presented = BearerTokenCheck.Presented(context.Request);
        if (presented is null) return Error(context, HttpStatusCode.Unauthorized, "Authentication credentials were not provided.");
        if (!state.Accepts(presented)) return Error(context, HttpStatusCode.Unauthorized, "Token invalid/expired");
        return inner(context);
    };

    private static Task Paged(HttpContext context, IReadOnlyList<JsonObject> items, string? nameFilter)
    {
        var filtered = string.IsNullOrEmpty(nameFilter) ? items : items.Where(i => i.String("name") == nameFilter).ToList();
        return Pagination.Page(filtered, context.Request.Query) is { } page ? Json(context, page) : NotFound(context, "Invalid page.");
    }

    private static bool Filter(HttpContext context, JsonObject item, string field)
    {
        var wanted = context.Request.Query[field].ToString();
        return wanted.Length == 0 || item.String(field) == wanted;
    }

    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    private static Task Json(HttpContext context, JsonNode body) => ApiResponses.WriteJsonAsync(context, body);

    private static Task NotFound(HttpContext context, string detail) => Error(context, HttpStatusCode.NotFound, detail);

    private static Task Error(HttpContext context, HttpStatusCode code, string detail)
    {
        if (code == HttpStatusCode.Unauthorized) context.Response.Headers.WWWAuthenticate = "Bearer realm=\"authentik\"";
        return ApiResponses.WriteJsonAsync(context, new JsonObject { ["detail"] = detail }, code);
    }
}
