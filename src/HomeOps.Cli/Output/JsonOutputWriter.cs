using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HomeOps.Cluster.Reports;

namespace HomeOps.Cli.Output;

/// <summary>
/// Machine output: ONE JSON object. <c>areas</c>: each overview area's verdict as <c>/api/v1/health</c> gives it
/// (<c>area, total, ok, worst, freshness, live, count, countLabel</c>); <c>entries</c>: an object per Kubernetes (or
/// Authentik) object with exactly <c>kind, apiVersion, namespace (null when cluster-scoped), name, health, reason, message</c>.
/// </summary>
public static class JsonOutputWriter
{
    public static void Write(IReadOnlyList<AreaReport> areas, IReadOnlyList<StatusRow> rows, TextWriter output)
    {
        using var buffer = new MemoryStream();
        Write(areas, rows, buffer);
        output.Write(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    public static void Write(IReadOnlyList<AreaReport> areas, IReadOnlyList<StatusRow> rows, Stream output)
    {
        // The default encoder escapes <, >, &, control and non-ASCII characters: plain ASCII that is safe in any terminal.
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.Default });
        writer.WriteStartObject();
        writer.WriteStartArray("areas");
        foreach (var area in areas)
        {
            writer.WriteStartObject();
            writer.WriteString("area", area.Area);
            writer.WriteNumber("total", area.Total);
            writer.WriteNumber("ok", area.Ok);
            writer.WriteString("worst", area.Worst);
            writer.WriteString("freshness", area.Freshness);
            writer.WriteBoolean("live", area.Live);
            writer.WriteString("count", area.Count);
            writer.WriteString("countLabel", area.CountLabel);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("entries");
        foreach (var row in rows)
        {
            var s = row.Snapshot;
            writer.WriteStartObject();
            writer.WriteString("kind", s.Kind.Kind);
            writer.WriteString("apiVersion", s.Kind.ApiVersion);
            if (s.Meta.Namespace is null) writer.WriteNull("namespace");
            else writer.WriteString("namespace", s.Meta.Namespace);
            writer.WriteString("name", s.Meta.Name);
            writer.WriteString("health", s.Verdict.Health.ToString());
            writer.WriteString("reason", s.Verdict.Reason);
            writer.WriteString("message", s.Verdict.Message);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        output.WriteByte((byte)'\n');
    }
}
