using System.Text.RegularExpressions;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// The simulator's stand-in for go-task (<c>task</c>) in a home-ops checkout: parses the command line as Task does
/// (flags, <c>KEY=value</c> variables, task names run in order), loads the checkout's real Taskfile with its includes
/// (<see cref="TaskfileModel"/>) and runs it with Task's semantics (<see cref="TaskInterpreter"/>) against the
/// simulated cluster. Exit codes as Task's: 0, 100 (no Taskfile), 200 (no such task), 201 (a command failed),
/// 205 (a prompt without --yes and no terminal), 1 (a precondition of the named task failed).
/// </summary>
public static partial class TaskCommand
{
    public const int TaskfileNotFound = 100;
    public const int TaskfileInvalid = 102;
    public const int TaskNotFound = 200;
    public const int TaskRunError = 201;

    /// <summary>The version .mise.toml pins (go-task 3.38.0).</summary>
    public const string Version = "3.38.0";

    public sealed record Arguments(List<string> Names, Dictionary<string, string> Vars, bool Yes, bool Force);

    public static Arguments ParseArguments(IEnumerable<string> args)
    {
        var names = new List<string>();
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        var yes = false;
        var force = false;
        foreach (var a in args)
        {
            if (a is "--yes" or "-y") yes = true;
            else if (a is "--force" or "-f") force = true;
            else if (a.StartsWith('-')) { /* --silent, --verbose …: accepted and ignored */ }
            else if (VariableRegex().Match(a) is { Success: true } m) vars[m.Groups[1].Value] = m.Groups[2].Value;
            else names.Add(a);
        }
        return new Arguments(names, vars, yes, force);
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, ToolConsole io, CancellationToken ct = default)
    {
        if (args.Contains("--version"))
        {
            io.Line($"Task version: v{Version} (homeops simulator stand-in)");
            return 0;
        }
        var parsed = ParseArguments(args);
        if (FindTaskfile(io.WorkingDirectory) is not { } taskfile)
        {
            io.Err($"task: No Taskfile found at \"{io.WorkingDirectory}\" (or any of the parent directories). Run \"task --init\" to create a new Taskfile.");
            return TaskfileNotFound;
        }
        TaskfileModel model;
        try
        {
            model = TaskfileModel.Load(taskfile);
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or IOException)
        {
            io.Err($"task: Failed to parse {taskfile}: {ex.Message}");
            return TaskfileInvalid;
        }
        if (model.Problems.Count > 0)
        {
            io.Err(model.Problems[0]);
            return 203;
        }
        if (parsed.Names.Count == 0) parsed.Names.Add("default");
        foreach (var name in parsed.Names)
        {
            if (model.Find(name) is null)
            {
                io.Err($"task: Task \"{name}\" does not exist");
                return TaskNotFound;
            }
        }
        if (io.Kubeconfig is not { } kubeconfig)
        {
            io.Err("task: the simulator's stand-in tools reach the simulated cluster through HOMEOPS_SIM_KUBECONFIG (or KUBECONFIG)");
            return TaskRunError;
        }
        using var cluster = SimClusterClient.FromKubeconfig(kubeconfig);
        var interpreter = new TaskInterpreter(model, io, cluster, parsed.Vars, parsed.Yes, parsed.Force);
        foreach (var name in parsed.Names)
        {
            try
            {
                await interpreter.RunAsync(name, direct: true, [], ct).ConfigureAwait(false);
            }
            catch (TaskRunFailure failed)
            {
                io.Err(failed.Message);
                return failed.ExitCode;
            }
            catch (CommandFailed failed)
            {
                io.Err($"task: Failed to run task \"{name}\": exit status {failed.ExitStatus}");
                return TaskRunError;
            }
            catch (Exception ex) when (ex is HttpRequestException or k8s.Autorest.HttpOperationException or k8s.KubernetesException)
            {
                io.Err($"The connection to the server was refused or failed: {ex.Message}");
                io.Err($"task: Failed to run task \"{name}\": exit status 1");
                return TaskRunError;
            }
        }
        return 0;
    }

    /// <summary>Task looks for its Taskfile in the working directory and then in every parent.</summary>
    public static string? FindTaskfile(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
            foreach (var name in new[] { "Taskfile.yml", "Taskfile.yaml", "taskfile.yml", "taskfile.yaml" })
                if (File.Exists(Path.Combine(dir.FullName, name))) return Path.Combine(dir.FullName, name);
        return null;
    }

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", RegexOptions.Singleline)]
    private static partial Regex VariableRegex();
}
