using System.Text.RegularExpressions;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// The simulator's stand-in for go-task (<c>task</c>) in a home-ops checkout: parses the command line as Task does
/// (flags, <c>KEY=value</c> variables, task names run in order), needs a Taskfile in the working directory or above,
/// and runs the simulated tasks against the simulated cluster. Exit codes as Task's: 0, 100 (no Taskfile),
/// 200 (no such task), 201 (a command of the task failed).
/// </summary>
public static partial class TaskCommand
{
    public const int TaskfileNotFound = 100;
    public const int TaskNotFound = 200;
    public const int TaskRunError = 201;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, ToolConsole io, CancellationToken ct = default)
    {
        var names = new List<string>();
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        var yes = false;
        foreach (var a in args)
        {
            if (a is "--yes" or "-y") yes = true;
            else if (a is "--version")
            {
                io.Line("Task version: v3.44.1 (homeops simulator stand-in)");
                return 0;
            }
            else if (a.StartsWith('-')) { /* --silent, --verbose …: accepted and ignored */ }
            else if (VariableRegex().Match(a) is { Success: true } m) vars[m.Groups[1].Value] = m.Groups[2].Value;
            else names.Add(a);
        }
        if (FindTaskfile(io.WorkingDirectory) is null)
        {
            io.Err($"task: No Taskfile found at \"{io.WorkingDirectory}\" (or any of the parent directories). Run \"task --init\" to create a new Taskfile.");
            return TaskfileNotFound;
        }
        if (names.Count == 0) names.Add("default");

        var kubeconfig = io.Kubeconfig;
        foreach (var name in names)
        {
            if (!SimulatedTasks.Exists(name))
            {
                io.Err($"task: Task \"{name}\" does not exist");
                return TaskNotFound;
            }
        }
        if (kubeconfig is null)
        {
            io.Err("task: KUBECONFIG is not set: the simulator's stand-in tools reach the simulated cluster through it");
            return TaskRunError;
        }
        using var cluster = SimClusterClient.FromKubeconfig(kubeconfig);
        var tasks = new SimulatedTasks(io, cluster, vars, yes);
        foreach (var name in names)
        {
            try
            {
                await tasks.RunAsync(name, ct).ConfigureAwait(false);
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
