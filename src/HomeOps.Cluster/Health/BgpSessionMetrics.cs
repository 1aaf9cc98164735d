using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Health;

/// <summary>
/// One BGP session as a Cilium agent exports it: <c>cilium_bgp_control_plane_session_state{vrouter, neighbor,
/// neighbor_asn}</c>, 1 = up (established), 0 = down. <see cref="Node"/> comes from the scrape's <c>node</c> label (the
/// Cilium chart's ServiceMonitor relabels the pod's node name to it), else from <c>instance</c> or <c>pod</c>.
/// </summary>
public sealed record BgpSessionDetails(string Node, string VRouter, string Neighbor, string NeighborAsn, bool Up, DateTimeOffset SampledAt)
    : IResourceDetails;

/// <summary>A Prometheus query that did not give an instant vector: <c>status: error</c>, another result type, bad JSON.</summary>
public sealed class PrometheusQueryException(string message) : Exception(message);

/// <summary>
/// Reads the Prometheus HTTP API's instant-query answer (<c>GET /api/v1/query</c>:
/// <c>{"status":"success","data":{"resultType":"vector","result":[{"metric":{…},"value":[ts,"1"]}]}}</c>)
/// into one <see cref="Kinds.BgpSession"/> snapshot per series. Several series for one session (two Prometheus
/// replicas, a re-scrape with other target labels) collapse into one, up if any says up.
/// </summary>
public static class BgpSessionMetrics
{
    public const string Metric = "cilium_bgp_control_plane_session_state";

    /// <summary>Up → Healthy "Established"; down → Failed "Down" (the agent reports the session not established).</summary>
    public static Verdict Rule(BgpSessionDetails d) => d.Up
        ? new Verdict(HealthStatus.Healthy, "Established", $"{d.Node} → {d.Neighbor} (AS {d.NeighborAsn}): established")
        : new Verdict(HealthStatus.Failed, "Down", $"{d.Node} → {d.Neighbor} (AS {d.NeighborAsn}): not established (the Cilium agent reports the session down)");

    public static IReadOnlyList<ResourceSnapshot> Parse(JsonElement response)
    {
        if (response.ValueKind != JsonValueKind.Object) throw new PrometheusQueryException("Prometheus answered with something that is not a JSON object");
        var status = response.Str("status");
        if (status != "success")
        {
            var error = response.Str("error");
            throw new PrometheusQueryException($"Prometheus query failed: {response.Str("errorType", "error")}{(error.Length > 0 ? ": " + error : "")}");
        }
        var data = response.Prop("data");
        var type = data.Prop("resultType").Str("");
        if (type != "vector") throw new PrometheusQueryException($"Prometheus returned a {(type.Length > 0 ? type : "missing")} result, not an instant vector");

        var sessions = new Dictionary<string, BgpSessionDetails>(StringComparer.Ordinal);
        foreach (var series in data.Prop("result").Items())
        {
            if (series.Prop("metric") is not { ValueKind: JsonValueKind.Object } labels) continue;
            if (series.Prop("value") is not { ValueKind: JsonValueKind.Array } value || value.GetArrayLength() != 2) continue;
            var at = value[0].ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeMilliseconds((long)(value[0].GetDouble() * 1000)) : DateTimeOffset.UnixEpoch;
            if (value[1].ValueKind != JsonValueKind.String || !double.TryParse(value[1].GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) continue;
            var node = FirstLabel(labels, "node", "instance", "pod");
            var instance = labels.Str("instance");
            if (node == instance && node.LastIndexOf(':') is > 0 and var colon && !node.EndsWith(']')) node = node[..colon];
            var d = new BgpSessionDetails(node, labels.Str("vrouter"), labels.Str("neighbor"), labels.Str("neighbor_asn"), v >= 1, at);
            var key = $"{d.Node}|{d.VRouter}|{d.Neighbor}";
            sessions[key] = sessions.TryGetValue(key, out var seen) ? seen with { Up = seen.Up || d.Up, SampledAt = Max(seen.SampledAt, d.SampledAt) } : d;
        }
        return [.. sessions.Values.OrderBy(s => s.Node, StringComparer.Ordinal).ThenBy(s => s.Neighbor, StringComparer.Ordinal).Select(Snapshot)];
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string FirstLabel(JsonElement labels, params string[] names)
    {
        foreach (var n in names)
            if (labels.Str(n) is { Length: > 0 } v) return v;
        return "";
    }

    public static ResourceSnapshot Snapshot(BgpSessionDetails d)
    {
        var name = $"{d.Node}/{d.Neighbor}";
        var meta = new ObjectMeta($"bgpsession/{d.Node}/{d.VRouter}/{d.Neighbor}", name, null,
            (d.Up ? "1@" : "0@") + d.SampledAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), 0, null,
            ObjectMeta.NoLabels, ImmutableDictionary<string, string>.Empty);
        return new ResourceSnapshot(Kinds.BgpSession, meta, d, Rule(d), [], "");
    }
}
