using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HomeOps.Operations.Audit;

/// <summary>CSV and JSON exports of audit entries for the audit page's download buttons.</summary>
public static class AuditExport
{
    private static readonly string[] Header =
    [
        "id", "at", "user", "groups", "action", "target", "parameters", "reason", "confirmation",
        "preflight", "started", "ended", "outcome", "exitCode", "runId", "message",
    ];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        // Default escaping keeps <, >, &, ' escaped, so an export opened in a browser cannot run markup.
        Encoder = JavaScriptEncoder.Default,
    };

    /// <summary>
    /// RFC 4180 CSV (CRLF line ends, fields quoted when needed, quotes doubled). Cells that a spreadsheet would take
    /// as a formula (starting with = + - @, tab or CR) get a leading apostrophe (OWASP CSV injection).
    /// </summary>
    public static string ToCsv(IEnumerable<AuditEntry> entries)
    {
        var sb = new StringBuilder();
        AppendRow(sb, Header);
        foreach (var e in entries)
        {
            AppendRow(sb,
            [
                e.Id.ToString(CultureInfo.InvariantCulture), Time(e.At), e.User, e.Groups, e.Action, e.Target, e.Parameters,
                e.Reason, e.Confirmation, e.PreflightSummary, Time(e.StartedAt), Time(e.EndedAt), e.Outcome.ToString(),
                e.ExitCode?.ToString(CultureInfo.InvariantCulture), e.RunId?.ToString(), e.Message,
            ]);
        }
        return sb.ToString();
    }

    public static string ToJson(IEnumerable<AuditEntry> entries) => JsonSerializer.Serialize(entries.ToList(), Json);

    /// <summary>One CSV cell: neutralised against formula injection, then quoted if it holds a comma, quote or line break.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        var needsQuotes = value.IndexOfAny([',', '"', '\n', '\r']) >= 0 || value[0] == ' ' || value[^1] == ' ';
        return needsQuotes ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    private static void AppendRow(StringBuilder sb, IReadOnlyList<string?> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(Cell(cells[i]));
        }
        sb.Append("\r\n");
    }

    private static string? Time(DateTimeOffset? t) => t?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
