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
    public static WebApplication MapClusterApi(this WebApplication app)
    {
        // The status command's shape, plus a summary per area (homepage's customapi widget can read it).
        app.MapGet("/api/v1/health", (ClusterStore store, IOptions<ClusterOptions> cluster, TimeProvider time) =>
                Results.Json(HealthReport.From(store.Value, cluster.Value.ExpectedNodeNames, time.GetUtcNow())))
            .RequireAuthorization(Policies.Viewer)
            .WithName("api-health");

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
