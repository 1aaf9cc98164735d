using System.Globalization;
using HomeOps.Cluster.Model;

namespace HomeOps.Dashboard.ViewModels;

/// <summary>Operator-facing formatting of sizes, ages and revisions. Invariant culture: the app runs with invariant globalization.</summary>
public static class Format
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Bytes(long bytes)
    {
        if (bytes <= 0) return "0 B";
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1) { value /= 1024; unit++; }
        var digits = value >= 100 || unit == 0 ? "0" : value >= 10 ? "0.#" : "0.##";
        return value.ToString(digits, CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    public static string Percent(double fraction) =>
        Math.Round(Math.Clamp(fraction, 0, 1) * 100).ToString("0", CultureInfo.InvariantCulture) + " %";

    /// <summary>"3 min ago", or <paramref name="never"/> when there is no time.</summary>
    public static string Ago(DateTimeOffset? at, DateTimeOffset now, string never = "never") =>
        at is { } t ? $"{Freshness.Age(now - t)} ago" : never;

    /// <summary>A duration such as an uptime: "2 d 3 h", "5 h 12 min", "42 s".</summary>
    public static string Duration(TimeSpan t)
    {
        if (t < TimeSpan.Zero) t = TimeSpan.Zero;
        if (t.TotalDays >= 1) return $"{(int)t.TotalDays} d {t.Hours} h";
        if (t.TotalHours >= 1) return $"{(int)t.TotalHours} h {t.Minutes} min";
        if (t.TotalMinutes >= 1) return $"{(int)t.TotalMinutes} min";
        return $"{(int)t.TotalSeconds} s";
    }

    /// <summary>Whole days until a time (negative when it has passed).</summary>
    public static int DaysUntil(DateTimeOffset at, DateTimeOffset now) => (int)Math.Floor((at - now).TotalDays);

    /// <summary>"main@sha1:0123456789abcdef…" → "main@sha1:0123456"; other formats pass through, bounded.</summary>
    public static string ShortRevision(string? revision)
    {
        if (string.IsNullOrEmpty(revision)) return "—";
        var i = revision.IndexOf("sha1:", StringComparison.Ordinal);
        if (i >= 0 && revision.Length > i + 5 + 7) return revision[..(i + 5 + 7)];
        var slash = revision.LastIndexOf('/');
        if (slash >= 0 && revision.Length - slash - 1 > 12) return revision[..(slash + 1 + 7)];
        return Truncate(revision, 40);
    }

    public static string Truncate(string? text, int max)
    {
        if (string.IsNullOrEmpty(text)) return "";
        return text.Length <= max ? text : text[..max] + "…";
    }

    public static string Ref(string? ns, string name, string? ownNamespace = null) =>
        string.IsNullOrEmpty(ns) || ns == ownNamespace ? name : $"{ns}/{name}";
}
