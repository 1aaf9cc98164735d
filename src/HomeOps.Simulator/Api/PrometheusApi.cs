using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HomeOps.Simulator.Api;

/// <summary>
/// The part of kube-prometheus-stack's Prometheus HTTP API the dashboard reads, under the route prefix
/// <see cref="Prefix"/> (Prometheus's <c>--web.route-prefix</c>): <c>GET /api/v1/query?query=…</c>. Serves the Cilium
/// agents' <c>cilium_bgp_control_plane_session_state</c> from what each agent reports in its CiliumBGPNodeConfig
/// status — 1 for an established peer, 0 otherwise, labels <c>vrouter</c> (local ASN), <c>neighbor</c>,
/// <c>neighbor_asn</c> as Cilium documents them, plus the scrape labels the Cilium chart's ServiceMonitor adds (<c>node</c>,
/// <c>pod</c>, <c>namespace</c>, <c>job</c>, <c>instance</c>). As strict as Prometheus where the dashboard depends on it:
/// a missing query is a 400 <c>bad_data</c> error envelope, any other bare metric name an empty vector; it evaluates
/// nothing else (400).
/// </summary>
internal sealed partial class PrometheusApi(ClusterObjectStore cluster, TimeProvider time)
{
    public const string Prefix = "/prometheus";
    private const string Metric = "cilium_bgp_control_plane_session_state";

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(Prefix + "/api/v1/query", Query);
        routes.MapPost(Prefix + "/api/v1/query", Query);
    }

    private async Task Query(HttpContext context)
    {
        var query = context.Request.Query["query"].ToString();
        if (string.IsNullOrWhiteSpace(query) && context.Request.HasFormContentType)
            query = (await context.Request.ReadFormAsync(context.RequestAborted))["query"].ToString();
        query = query.Trim();
        if (query.Length == 0)
        {
            await Error(context, "invalid parameter \"query\": 1:1: parse error: no expression found in input");
            return;
        }
        if (!MetricName().IsMatch(query))
        {
            await Error(context, $"invalid parameter \"query\": the simulator evaluates bare metric names only, not \"{query}\"");
            return;
        }
        var now = time.GetUtcNow();
        var result = new JsonArray();
        if (query == Metric)
            foreach (var series in Sessions(now)) result.Add(series);
        await Write(context, StatusCodes.Status200OK, new JsonObject
        {
            ["status"] = "success",
            ["data"] = new JsonObject { ["resultType"] = "vector", ["result"] = result },
        });
    }

    private IEnumerable<JsonObject> Sessions(DateTimeOffset now)
    {
        var ts = Math.Round(now.ToUnixTimeMilliseconds() / 1000.0, 3);
        foreach (var config in cluster.List(Kinds.BgpNodeConfig).Items)
        {
            var node = config["metadata"]?["name"]?.GetValue<string>() ?? "";
            foreach (var instance in config["status"]?["bgpInstances"]?.AsArray() ?? [])
            {
                var asn = instance?["localASN"]?.ToString() ?? "";
                foreach (var peer in instance?["peers"]?.AsArray() ?? [])
                {
                    var address = peer?["peerAddress"]?.GetValue<string>() ?? "";
                    var slash = address.IndexOf('/');
                    if (slash > 0) address = address[..slash];
                    var up = peer?["peeringState"]?.GetValue<string>() == "established";
                    yield return new JsonObject
                    {
                        ["metric"] = new JsonObject
                        {
                            ["__name__"] = Metric,
                            ["instance"] = $"{node}:9962",
                            ["job"] = "cilium-agent",
                            ["namespace"] = "kube-system",
                            ["node"] = node,
                            ["pod"] = $"cilium-{node}",
                            ["vrouter"] = asn,
                            ["neighbor"] = address,
                            ["neighbor_asn"] = peer?["peerASN"]?.ToString() ?? "",
                        },
                        ["value"] = new JsonArray(ts, up ? "1" : "0"),
                    };
                }
            }
        }
    }

    private static Task Error(HttpContext context, string message) => Write(context, StatusCodes.Status400BadRequest, new JsonObject
    {
        ["status"] = "error",
        ["errorType"] = "bad_data",
        ["error"] = message,
    });

    private static async Task Write(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
