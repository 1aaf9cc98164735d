using System.Globalization;
using HomeOps.Operations.Audit;

namespace HomeOps.Dashboard.ViewModels.Operations;

/// <summary>The audit page's filters: the same query for the table and for the CSV/JSON export links.</summary>
public sealed class AuditFilter
{
    public string? User { get; set; }
    public string? Action { get; set; }
    public AuditOutcome? Outcome { get; set; }
    public DateTime? From { get; set; }
    public DateTime? To { get; set; }
    public Guid? RunId { get; set; }
    public int Take { get; set; } = 200;

    public AuditQuery ToQuery() => new(
        Blank(User), Blank(Action), Outcome,
        From is { } f ? new DateTimeOffset(DateTime.SpecifyKind(f.Date, DateTimeKind.Utc)) : null,
        To is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t.Date.AddDays(1), DateTimeKind.Utc)) : null,
        RunId, 0, Take);

    /// <summary><c>/api/v1/audit?format=csv&amp;user=…</c>: every value escaped, empty filters left out.</summary>
    public string ExportUrl(string format)
    {
        var parts = new List<string> { "format=" + format };
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) parts.Add(key + "=" + Uri.EscapeDataString(value.Trim()));
        }
        Add("user", User);
        Add("action", Action);
        Add("outcome", Outcome?.ToString());
        Add("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("runId", RunId?.ToString());
        return "/api/v1/audit?" + string.Join("&", parts);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
