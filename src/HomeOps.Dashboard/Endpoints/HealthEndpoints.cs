using HomeOps.Cluster.Sources;

namespace HomeOps.Dashboard.Endpoints;

public static class HealthEndpoints
{
    /// <summary>
    /// /healthz: the process is alive. /readyz: every informer has synced (or knows its kind is not installed),
    /// else 503 with the kinds still syncing, so a rolling update never sends viewers to a pod showing an empty cluster.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Probes are anonymous (the kubelet has no Authentik session) and reveal nothing but readiness.
        endpoints.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        endpoints.MapGet("/readyz", (InformerHost informers) =>
        {
            if (informers.AllSynced) return Results.Text("ready");
            var notSynced = informers.NotSettled.Select(k => k.Key).ToList();
            return Results.Json(new { ready = false, notSynced, error = informers.StartupError },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous();
        return endpoints;
    }
}
