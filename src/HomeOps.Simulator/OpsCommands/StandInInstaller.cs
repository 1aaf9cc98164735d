namespace HomeOps.Simulator.OpsCommands;

/// <summary>The stand-in executables in place: a folder to put first on PATH, and each tool's absolute path.</summary>
public sealed record StandInTools(string BinDirectory, IReadOnlyDictionary<string, string> Executables, string ToolAssembly);

/// <summary>
/// Writes the simulator's stand-ins for <c>task</c>, <c>talosctl</c> and <c>flux</c>: tiny sh scripts that exec the
/// stand-in tool (<c>dotnet homeops-sim-tool.dll task "$@"</c>), so the workflow runner starts real processes with
/// the same argument vectors it would give the real tools. Also a simulated home-ops checkout to run them in.
/// </summary>
public static class StandInInstaller
{
    public const string ToolAssemblyName = "homeops-sim-tool.dll";

    public static readonly IReadOnlyList<string> ToolNames = ["task", "talosctl", "flux"];

    public static StandInTools Install(string binDirectory, string toolAssembly, string? dotnetHost = null)
    {
        if (!File.Exists(toolAssembly)) throw new FileNotFoundException($"the simulator's stand-in tool was not found at {toolAssembly}", toolAssembly);
        Directory.CreateDirectory(binDirectory);
        var host = dotnetHost ?? DotnetHost();
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tool in ToolNames)
        {
            var path = Path.Combine(binDirectory, tool);
            var script = $"""
                #!/bin/sh
                # HomeOps simulator stand-in for `{tool}`: acts on the simulated cluster through its Kubernetes API.
                exec {ShellQuote(host)} {ShellQuote(toolAssembly)} {tool} "$@"

                """;
            File.WriteAllText(path, script.ReplaceLineEndings("\n"));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                           | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
            paths[tool] = path;
        }
        return new StandInTools(Path.GetFullPath(binDirectory), paths, toolAssembly);
    }

    /// <summary>A checkout-shaped folder (Taskfile.yml, .env, talos/generated/) the stand-in <c>task</c> runs in.</summary>
    public static string CreateSimulatedCheckout(string directory)
    {
        Directory.CreateDirectory(Path.Combine(directory, "talos", "generated"));
        WriteIfMissing(Path.Combine(directory, "Taskfile.yml"), """
            # Simulated home-ops checkout (HomeOps dashboard, simulator mode).
            # The `task` on the runner's PATH is the simulator's stand-in: it plays the real Taskfile's tasks
            # (cluster:safe-reset, bootstrap:phase-N-*, apps:deploy-cilium, …) against the simulated cluster.
            version: '3'
            dotenv: ['.env']

            """);
        WriteIfMissing(Path.Combine(directory, ".env"), "OP_ACCOUNT=simulated\n");
        WriteIfMissing(Path.Combine(directory, "talos", "generated", "talosconfig"), "# simulated talosconfig\n");
        return Path.GetFullPath(directory);
    }

    /// <summary>
    /// Finds the stand-in tool: a configured path, next to the running app (a project reference copies it there), or —
    /// in a source checkout — the tool project's own build output.
    /// </summary>
    public static string? LocateTool(string? configured = null)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return File.Exists(configured) ? Path.GetFullPath(configured) : null;
        var beside = Path.Combine(AppContext.BaseDirectory, ToolAssemblyName);
        if (File.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var bin = Path.Combine(dir.FullName, "src", "HomeOps.Simulator.Tools", "bin");
            if (!Directory.Exists(bin)) continue;   // a clone where the tool was never built
            return Directory.EnumerateFiles(bin, ToolAssemblyName, SearchOption.AllDirectories)
                .Where(f => File.Exists(Path.ChangeExtension(f, ".runtimeconfig.json")))
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault();
        }
        return null;
    }

    /// <summary>The dotnet host that runs the tool: this process's if it is one, else DOTNET_HOST_PATH, DOTNET_ROOT or PATH.</summary>
    public static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)) return hostPath;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet"))) return Path.Combine(root, "dotnet");
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, "dotnet"))) return Path.Combine(dir, "dotnet");
        return "dotnet";
    }

    /// <summary>POSIX sh single quoting: the path is one word whatever it contains.</summary>
    public static string ShellQuote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    private static void WriteIfMissing(string path, string text)
    {
        if (!File.Exists(path)) File.WriteAllText(path, text.ReplaceLineEndings("\n"));
    }
}
