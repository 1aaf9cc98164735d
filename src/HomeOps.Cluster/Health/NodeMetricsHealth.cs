using System.Globalization;
using System.Text.Json;
using System.Xml;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Health;

/// <summary>
/// <c>metrics.k8s.io/v1beta1</c> NodeMetrics (metrics-server): CPU and memory usage of a node over a short window.
/// Usage is information, not a health signal on its own: the verdict is Healthy "Measured" with the numbers, or
/// Unknown when the usage cannot be read. A node metrics-server cannot scrape is simply missing from the list.
/// </summary>
public static class NodeMetricsHealth
{
    public static ResourceSnapshot Decode(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var usage = ((JsonElement?)obj).ObjectAt("usage", "usage");
        var cpu = Quantity.Parse(usage.Prop("cpu").Str());
        var memory = Quantity.Parse(usage.Prop("memory").Str());
        var details = new NodeMetricsDetails(
            CpuMillicores: cpu is { } c ? (long)Math.Round(c * 1000m, MidpointRounding.AwayFromZero) : 0,
            MemoryBytes: memory is { } m ? (long)Math.Round(m, MidpointRounding.AwayFromZero) : 0,
            Timestamp: obj.Prop("timestamp").Time(),
            Window: Window(obj.Prop("window").Str()));
        var verdict = cpu is null || memory is null
            ? Verdict.Unknown("NoUsage", $"usage is not readable (cpu '{usage.Prop("cpu").Str("")}', memory '{usage.Prop("memory").Str("")}')")
            : new Verdict(HealthStatus.Healthy, "Measured", Describe(details), details.Timestamp);
        return new ResourceSnapshot(kind, meta, details, verdict, [], "");
    }

    /// <summary>"CPU 352m, memory 5.1 GiB".</summary>
    public static string Describe(NodeMetricsDetails d) =>
        string.Create(CultureInfo.InvariantCulture, $"CPU {d.CpuMillicores}m, memory {Quantity.FormatBytes(d.MemoryBytes)}");

    /// <summary>metrics-server writes the window as a Go duration ("10.06s", "1m0s"); XML durations are accepted too.</summary>
    private static TimeSpan? Window(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var s = text.Trim();
        if (s.EndsWith("ms", StringComparison.Ordinal) && double.TryParse(s[..^2], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            return TimeSpan.FromMilliseconds(ms);
        var total = TimeSpan.Zero;
        var number = "";
        foreach (var ch in s)
        {
            if (char.IsDigit(ch) || ch == '.') { number += ch; continue; }
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) break;
            total += ch switch { 'h' => TimeSpan.FromHours(n), 'm' => TimeSpan.FromMinutes(n), 's' => TimeSpan.FromSeconds(n), _ => TimeSpan.Zero };
            number = "";
        }
        if (total > TimeSpan.Zero) return total;
        try { return XmlConvert.ToTimeSpan(s); }
        catch (FormatException) { return null; }
    }
}
