using HomeOps.Cluster.Metrics;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Diagnostics;

namespace HomeOps.Dashboard.Endpoints;

/// <summary>
/// <c>GET /metrics</c>: the health model in Prometheus text format 0.0.4 (docs/metrics.md).
/// Prometheus cannot sign in through Authentik, so this endpoint opts out of the app's default-deny policy
/// (<c>AllowAnonymous</c>) and enforces its own access rules from the <c>Metrics</c> section:
/// <list type="bullet">
/// <item><c>Metrics:Port</c> &gt; 0: answers only on that local port (404 elsewhere), so the ingress, which forwards to the
/// app port, never reaches it; a NetworkPolicy lets only the monitoring namespace reach that port.</item>
/// <item><c>Metrics:BearerToken</c> set: 401 without <c>Authorization: Bearer &lt;token&gt;</c> (constant-time compare).
/// Empty: open, and the port plus NetworkPolicy are the protection. Neither set in Production: the app refuses to start.</item>
/// </list>
/// The settings are read per request, so a reloaded configuration applies without a restart.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public const string OpenInProductionMessage =
        "/metrics would be open to anyone who reaches the app: in Production set Metrics:Port (a port only the monitoring " +
        "namespace reaches; environment Metrics__Port, also listed in ASPNETCORE_HTTP_PORTS) and/or Metrics:BearerToken " +
        "(environment Metrics__BearerToken, from a secret).";

    /// <summary>
    /// Options validated at start: in Production, against a real cluster, an open /metrics is refused (the process
    /// stops with <see cref="OpenInProductionMessage"/>). The simulator and Development keep the open default.
    /// </summary>
    public static WebApplicationBuilder AddMetricsAccess(this WebApplicationBuilder builder)
    {
        var mustBeClosed = builder.Environment.IsProduction() &&
            (builder.Configuration.GetValue<ClusterMode?>($"{ClusterOptions.Section}:{nameof(ClusterOptions.Mode)}") ?? ClusterMode.Simulator) != ClusterMode.Simulator;
        var configuration = builder.Configuration;
        builder.Services.AddOptions<MetricsOptions>()
            // Read as leniently as the endpoint reads them per request (an empty or malformed port is "no port").
            .Configure(o =>
            {
                o.Port = int.TryParse(configuration[$"{MetricsOptions.Section}:{nameof(MetricsOptions.Port)}"], out var p) ? p : 0;
                o.BearerToken = configuration[$"{MetricsOptions.Section}:{nameof(MetricsOptions.BearerToken)}"] ?? "";
            })
            .Validate(o => !mustBeClosed || o.Port > 0 || !string.IsNullOrEmpty(o.BearerToken), OpenInProductionMessage)
            .ValidateOnStart();
        return builder;
    }

    public static WebApplication MapMetricsEndpoint(this WebApplication app)
    {
        app.MapGet(Path, (HttpContext http, IState<ClusterState> state, IOptions<ClusterOptions> cluster, TimeProvider time, IConfiguration configuration,
                [Microsoft.AspNetCore.Mvc.FromServices] HomeOps.Cluster.Talos.TalosFeed? talos,
                [Microsoft.AspNetCore.Mvc.FromServices] HomeOps.Cluster.Sources.Credentials.RadarReader? radar,
                [Microsoft.AspNetCore.Mvc.FromServices] HomeOps.Dashboard.Circuits.CircuitCensus? circuits) =>
            {
                // Prometheus gets plain status codes, never the people-facing "not found" page re-executed in their place.
                if (http.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
                // Read leniently: a malformed setting must not turn every scrape into a 500.
                var port = int.TryParse(configuration[$"{MetricsOptions.Section}:{nameof(MetricsOptions.Port)}"], out var p) ? p : 0;
                var token = configuration[$"{MetricsOptions.Section}:{nameof(MetricsOptions.BearerToken)}"];
                if (port > 0 && http.Connection.LocalPort != port)
                    return Results.Text("not found\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
                if (!BearerToken.Authorizes(token, http.Request.Headers.Authorization.ToString()))
                {
                    http.Response.Headers.WWWAuthenticate = "Bearer realm=\"homeops-metrics\"";
                    return Results.Text("unauthorized\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
                }
                http.Response.Headers.CacheControl = "no-store";
                // The Talos feed's gauges follow the cluster model's families (docs/metrics.md, "Talos and etcd").
                var talosText = talos is null ? "" : TalosMetrics.Format(talos.Current);
                // The slow-burn radar's expiry gauges, from the same computation as /radar and /api/v1/radar.
                var radarText = radar is null ? "" : RadarMetrics.Format(radar.Current());
                // The dashboard process's own circuits (connected browsers, and circuits kept after their browser left).
                var circuitText = circuits is null ? "" : circuits.Format();
                return Results.Text(HealthMetrics.Format(state.Value, cluster.Value.ExpectedNodeNames, time.GetUtcNow()) + talosText + radarText + circuitText,
                    PrometheusText.ContentType);
            })
            .AllowAnonymous()
            .ExcludeFromDescription()
            .WithName("PrometheusMetrics");
        return app;
    }
}
