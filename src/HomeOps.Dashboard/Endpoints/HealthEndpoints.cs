using HomeOps.Cluster.Sources;

namespace HomeOps.Dashboard.Endpoints;

public static class HealthEndpoints
{
    /// <summary>
    /// /healthz: the process is alive. /readyz: every informer has synced (or knows its kind is not installed),
    /// else 503 with a generic reason and the kinds still syncing (never the startup error's text), so a rolling update never sends viewers to a pod showing an empty cluster.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Probes are anonymous (the kubelet has no Authentik session) and reveal nothing but readiness.
        endpoints.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        endpoints.MapGet("/readyz", (InformerHost informers) =>
        {
            if (informers.AllSynced) return Results.Text("ready");
            var notSynced = informers.NotSettled.Select(k => k.Key).ToList();
            // Anonymous: a generic reason only. The startup error (a kubeconfig path, an API address, an exception
            // message) is in the log, where InformerHost wrote it, and on the signed-in pages' freshness.
            var reason = informers.StartupError is null ? "informers are still syncing" : "cannot reach the cluster: see the log";
            return Results.Json(new { ready = false, reason, notSynced },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous();
        return endpoints;
    }
}
