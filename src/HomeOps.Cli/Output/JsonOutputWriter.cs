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
    public static void Write(IReadOnlyList<AreaReport> areas, IReadOnlyList<StatusRow> rows, TextWriter output, ExpiryRadar? radar = null)
    {
        using var buffer = new MemoryStream();
        Write(areas, rows, buffer, radar);
        output.Write(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    public static void Write(IReadOnlyList<AreaReport> areas, IReadOnlyList<StatusRow> rows, Stream output, ExpiryRadar? radar = null)
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
        if (radar is not null) WriteRadar(writer, radar);
        writer.WriteEndObject();
        writer.Flush();
        output.WriteByte((byte)'\n');
    }

    /// <summary><c>radar</c>: the slow-burn radar as <c>/api/v1/radar</c> words it (health, verdict, items soonest first, sources).</summary>
    private static void WriteRadar(Utf8JsonWriter writer, ExpiryRadar radar)
    {
        writer.WriteStartObject("radar");
        writer.WriteString("health", radar.Health.ToString());
        writer.WriteString("verdict", radar.Verdict);
        writer.WriteString("count", radar.Count);
        writer.WriteStartArray("items");
        foreach (var i in radar.Items)
        {
            writer.WriteStartObject();
            writer.WriteString("source", i.Source);
            if (i.Namespace is null) writer.WriteNull("namespace");
            else writer.WriteString("namespace", i.Namespace);
            writer.WriteString("name", i.Name);
            if (i.ExpiresAt is { } at) writer.WriteString("expiresAt", at);
            else writer.WriteNull("expiresAt");
            if (i.Left(radar.GeneratedAt) is { } left) writer.WriteNumber("secondsLeft", Math.Round(left.TotalSeconds));
            else writer.WriteNull("secondsLeft");
            writer.WriteString("health", i.Health.ToString());
            writer.WriteString("reason", i.Reason);
            writer.WriteString("message", i.Message);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("sources");
        foreach (var s in radar.Sources)
        {
            writer.WriteStartObject();
            writer.WriteString("source", s.Source);
            writer.WriteString("health", s.Health.ToString());
            writer.WriteNumber("items", s.Items);
            writer.WriteString("status", s.Status);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
