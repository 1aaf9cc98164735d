using System.Text.Json;
using HomeOps.Operations;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Timeline;

namespace HomeOps.Cli;

/// <summary>
/// <c>homeops status --since 1h</c>: the change timeline's recent entries, read from the dashboard's operations
/// database (the SQLite file under its data directory, or PostgreSQL when <c>Database__ConnectionString</c> is set —
/// from the environment only, never an argument: it may hold a password). Exit 0 when read, 2 when the database is
/// missing or unreadable.
/// </summary>
public static class TimelineCommand
{
    public const string ConnectionStringVariable = "Database__ConnectionString";

    public static async Task<int> RunAsync(TimeSpan since, string? dataDirectory, OutputFormat output, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var connection = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        var dir = dataDirectory ?? OperationsOptions.DefaultDataDirectory(Environment.GetEnvironmentVariable,
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        if (string.IsNullOrWhiteSpace(connection) && !File.Exists(Path.Combine(dir, "operations.db")))
        {
            await stderr.WriteLineAsync($"homeops: no dashboard database at {Path.Combine(Path.GetFullPath(dir), "operations.db")}: pass the dashboard's Operations:DataDirectory with --data-dir, or set {ConnectionStringVariable} for PostgreSQL");
            return StatusCommand.BadInput;
        }
        var now = DateTimeOffset.UtcNow;
        IReadOnlyList<TimelineEntry> entries;
        try
        {
            var database = new OperationsDatabase(new DatabaseOptions { ConnectionString = connection }, new OperationsOptions { DataDirectory = dir });
            entries = await new EfTimelineLog(database).QueryAsync(new TimelineQuery(From: now - since, Take: EfTimelineLog.MaxTake), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The provider's message names the problem (no such table: a dashboard older than the timeline); never the connection string.
            await stderr.WriteLineAsync($"homeops: the timeline could not be read: {Terminal.Clean(e.GetBaseException().Message, 300)}");
            return StatusCommand.BadInput;
        }

        if (output == OutputFormat.Json)
        {
            var json = JsonSerializer.Serialize(new { since = now - since, entries = entries.Select(TimelineItem.Of) }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
            await stdout.WriteLineAsync(json);
            return StatusCommand.Ok;
        }
        await stdout.WriteLineAsync($"Changes since {now - since:yyyy-MM-dd HH:mm:ss}Z ({entries.Count}, newest first)");
        if (entries.Count == 0)
        {
            await stdout.WriteLineAsync("  none recorded");
            return StatusCommand.Ok;
        }
        var rows = entries.Select(e => new[]
        {
            e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + (e.SeenAtStart ? " (seen at start)" : ""),
            e.Category.ToString() + (e.Count is > 1 and var n ? $" ×{n}" : ""),
            Terminal.Clean($"{e.Kind} {e.ObjectName}", 80),
            Terminal.Clean(e.Summary, 160) + (e.Link is { } link ? " " + Terminal.Clean(link, 200) : ""),
        }).ToList();
        string[] header = ["WHEN (UTC)", "WHAT", "OBJECT", "CHANGE"];
        var widths = Enumerable.Range(0, 3).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
        string Line(string[] r) => string.Join("  ", r.Take(3).Select((c, i) => c.PadRight(widths[i]))) + "  " + r[3];
        await stdout.WriteLineAsync(Line(header));
        foreach (var r in rows) await stdout.WriteLineAsync(Line(r));
        return StatusCommand.Ok;
    }
}
