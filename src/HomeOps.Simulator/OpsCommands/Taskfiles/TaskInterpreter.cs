namespace HomeOps.Simulator.OpsCommands;

/// <summary>A task run that stopped: the exit code go-task would end with and its one-line error.</summary>
public sealed class TaskRunFailure(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>One running task: its definition, its variables after templating, and whether a model already acted for it.</summary>
public sealed class TaskRunContext(TaskInterpreter interpreter, TaskDefinition definition, IReadOnlyDictionary<string, string> vars, TaskEnvironment env)
{
    public TaskInterpreter Interpreter { get; } = interpreter;
    public TaskDefinition Definition { get; } = definition;
    public IReadOnlyDictionary<string, string> Vars { get; } = vars;
    public TaskEnvironment Env { get; } = env;
    public ToolConsole Io => Env.Io;
    public string Name => Definition.Name;

    /// <summary>Shell variables set by earlier lines of the same command (<c>read -p … confirm</c>).</summary>
    public Dictionary<string, string> ShellVars { get; } = new(StringComparer.Ordinal);

    /// <summary>Set by a model that acts for the whole task on its first opaque command.</summary>
    public bool ModelActed { get; set; }
}

/// <summary>
/// go-task v3 semantics over the real home-ops Taskfile (<see cref="TaskfileModel"/>), in the order Task's executor
/// applies them: deps first, then — unless the task was named on the command line with <c>--force</c> — its
/// <c>preconditions:</c> (a failing one stops with the task's own <c>msg</c>) and its <c>status:</c> (all true: "is up
/// to date", nothing runs), then <c>prompt:</c> (never a terminal here: without <c>--yes</c> it is cancelled), then
/// <c>cmds:</c> in order. Shell commands go to <see cref="TaskShell"/>, which understands the simple ones and hands the
/// rest to the task's model in <see cref="TaskModels"/>; a command nobody models fails the task, so the simulator can
/// never pretend a task worked.
/// </summary>
public sealed class TaskInterpreter(TaskfileModel model, ToolConsole io, SimClusterClient cluster, IReadOnlyDictionary<string, string> cliVars, bool yes, bool force)
{
    public const int PreconditionFailedCode = 1;

    public TaskfileModel Model => model;
    public ToolConsole Io => io;
    public SimClusterClient Cluster => cluster;
    public bool Yes => yes;

    /// <summary>The environment every task sees: the process environment plus the root <c>dotenv:</c> files (which do not override it).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; } = LoadEnvironment(model, io);

    public async Task RunAsync(string name, bool direct, IReadOnlyList<KeyValuePair<string, string>> callVars, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var def = model.Find(name) ?? throw new TaskRunFailure(TaskCommand.TaskNotFound, $"task: Task \"{name}\" does not exist");
        var vars = Variables(def, callVars);
        var env = new TaskEnvironment(io, cluster, vars, yes, Environment);
        var run = new TaskRunContext(this, def, vars, env);

        if (TaskModels.Whole(def.Name) is { } whole)
        {
            // A task the simulator plays as one unit (its deps and commands are not interpreted one by one).
            io.Err($"task: [{def.Name}] (simulated as a whole by the stand-in)");
            var code = await whole(run, ct).ConfigureAwait(false);
            if (code != 0) throw new TaskRunFailure(TaskCommand.TaskRunError, $"task: Failed to run task \"{def.Name}\": exit status {code}");
            return;
        }

        foreach (var dep in def.Deps)
            await RunAsync(TaskfileModel.Resolve(def.Namespace, dep.Task), direct: false, Render(dep.Vars, vars), ct).ConfigureAwait(false);

        if (!(force && direct))
        {
            var preconditionsMet = true;
            foreach (var p in def.Preconditions)
            {
                if (await TaskShell.ConditionAsync(run, TaskTemplate.Render(p.Sh, vars), ct).ConfigureAwait(false)) continue;
                io.Err($"task: {TaskTemplate.Render(p.Msg, vars)}");
                preconditionsMet = false;
                throw new TaskRunFailure(PreconditionFailedCode, "task: precondition not met");
            }
            if (def.Status.Count > 0 && preconditionsMet)
            {
                var upToDate = true;
                foreach (var s in def.Status)
                {
                    if (await TaskShell.ConditionAsync(run, TaskTemplate.Render(s, vars), ct).ConfigureAwait(false)) continue;
                    upToDate = false;
                    break;
                }
                if (upToDate)
                {
                    io.Err($"task: Task \"{def.Name}\" is up to date");
                    return;
                }
            }
        }

        if (def.Prompt is { Length: > 0 } prompt && !yes)
        {
            // The workflow runner gives no terminal: go-task cancels a prompt task unless --yes answers it.
            io.Err($"{TaskTemplate.Render(prompt, vars)} [y/N]");
            throw new TaskRunFailure(205, $"task: Task \"{def.Name}\" cancelled because it has a prompt and the environment is not a terminal. Use --yes (-y) to run anyway.");
        }

        foreach (var cmd in def.Cmds)
        {
            if (cmd.Call is { } call)
            {
                try
                {
                    await RunAsync(TaskfileModel.Resolve(def.Namespace, TaskTemplate.Render(call.Task, vars)), direct: false, Render(call.Vars, vars), ct).ConfigureAwait(false);
                }
                catch (TaskRunFailure inner)
                {
                    throw new TaskRunFailure(TaskCommand.TaskRunError, $"task: Failed to run task \"{def.Name}\": {inner.Message}");
                }
                continue;
            }
            var text = TaskTemplate.Render(cmd.Shell ?? "", vars);
            io.Err($"task: [{def.Name}] {FirstLine(text)}");
            var exit = await TaskShell.RunAsync(run, text, ct).ConfigureAwait(false);
            if (exit != 0) throw new TaskRunFailure(TaskCommand.TaskRunError, $"task: Failed to run task \"{def.Name}\": exit status {exit}");
        }
    }

    /// <summary>
    /// Variables in go-task's order of precedence, lowest first: environment, the root file's vars, the included files'
    /// vars along the include chain, the command line and the calling task's vars, then the task's own vars — each
    /// template rendered against everything below it (so <c>{{.NODES | default "all"}}</c> sees a NODES given on the
    /// command line).
    /// </summary>
    public Dictionary<string, string> Variables(TaskDefinition def, IReadOnlyList<KeyValuePair<string, string>> callVars)
    {
        var scope = new Dictionary<string, string>(Environment, StringComparer.Ordinal);
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in cliVars) overrides[k] = v;
        foreach (var (k, v) in callVars) overrides[k] = v;
        void Layer(IEnumerable<KeyValuePair<string, string>> vars)
        {
            foreach (var (k, v) in vars)
            {
                var view = new Dictionary<string, string>(scope, StringComparer.Ordinal);
                foreach (var (ok, ov) in overrides) view[ok] = ov;
                scope[k] = TaskTemplate.Render(v, view);
            }
        }
        Layer(model.RootVars);
        foreach (var fileVars in def.FileVars) Layer(fileVars);
        foreach (var (k, v) in overrides) scope[k] = v;
        Layer(def.Vars);
        return scope;
    }

    private static List<KeyValuePair<string, string>> Render(IReadOnlyList<KeyValuePair<string, string>> vars, IReadOnlyDictionary<string, string> scope) =>
        vars.Select(v => new KeyValuePair<string, string>(v.Key, TaskTemplate.Render(v.Value, scope))).ToList();

    private static string FirstLine(string text)
    {
        var lines = text.Trim().Split('\n');
        return lines.Length == 1 ? lines[0] : lines[0] + " …";
    }

    private static Dictionary<string, string> LoadEnvironment(TaskfileModel model, ToolConsole io)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in model.Dotenv)
        {
            var path = Path.Combine(model.RootDirectory, file);
            if (!File.Exists(path)) continue;
            foreach (var raw in File.ReadAllLines(path))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#')) continue;
                if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..];
                var eq = line.IndexOf('=');
                if (eq <= 0) continue;
                env[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"', '\'');
            }
        }
        foreach (var (k, v) in io.Environment) if (v is not null) env[k] = v;
        return env;
    }
}
