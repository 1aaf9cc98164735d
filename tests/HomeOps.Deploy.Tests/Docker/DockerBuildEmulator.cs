namespace HomeOps.Deploy.Tests.Docker;

/// <summary>
/// Runs the Dockerfile's build stage on this machine, as far as it can be without a Docker engine: the build context
/// is the repository filtered by .dockerignore, every container path maps under a scratch root, COPY copies from the
/// context exactly as written (so the restore really runs with only the project files), WORKDIR moves, and RUN
/// executes the command as an argument vector — only <c>dotnet</c> commands, which is all the build stage may hold.
/// The runtime stage is then assembled the same way (COPY --from=build), giving its working directory, ENV and
/// ENTRYPOINT to start the app exactly as the image would.
/// </summary>
public sealed class DockerBuildEmulator(string contextDirectory, string scratchRoot)
{
    private readonly DockerIgnore _ignore = DockerIgnore.Load(Path.Combine(contextDirectory, ".dockerignore"));

    public List<string> Log { get; } = [];

    /// <summary>Where a container path of a stage lives on this machine.</summary>
    public string HostPath(string stage, string containerPath) =>
        Path.Combine(scratchRoot, stage, containerPath.TrimStart('/').Replace('/', Path.DirectorySeparatorChar));

    public async Task BuildStageAsync(Stage stage, TimeSpan stepTimeout)
    {
        var name = stage.Name ?? throw new InvalidOperationException("the build stage must be named");
        var workdir = "/";
        foreach (var instruction in stage.Instructions)
        {
            switch (instruction.Keyword)
            {
                case "WORKDIR":
                    workdir = ContainerPath(workdir, instruction.Arguments);
                    Directory.CreateDirectory(HostPath(name, workdir));
                    break;
                case "COPY" when !instruction.Flags.ContainsKey("from"):
                    CopyFromContext(name, workdir, instruction);
                    break;
                case "RUN":
                    await RunAsync(name, workdir, instruction, stepTimeout);
                    break;
                case "ARG" or "ENV" or "LABEL":
                    break;
                default:
                    throw new NotSupportedException($"the emulator does not run {instruction} in stage {name}");
            }
        }
    }

    /// <summary>Assembles a stage that only copies from other stages; returns its working directory, ENV and entrypoint.</summary>
    public RuntimeImage AssembleRuntime(Stage stage, IReadOnlySet<string> optionalStages)
    {
        var name = stage.Name ?? "runtime";
        var workdir = "/";
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        IReadOnlyList<string>? entrypoint = null;
        string? user = null;
        foreach (var instruction in stage.Instructions)
        {
            switch (instruction.Keyword)
            {
                case "WORKDIR":
                    workdir = ContainerPath(workdir, instruction.Arguments);
                    Directory.CreateDirectory(HostPath(name, workdir));
                    break;
                case "COPY" when instruction.Flags.TryGetValue("from", out var from):
                    if (optionalStages.Contains(from)) break; // e.g. the tools stage: downloads need the network
                    var v = instruction.Values;
                    CopyTree(HostPath(from, v[0]), HostPath(name, ContainerPath(workdir, v[1])));
                    break;
                case "ENV":
                    foreach (var pair in instruction.Values)
                    {
                        var eq = pair.IndexOf('=');
                        if (eq <= 0) throw new NotSupportedException($"ENV must use key=value: {instruction}");
                        env[pair[..eq]] = pair[(eq + 1)..];
                    }
                    break;
                case "ENTRYPOINT":
                    entrypoint = instruction.ExecForm ?? throw new NotSupportedException("ENTRYPOINT must use the exec form");
                    break;
                case "USER":
                    user = instruction.Arguments;
                    break;
                case "EXPOSE" or "LABEL" or "ARG":
                    break;
                default:
                    throw new NotSupportedException($"the emulator does not run {instruction} in stage {name}");
            }
        }
        return new RuntimeImage(HostPath(name, workdir), env, entrypoint ?? throw new InvalidOperationException("no ENTRYPOINT"), user);
    }

    private void CopyFromContext(string stage, string workdir, Instruction instruction)
    {
        var values = instruction.Values;
        if (values.Count < 2) throw new FormatException($"COPY needs a source and a destination: {instruction}");
        var destination = values[^1];
        var sources = values.Take(values.Count - 1).ToList();
        var destIsDir = destination.EndsWith('/') || destination is "." or "./" || sources.Count > 1;
        var dest = ContainerPath(workdir, destination);
        foreach (var source in sources)
        {
            var relative = source.TrimStart('.', '/');
            var hostSource = Path.Combine(contextDirectory, relative);
            if (Directory.Exists(hostSource))
            {
                CopyContextTree(relative, HostPath(stage, dest));
            }
            else
            {
                if (!File.Exists(hostSource)) throw new FileNotFoundException($"{instruction}: {source} is not in the build context");
                if (_ignore.IsExcluded(relative)) throw new InvalidOperationException($"{instruction}: {source} is excluded by .dockerignore");
                var target = destIsDir ? Path.Combine(HostPath(stage, dest), Path.GetFileName(hostSource)) : HostPath(stage, dest);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(hostSource, target, overwrite: true);
            }
        }
        Log.Add(instruction.ToString());
    }

    /// <summary>Copies a context directory's contents, leaving out what .dockerignore excludes.</summary>
    private void CopyContextTree(string relativeDir, string hostDestination)
    {
        var root = Path.Combine(contextDirectory, relativeDir);
        foreach (var file in ContextFiles(root))
        {
            var target = Path.Combine(hostDestination, Path.GetRelativePath(root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    /// <summary>Files under a directory that are in the context; excluded directories are not descended into.</summary>
    private IEnumerable<string> ContextFiles(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
            if (!_ignore.IsExcluded(Relative(file))) yield return file;
        foreach (var sub in Directory.EnumerateDirectories(directory))
        {
            if (_ignore.IsExcluded(Relative(sub)) && !_ignore.HasExceptions) continue;
            foreach (var file in ContextFiles(sub)) yield return file;
        }
    }

    private string Relative(string path) => Path.GetRelativePath(contextDirectory, path).Replace('\\', '/');

    private async Task RunAsync(string stage, string workdir, Instruction instruction, TimeSpan timeout)
    {
        if (instruction.Heredocs.Count > 0 || instruction.Flags.Count > 0)
            throw new NotSupportedException($"the build stage's RUN steps must be plain commands: {instruction}");
        var argv = instruction.ExecForm ?? instruction.Values;
        if (argv.Count == 0 || argv[0] != "dotnet")
            throw new NotSupportedException($"the build stage may only run dotnet: {instruction}");
        // Absolute container paths (e.g. -o /app) map into the stage's scratch root.
        var args = argv.Skip(1).Select(a => a.StartsWith('/') ? HostPath(stage, a) : a).ToList();
        var result = await ProcessRunner.RunAsync("dotnet", args, HostPath(stage, workdir), timeout, ProcessRunner.DotnetBuildEnvironment);
        Log.Add($"{instruction} → exit {result.ExitCode}");
        if (result.ExitCode != 0) throw new InvalidOperationException(result.Describe(instruction.ToString()));
    }

    private static string ContainerPath(string workdir, string path) =>
        path.StartsWith('/') ? path : (workdir.TrimEnd('/') + "/" + path.TrimStart('.', '/')).TrimEnd('/') is { Length: > 0 } p ? p : "/";

    private static void CopyTree(string from, string to)
    {
        if (!Directory.Exists(from)) throw new DirectoryNotFoundException($"COPY --from: {from} does not exist");
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}

/// <summary>The runtime stage as assembled: where the app is, the image's environment, how it starts and as whom.</summary>
public sealed record RuntimeImage(string WorkingDirectory, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string> Entrypoint, string? User);
