using System.Globalization;

namespace HomeOps.Cluster.Health;

/// <summary>
/// Kubernetes resource quantities (<c>"4"</c>, <c>"3950m"</c>, <c>"8012880Ki"</c>, <c>"28633094217"</c>, <c>"1e3"</c>, <c>"1.5Gi"</c>).
/// Parsed to a decimal value in base units (cores, bytes). Unparsable text yields null, never an exception.
/// </summary>
public static class Quantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1e3m), ("M", 1e6m), ("G", 1e9m),
        ("T", 1e12m), ("P", 1e15m), ("E", 1e18m),
    ];

    public static decimal? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64) return null;
        var s = text.Trim();
        foreach (var (suffix, factor) in Suffixes)
        {
            if (!s.EndsWith(suffix, StringComparison.Ordinal)) continue;
            var number = s[..^suffix.Length];
            // "1E" would be read as an exponent without digits; only accept a plain decimal before a suffix.
            if (decimal.TryParse(number, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                return Multiply(n, factor);
            return null;
        }
        if (decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain)) return plain;
        return null;
    }

    private static decimal? Multiply(decimal n, decimal factor)
    {
        try { return n * factor; }
        catch (OverflowException) { return null; }
    }

    /// <summary>Bytes as "7.6 GiB" (binary units), for display.</summary>
    public static string FormatBytes(decimal bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        var v = bytes;
        var i = 0;
        while (Math.Abs(v) >= 1024 && i < units.Length - 1)
        {
            v /= 1024;
            i++;
        }
        return i == 0 ? $"{v:0} B" : string.Create(CultureInfo.InvariantCulture, $"{v:0.#} {units[i]}");
    }
}
