using System.Globalization;
using System.Text.RegularExpressions;

namespace HomeOps.Operations.Workflows;

/// <summary>Parses durations as written in definitions: "90s", "10m", "1h30m", "500ms", or "00:10:00".</summary>
public static partial class Duration
{
    [GeneratedRegex(@"^(?:(?<n>\d+)(?<u>ms|h|m|s))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Units();

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        var m = Units().Match(text);
        if (m.Success)
        {
            var total = TimeSpan.Zero;
            for (var i = 0; i < m.Groups["n"].Captures.Count; i++)
            {
                if (!long.TryParse(m.Groups["n"].Captures[i].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return false;
                total += m.Groups["u"].Captures[i].Value switch
                {
                    "ms" => TimeSpan.FromMilliseconds(n),
                    "s" => TimeSpan.FromSeconds(n),
                    "m" => TimeSpan.FromMinutes(n),
                    _ => TimeSpan.FromHours(n),
                };
            }
            value = total;
            return true;
        }
        return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Short operator text: "2s", "10m", "1h30m".</summary>
    public static string Format(TimeSpan t)
    {
        if (t < TimeSpan.FromSeconds(1)) return $"{(int)t.TotalMilliseconds}ms";
        var parts = new List<string>();
        if (t.Days > 0 || t.Hours > 0) parts.Add($"{(int)t.TotalHours}h");
        if (t.Minutes > 0) parts.Add($"{t.Minutes}m");
        if (t.Seconds > 0 || parts.Count == 0) parts.Add($"{t.Seconds}s");
        return string.Concat(parts);
    }
}
