using System.Text.Json;
using HomeOps.Dashboard.Components.Controls;

namespace HomeOps.Dashboard.Notifications;

/// <summary>What a phone shows: a title, a body, a deep link (a path on the dashboard) and a tag that groups one object's messages.</summary>
public sealed record NotificationMessage(string Title, string Body, string Url, string Tag, string Severity)
{
    public static NotificationMessage For(NotificationEvent e)
    {
        var p = e.Problem;
        var title = e.Kind == NotificationKind.Recovered
            ? $"Recovered: {p.Kind} {p.DisplayName}"
            : $"{p.Health}: {p.Kind} {p.DisplayName}";
        var body = e.Kind == NotificationKind.Recovered
            ? $"{p.Area}: no longer {p.Health} ({p.Reason})."
            : $"{p.Area} · {p.Reason}: {p.Message}";
        return new NotificationMessage(Truncate(title, 120), Truncate(body, 300), ProblemLinks.For(p), p.Id,
            e.Kind == NotificationKind.Recovered ? "recovered" : p.Health.ToString().ToLowerInvariant());
    }

    /// <summary>The Web Push payload the service worker reads (<c>wwwroot-assets/sw.js</c>).</summary>
    public string ToJson() => JsonSerializer.Serialize(new { title = Title, body = Body, url = Url, tag = Tag, severity = Severity });

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
