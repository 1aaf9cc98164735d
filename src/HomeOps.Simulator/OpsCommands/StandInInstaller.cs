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

    public static readonly IReadOnlyList<string> ToolNames = ["task", "talosctl", "flux", "mise"];

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

    /// <summary>The real home-ops files the simulated checkout holds (embedded from HomeOpsRepo/, see its SOURCES.md).</summary>
    public static IReadOnlyList<string> RepositoryFiles { get; } = typeof(StandInInstaller).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith("HomeOpsRepo/", StringComparison.Ordinal)).Select(n => n["HomeOpsRepo/".Length..]).Order(StringComparer.Ordinal).ToList();

    /// <summary>The inner markers the phases write, as a checkout that bootstrapped the seeded cluster holds them.</summary>
    public static readonly IReadOnlyList<string> BootstrappedMarkers =
    [
        "phase-1-complete", "phase-2-complete", "phase-3-complete", "phase-4-complete", "phase-5-complete", "phase-6-complete",
        "tools-validated", "mise-validated", "env-vars-validated", "onepassword-validated", "connectivity-validated", "repository-validated",
        "secrets-bootstrapped", "configs-validated", "configs-applied", "nodes-ready", "etcd-bootstrapped", "cluster-ready", "health-verified",
        "cilium-ready", "nodes-cni-ready", "pod-networking-tested", "cilium-status-verified", "kube-proxy-verified", "service-connectivity-tested",
        "external-secrets-validated", "onepassword-connect-validated", "longhorn-validated",
        "gitops-prerequisites-validated", "flux-ready", "gitops-sync-verified", "flux-system-validated",
        "infrastructure-ready", "applications-deployed", "applications-ready", "end-to-end-validated",
    ];

    /// <summary>
    /// A home-ops checkout for the stand-in <c>task</c>: the repository's real <c>Taskfile.yml</c>, <c>taskfiles/*.yml</c>
    /// and <c>.mise.toml</c>, a <c>.env</c> with OP_ACCOUNT, the files the tasks' preconditions look for, and — as the
    /// checkout that bootstrapped the seeded cluster would have — the generated Talos configs and every
    /// <c>.bootstrap-state/</c> marker (<paramref name="bootstrapped"/>). Existing files are kept: markers persist across
    /// runs, as they do in a real checkout.
    /// </summary>
    public static string CreateSimulatedCheckout(string directory, bool bootstrapped = true)
    {
        var assembly = typeof(StandInInstaller).Assembly;
        foreach (var file in RepositoryFiles)
        {
            var path = Path.Combine(directory, file);
            if (File.Exists(path)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var resource = assembly.GetManifestResourceStream("HomeOpsRepo/" + file)!;
            using var target = File.Create(path);
            resource.CopyTo(target);
        }
        WriteIfMissing(Path.Combine(directory, ".env"), "OP_ACCOUNT=simulated\n");
        WriteIfMissing(Path.Combine(directory, "scripts", "bootstrap-secrets.sh"), "#!/bin/sh\n# simulated checkout: the stand-in task models this script\n");
        WriteIfMissing(Path.Combine(directory, "talconfig.yaml"), "# simulated checkout\nclusterName: home-ops\ntalosVersion: v1.10.5\n");
        WriteIfMissing(Path.Combine(directory, "bootstrap-config.yaml"), "# simulated checkout\n");
        foreach (var dir in new[] { "talos/patches", "infrastructure", "clusters/home-ops" }) Directory.CreateDirectory(Path.Combine(directory, dir));
        if (bootstrapped)
        {
            WriteIfMissing(Path.Combine(directory, "talos", "talsecret.yaml"), "# simulated talsecret\n");
            WriteIfMissing(Path.Combine(directory, "talos", "generated", "talosconfig"), HomeOps.Simulator.Tls.SimulatedTalosconfig.Create(DateTimeOffset.UtcNow));
            foreach (var node in HomeOps.Simulator.Seed.HomeOpsTopology.NodeNames)
                WriteIfMissing(Path.Combine(directory, "talos", "generated", $"home-ops-{node}.yaml"), $"# simulated machine config for {node}\n");
            if (!Directory.Exists(Path.Combine(directory, ".bootstrap-state")))
                foreach (var marker in BootstrappedMarkers) WriteIfMissing(Path.Combine(directory, ".bootstrap-state", marker), "simulated\n");
        }
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
        if (File.Exists(path)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
    }
}
