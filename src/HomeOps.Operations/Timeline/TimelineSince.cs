using System.Globalization;

namespace HomeOps.Operations.Timeline;

/// <summary>"30s", "15m", "1h", "7d" → a duration (the API's <c>since</c>, the CLI's <c>--since</c>, the page's period).</summary>
public static class TimelineSince
{
    public static bool TryParse(string? text, out TimeSpan span)
    {
        span = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2) return false;
        var t = text.Trim();
        if (!long.TryParse(t[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > 100_000) return false;
        span = t[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => default,
        };
        return span > TimeSpan.Zero;
    }

    public const string Expected = "a positive number with s, m, h or d (e.g. 30m, 1h, 7d)";
}
