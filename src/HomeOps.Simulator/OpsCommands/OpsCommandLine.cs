using System.Diagnostics;
using System.Reflection;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// Entry point of the stand-in tool: the first argument (or the program's own name, when started through a link
/// named <c>task</c>, <c>talosctl</c> or <c>flux</c>) picks the tool; the rest are that tool's arguments.
/// </summary>
public static class OpsCommandLine
{
    public static async Task<int> RunAsync(string[] args, ToolConsole io, CancellationToken ct = default)
    {
        var self = Path.GetFileNameWithoutExtension(Environment.ProcessPath ?? "");
        var (tool, rest) = self is "task" or "talosctl" or "flux" or "mise"
            ? (self, (IReadOnlyList<string>)args)
            : (args.FirstOrDefault() ?? "", args.Skip(1).ToList());
        InvocationRecord.Started(io, tool, rest);
        var code = await DispatchAsync(tool, rest, io, ct).ConfigureAwait(false);
        InvocationRecord.Ended(io, tool, code);
        return code;
    }

    public static async Task<int> DispatchAsync(string tool, IReadOnlyList<string> rest, ToolConsole io, CancellationToken ct)
    {
        try
        {
            await StepHold.WaitIfMatchedAsync(io, tool, rest, ct).ConfigureAwait(false);
            return tool switch
            {
                "task" => await TaskCommand.RunAsync(rest, io, ct).ConfigureAwait(false),
                "talosctl" => await TalosctlCommand.RunAsync(rest, io, ct).ConfigureAwait(false),
                "flux" => await FluxCommand.RunAsync(rest, io, ct).ConfigureAwait(false),
                "mise" => await MiseCommand.RunAsync(rest, io, ct).ConfigureAwait(false),
                NodeRejoin.Command => await NodeRejoin.RunAsync(rest, io, ct).ConfigureAwait(false),
                _ => Usage(io),
            };
        }
        catch (OperationCanceledException)
        {
            io.Err("interrupted");
            return 130;
        }
        catch (SimulatorOnlyException e)
        {
            io.Err($"error: {e.Message}");
            return 1;
        }
    }

    /// <summary>Starts this tool again, detached: its own stdio (never the caller's pipes, so the runner sees this process end), output to a log file.</summary>
    public static void StartDetached(IReadOnlyList<string> toolArgs, ToolConsole io)
    {
        var assembly = Assembly.GetEntryAssembly()?.Location;
        var host = Environment.ProcessPath ?? "dotnet";
        var psi = new ProcessStartInfo
        {
            FileName = host,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = io.WorkingDirectory,
        };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet" && assembly is not null) psi.ArgumentList.Add(assembly);
        psi.ArgumentList.Add("--log");
        Directory.CreateDirectory(io.StateDirectory);
        psi.ArgumentList.Add(Path.Combine(io.StateDirectory, $"{toolArgs[0]}-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}-{Environment.ProcessId}.log"));
        foreach (var a in toolArgs) psi.ArgumentList.Add(a);
        var child = Process.Start(psi);
        if (child is null) return;
        child.StandardInput.Close();
        // Nothing reads the child's pipes after this process exits; the child writes to its log file only.
        io.Line($"[simulator] background helper started (pid {child.Id}); log in {io.StateDirectory}");
    }

    private static int Usage(ToolConsole io)
    {
        io.Err("usage: homeops-sim-tool task|talosctl|flux|mise [args…]   (the HomeOps simulator's stand-ins)");
        return 2;
    }
}
