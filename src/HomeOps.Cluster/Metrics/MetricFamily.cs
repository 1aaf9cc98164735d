using System.Text;

namespace HomeOps.Cluster.Metrics;

public enum MetricType
{
    Gauge,
    Counter,
}

/// <summary>
/// One metric family: name, help, type, fixed label names and its samples. Renders with samples sorted by their label
/// values (ordinal), so the page is byte-for-byte stable for the same state; a second sample with the same label values
/// is dropped (duplicate series make Prometheus reject the whole scrape).
/// </summary>
public sealed class MetricFamily
{
    private readonly Dictionary<string, (string[] Values, double Value)> _samples = new(StringComparer.Ordinal);

    public MetricFamily(string name, MetricType type, string help, params string[] labelNames)
    {
        if (!PrometheusText.IsValidMetricName(name)) throw new ArgumentException($"invalid metric name '{name}'", nameof(name));
        foreach (var l in labelNames)
            if (!PrometheusText.IsValidLabelName(l)) throw new ArgumentException($"invalid label name '{l}'", nameof(labelNames));
        Name = name;
        Type = type;
        Help = help;
        LabelNames = labelNames;
    }

    public string Name { get; }
    public MetricType Type { get; }
    public string Help { get; }
    public IReadOnlyList<string> LabelNames { get; }
    public int Count => _samples.Count;

    /// <summary>Adds a sample; label values in the order of <see cref="LabelNames"/>. Returns false for a duplicate series.</summary>
    public bool Add(double value, params string[] labelValues)
    {
        if (labelValues.Length != LabelNames.Count)
            throw new ArgumentException($"{Name}: expected {LabelNames.Count} label values, got {labelValues.Length}", nameof(labelValues));
        // Length-prefixed, so no value can contain a separator that makes two different label sets collide.
        var key = string.Concat(labelValues.Select(v => $"{v.Length}:{v}"));
        return _samples.TryAdd(key, ([.. labelValues], value));
    }

    public void WriteTo(StringBuilder sb)
    {
        sb.Append("# HELP ").Append(Name).Append(' ').Append(PrometheusText.EscapeHelp(Help)).Append('\n');
        sb.Append("# TYPE ").Append(Name).Append(' ').Append(Type == MetricType.Counter ? "counter" : "gauge").Append('\n');
        foreach (var (values, value) in _samples.Values.Order(LabelValuesOrder.Instance))
        {
            sb.Append(Name);
            if (values.Length > 0)
            {
                sb.Append('{');
                for (var i = 0; i < values.Length; i++)
                {
                    if (i > 0) sb.Append(',');
                    sb.Append(LabelNames[i]).Append("=\"").Append(PrometheusText.EscapeLabelValue(values[i])).Append('"');
                }
                sb.Append('}');
            }
            sb.Append(' ').Append(PrometheusText.FormatValue(value)).Append('\n');
        }
    }
}

/// <summary>Orders samples by their label values, first label first (ordinal).</summary>
internal sealed class LabelValuesOrder : IComparer<(string[] Values, double Value)>
{
    public static readonly LabelValuesOrder Instance = new();

    public int Compare((string[] Values, double Value) x, (string[] Values, double Value) y)
    {
        for (var i = 0; i < Math.Min(x.Values.Length, y.Values.Length); i++)
        {
            var c = string.CompareOrdinal(x.Values[i], y.Values[i]);
            if (c != 0) return c;
        }
        return x.Values.Length.CompareTo(y.Values.Length);
    }
}
