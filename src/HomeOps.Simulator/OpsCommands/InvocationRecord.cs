using System.Globalization;
using System.Text.Json;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// The stand-ins' own record of what they were asked to do: one JSON line when a command starts (pid, tool, argv) and
/// one when it ends (exit code), appended to <c>$HOMEOPS_SIM_STATE_DIR/invocations.jsonl</c>. It lets a test prove
/// from outside the dashboard which steps really ran and how often (a completed step must never run twice). Written
/// only when the state directory is set explicitly, i.e. when the dashboard's runner started the tool.
/// </summary>
public static class InvocationRecord
{
    public const string FileName = "invocations.jsonl";

    public sealed record Line(string Event, DateTimeOffset At, int Pid, string Tool, IReadOnlyList<string>? Args, int? Exit);

    public static void Started(ToolConsole io, string tool, IReadOnlyList<string> args) =>
        Append(io, new Line("start", DateTimeOffset.UtcNow, Environment.ProcessId, tool, args, null));

    public static void Ended(ToolConsole io, string tool, int exit) =>
        Append(io, new Line("end", DateTimeOffset.UtcNow, Environment.ProcessId, tool, null, exit));

    /// <summary>Reads a record back (lines being written concurrently are skipped).</summary>
    public static IReadOnlyList<Line> Read(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, FileName);
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = new List<Line>();
        while (reader.ReadLine() is { } text)
        {
            try { if (JsonSerializer.Deserialize<Line>(text, Json) is { } l) lines.Add(l); }
            catch (JsonException) { }
        }
        return lines;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static void Append(ToolConsole io, Line line)
    {
        if (io.Env(ToolConsole.StateDirectoryVariable) is not { } dir) return;
        var text = JsonSerializer.Serialize(line, Json) + "\n";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Directory.CreateDirectory(dir);
                // One write of a short line in append mode: concurrent tools do not interleave inside a line.
                using var stream = new FileStream(Path.Combine(dir, FileName), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(20 * (attempt + 1));
            }
            catch (IOException e)
            {
                io.Err($"[simulator] could not record this invocation: {e.Message.ToString(CultureInfo.InvariantCulture)}");
                return;
            }
        }
    }
}
