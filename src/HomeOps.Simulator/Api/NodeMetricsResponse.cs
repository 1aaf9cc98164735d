using System.Globalization;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Seed;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Api;

/// <summary>
/// <c>metrics.k8s.io/v1beta1</c> NodeMetrics as metrics-server writes them (usage in nanocores and Ki, a 10-ish second
/// window), computed from the simulated nodes. Values are plausible for the Mac minis (12 cores, 32 GiB): a steady
/// base per node plus a slow drift over time, so that repeated polls see real changes without any randomness.
/// </summary>
internal static class NodeMetricsResponse
{
    private static readonly (double CpuCores, double MemoryGiB)[] Base = [(0.85, 9.4), (0.62, 7.8), (1.10, 11.2)];

    public static JsonObject List(KindInfo kind, IEnumerable<JsonObject> nodes, DateTimeOffset now)
    {
        var items = new JsonArray();
        foreach (var node in nodes.OrderBy(n => n.Name(), StringComparer.Ordinal))
            if (For(kind, node, now) is { } metrics) items.Add(metrics);
        return new JsonObject
        {
            ["kind"] = "NodeMetricsList",
            ["apiVersion"] = kind.ApiVersion,
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    /// <summary>The node's metrics, or null when metrics-server could not scrape it (kubelet not Ready).</summary>
    public static JsonObject? For(KindInfo kind, JsonObject node, DateTimeOffset now)
    {
        if (node.Condition("Ready")?.String("status") != "True") return null;
        var name = node.Name();
        var index = HomeOpsTopology.NodeNames.ToList().IndexOf(name);
        var (cpu, memory) = Base[(index < 0 ? name.Length : index) % Base.Length];
        // A slow, deterministic drift (period ~10 minutes), different per node.
        var phase = now.ToUnixTimeMilliseconds() / 600_000.0 * 2 * Math.PI + index;
        var cpuNow = cpu * (1 + 0.25 * Math.Sin(phase));
        var memoryNow = memory * (1 + 0.03 * Math.Sin(phase / 3));
        var scraped = now - TimeSpan.FromSeconds(7);
        return new JsonObject
        {
            ["kind"] = "NodeMetrics",
            ["apiVersion"] = kind.ApiVersion,
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["creationTimestamp"] = ObjectJson.Timestamp(now),
                ["labels"] = node["metadata"]?["labels"]?.DeepClone(),
            },
            ["timestamp"] = ObjectJson.Timestamp(scraped),
            ["window"] = "10.06s",
            ["usage"] = new JsonObject
            {
                ["cpu"] = ((long)(cpuNow * 1e9)).ToString(CultureInfo.InvariantCulture) + "n",
                ["memory"] = ((long)(memoryNow * 1024 * 1024)).ToString(CultureInfo.InvariantCulture) + "Ki",
            },
        };
    }
}
