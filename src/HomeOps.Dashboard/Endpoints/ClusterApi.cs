using HomeOps.Cluster.Reports;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using HomeOps.Dashboard.Auth;
using HomeOps.Dashboard.Hubs;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Endpoints;

/// <summary>The read API for other clients: JSON verdicts, the live hub, and the antiforgery token for cookie callers.</summary>
public static class ClusterApi
{
    private static class ProblemJson
    {
        public static readonly System.Text.Json.JsonSerializerOptions Options = new(System.Text.Json.JsonSerializerDefaults.Web)
        {
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        };
    }

    public static WebApplication MapClusterApi(this WebApplication app)
    {
        // The status command's shape, plus a summary per area (homepage's customapi widget can read it).
        app.MapGet("/api/v1/health", (ClusterStore store, IOptions<ClusterOptions> cluster, TimeProvider time) =>
                Results.Json(HealthReport.From(store.Value, cluster.Value.ExpectedNodeNames, time.GetUtcNow())))
            .RequireAuthorization(Policies.Viewer)
            .WithName("api-health");

        // The overview's verdict and problem list (issue 17). The service worker keeps the last answer for the offline view:
        // a viewer's own answer, so it holds nothing that viewer could not see (sign-out clears it: Clear-Site-Data).
        app.MapGet("/api/v1/problems", (ClusterStore store, IOptions<ClusterOptions> cluster, TimeProvider time, ProblemClock clock, HttpContext http) =>
            {
                http.Response.Headers.CacheControl = "no-store";
                return Results.Json(ProblemReport.From(store.Value, cluster.Value.ExpectedNodeNames, time.GetUtcNow(), clock.SinceOf),
                    ProblemJson.Options);
            })
            .RequireAuthorization(Policies.Viewer)
            .WithName("api-problems");

        // The slow-burn radar (issue 15): everything that ages or expires, soonest first, each with its verdict.
        app.MapGet("/api/v1/radar", (HomeOps.Cluster.Sources.Credentials.RadarReader radar, HttpContext http) =>
            {
                http.Response.Headers.CacheControl = "no-store";
                return Results.Json(radar.Current(), ProblemJson.Options);
            })
            .RequireAuthorization(Policies.Viewer)
            .WithName("api-radar");

        // A browser page that calls state-changing JSON endpoints with the session cookie fetches this token first.
        app.MapGet("/api/v1/antiforgery", (IAntiforgery antiforgery, HttpContext context) =>
            {
                var tokens = antiforgery.GetAndStoreTokens(context);
                return Results.Json(new { header = CookieAntiforgery.HeaderName, token = tokens.RequestToken });
            })
            .RequireAuthorization(Policies.Viewer)
            .WithName("api-antiforgery");

        app.MapTimelineApi();

        app.MapHub<ClusterHub>(ClusterHub.Path, o => o.AllowStatefulReconnects = false)
            .RequireAuthorization(Policies.Viewer);
        return app;
    }
}
