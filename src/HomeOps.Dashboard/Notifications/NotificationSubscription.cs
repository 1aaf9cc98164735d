using HomeOps.Cluster.Model;

namespace HomeOps.Dashboard.Notifications;

/// <summary>A browser's push subscription (the Push API's endpoint and its two keys).</summary>
public sealed record PushDevice(string Endpoint, string P256dh, string Auth);

/// <summary>
/// One user's notification settings: which areas (empty: all), from which severity (<c>Degraded</c> or <c>Failed</c>),
/// where to (push devices, an ntfy topic), and quiet hours ("23:00"–"07:00" in <c>TimeZone</c>, an IANA name).
/// </summary>
public sealed record NotificationSubscription(
    string User,
    IReadOnlyList<string> Areas,
    HealthStatus MinSeverity,
    IReadOnlyList<PushDevice> Devices,
    string? NtfyTopic,
    string? QuietFrom,
    string? QuietTo,
    string? TimeZone)
{
    /// <summary>
    /// Set while nothing may be sent to this user: the dashboard last saw them without the viewer role (at a sign-in, or
    /// when their groups were re-read from Authentik). Cleared when it next sees them with it. See <see cref="SubscriberEligibility"/>.
    /// </summary>
    public string? PausedBecause { get; init; }

    public static NotificationSubscription Empty(string user) =>
        new(user, [], HealthStatus.Degraded, [], null, null, null, null);

    public bool Wants(string area, HealthStatus health) =>
        (Areas.Count == 0 || Areas.Contains(area, StringComparer.Ordinal))
        && (MinSeverity != HealthStatus.Failed || health == HealthStatus.Failed);

    /// <summary>Inside the quiet hours at <paramref name="now"/> (a window may cross midnight). Unparseable settings are never quiet.</summary>
    public bool IsQuiet(DateTimeOffset now)
    {
        if (!TimeOnly.TryParse(QuietFrom, out var from) || !TimeOnly.TryParse(QuietTo, out var to) || from == to) return false;
        var zone = TimeZoneInfo.Utc;
        if (!string.IsNullOrEmpty(TimeZone))
        {
            try { zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone); }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException) { }
        }
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        return from < to ? local >= from && local < to : local >= from || local < to;
    }
}
