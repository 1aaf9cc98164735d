using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HomeOps.Cluster.Reports;
using HomeOps.Cluster.Talos;

namespace HomeOps.Cli.Output;

/// <summary>
/// The etcd line in machine form: <c>line</c> is exactly the text line (<see cref="TalosReport.EtcdLine"/>, or the "not
/// read" line), <c>read</c> whether Talos was asked and answered live, and — when etcd's member list was read — the
/// quorum numbers, the leader and the alarms. Null numbers mean "not known", never zero.
/// </summary>
public sealed record EtcdReport(string Line, bool Read, bool? Quorum, int? Voters, int? Healthy, int? Needed, string? Leader, IReadOnlyList<string> Alarms)
{
    public static EtcdReport From(TalosReport? talos, DateTimeOffset now)
    {
        if (talos is null) return new(Sources.TalosSource.NotAsked, false, null, null, null, null, null, []);
        var alarms = talos.Etcd?.Alarms.Select(a => $"{a.Alarm} on {a.Member}").ToList() ?? [];
        return talos.Etcd is { Quorum.Known: true } e
            ? new(talos.EtcdLine(now), talos.IsLive, e.Quorum.HasQuorum, e.Quorum.Voters, e.Quorum.Healthy, e.Quorum.Needed, e.Leader, alarms)
            : new(talos.EtcdLine(now), false, null, null, null, null, null, alarms);
    }
}

/// <summary>
/// Machine output: ONE JSON object. <c>areas</c>: each overview area's verdict as <c>/api/v1/health</c> gives it
/// (<c>area, total, ok, worst, freshness, live, count, countLabel</c>); <c>entries</c>: an object per Kubernetes (or
/// Authentik) object with exactly <c>kind, apiVersion, namespace (null when cluster-scoped), name, health, reason, message</c>;
/// <c>etcd</c>: the etcd line the table prints, with its numbers (<see cref="EtcdReport"/>).
/// </summary>
public static class JsonOutputWriter
{
    public static void Write(IReadOnlyList<AreaReport> areas, IReadOnlyList<StatusRow> rows, EtcdReport etcd, TextWriter output, ExpiryRadar? radar = null)
    {
        using var buffer = new MemoryStream();
        Write(areas, rows, etcd, buffer, radar);
        output.Write(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    public static void Write(IReadOnlyList<AreaReport> areas, IReadOnlyList<StatusRow> rows, EtcdReport etcd, Stream output, ExpiryRadar? radar = null)
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
        writer.WriteStartObject("etcd");
        writer.WriteString("line", etcd.Line);
        writer.WriteBoolean("read", etcd.Read);
        if (etcd.Quorum is { } quorum) writer.WriteBoolean("quorum", quorum); else writer.WriteNull("quorum");
        Number(writer, "voters", etcd.Voters);
        Number(writer, "healthy", etcd.Healthy);
        Number(writer, "needed", etcd.Needed);
        if (etcd.Leader is { } leader) writer.WriteString("leader", leader); else writer.WriteNull("leader");
        writer.WriteStartArray("alarms");
        foreach (var a in etcd.Alarms) writer.WriteStringValue(a);
        writer.WriteEndArray();
        writer.WriteEndObject();
        if (radar is not null) WriteRadar(writer, radar);
        writer.WriteEndObject();
        writer.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void Number(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } v) writer.WriteNumber(name, v);
        else writer.WriteNull(name);
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
