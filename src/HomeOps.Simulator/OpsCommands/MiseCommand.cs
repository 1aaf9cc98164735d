using System.Diagnostics;
using System.Text.RegularExpressions;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// The simulator's stand-in for <c>mise</c>, which every root task of the home-ops Taskfile wraps its tools in
/// (<c>mise exec -- talosctl …</c>): <c>exec -- CMD ARGS</c> runs CMD (the other stand-ins in-process, anything else from
/// PATH), <c>ls</c> lists the tools <c>.mise.toml</c> pins as installed, <c>install</c> reports them installed,
/// <c>--version</c>. Without this on PATH the stand-in <c>task</c> fails every <c>mise exec</c> command with
/// "mise: not found", as a machine without mise does.
/// </summary>
public static partial class MiseCommand
{
    public const string Version = "2025.12.0 linux-x64 (homeops simulator stand-in)";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, ToolConsole io, CancellationToken ct = default)
    {
        switch (args.FirstOrDefault())
        {
            case null or "--help" or "-h":
                io.Line("mise — dev tools, env vars, task runner (homeops simulator stand-in): exec, ls, install, --version");
                return 0;
            case "--version" or "version":
                io.Line(Version);
                return 0;
            case "trust":
                return 0;
            case "install":
                foreach (var (tool, version) in Pins(io)) io.Line($"mise {tool}@{version} ✓ installed");
                return 0;
            case "ls" or "list":
                var pins = Pins(io);
                if (pins.Count == 0) { io.Err("mise ERROR no .mise.toml found"); return 1; }
                foreach (var (tool, version) in pins) io.Line($"{tool,-12} {version,-10} ~/.mise.toml {version}");
                return 0;
            case "exec" or "x":
                var dash = args.ToList().IndexOf("--");
                if (dash < 0 || dash + 1 >= args.Count) { io.Err("mise ERROR exec needs a command after --"); return 1; }
                var command = args.Skip(dash + 1).ToList();
                return command[0] switch
                {
                    "task" or "talosctl" or "flux" or "mise" => await OpsCommandLine.DispatchAsync(command[0], command.Skip(1).ToList(), io, ct).ConfigureAwait(false),
                    _ => await RunProcessAsync(command, io, ct).ConfigureAwait(false),
                };
            default:
                io.Err($"mise ERROR the simulator's mise does not know '{args[0]}'");
                return 1;
        }
    }

    /// <summary>The <c>[tools]</c> pins of the nearest <c>.mise.toml</c> (the checkout's).</summary>
    public static List<(string Tool, string Version)> Pins(ToolConsole io)
    {
        for (var dir = new DirectoryInfo(io.WorkingDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, ".mise.toml");
            if (!File.Exists(path)) continue;
            var pins = new List<(string, string)>();
            var inTools = false;
            foreach (var raw in File.ReadAllLines(path))
            {
                var line = raw.Trim();
                if (line.StartsWith('[')) { inTools = line == "[tools]"; continue; }
                if (inTools && Pin().Match(line) is { Success: true } m) pins.Add((m.Groups[1].Value, m.Groups[2].Value));
            }
            return pins;
        }
        return [];
    }

    private static async Task<int> RunProcessAsync(List<string> command, ToolConsole io, CancellationToken ct)
    {
        var psi = new ProcessStartInfo { FileName = command[0], UseShellExecute = false, WorkingDirectory = io.WorkingDirectory };
        foreach (var a in command.Skip(1)) psi.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(psi)!;
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            io.Err($"mise ERROR {command[0]}: command not found");
            return 127;
        }
    }

    [GeneratedRegex("""^([A-Za-z0-9_.-]+)\s*=\s*"([^"]*)"$""")]
    private static partial Regex Pin();
}
