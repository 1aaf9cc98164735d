using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace HomeOps.Cli.Output;

/// <summary>
/// Machine output: ONE JSON array, an object per Kubernetes object with exactly
/// <c>kind, apiVersion, namespace (null when cluster-scoped), name, health, reason, message</c>.
/// </summary>
public static class JsonOutputWriter
{
    public static void Write(IReadOnlyList<StatusRow> rows, TextWriter output)
    {
        using var buffer = new MemoryStream();
        Write(rows, buffer);
        output.Write(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    public static void Write(IReadOnlyList<StatusRow> rows, Stream output)
    {
        // The default encoder escapes <, >, &, control and non-ASCII characters: plain ASCII that is safe in any terminal.
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.Default });
        writer.WriteStartArray();
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
        writer.Flush();
        output.WriteByte((byte)'\n');
    }
}
