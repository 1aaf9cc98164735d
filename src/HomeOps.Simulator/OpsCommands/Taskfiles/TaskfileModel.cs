using YamlDotNet.RepresentationModel;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>A <c>task:</c> reference (in <c>deps:</c> or <c>cmds:</c>) with the variables the call passes.</summary>
public sealed record TaskCall(string Task, IReadOnlyList<KeyValuePair<string, string>> Vars);

/// <summary>One entry of <c>cmds:</c>: a call of another task, or a shell command (text as written, before templating).</summary>
public sealed record TaskCommandEntry(TaskCall? Call, string? Shell);

public sealed record TaskPrecondition(string Sh, string Msg);

/// <summary>
/// A task of the real Taskfile as go-task v3 sees it after merging includes: its full name (<c>bootstrap:phase-2-cluster</c>),
/// the namespace its own <c>task:</c> references resolve in, the file variables along its include chain, and the
/// parts that decide what a run does.
/// </summary>
public sealed record TaskDefinition(
    string Name,
    string Namespace,
    string File,
    IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> FileVars,
    IReadOnlyList<KeyValuePair<string, string>> Vars,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyList<TaskCall> Deps,
    IReadOnlyList<string> Status,
    IReadOnlyList<TaskPrecondition> Preconditions,
    string? Prompt,
    IReadOnlyList<TaskCommandEntry> Cmds)
{
    /// <summary>Every template text of the task itself (cmds, status, preconditions, vars, call vars, prompt).</summary>
    public IEnumerable<string> Texts()
    {
        foreach (var v in Vars) yield return v.Value;
        foreach (var d in Deps) foreach (var v in d.Vars) yield return v.Value;
        foreach (var s in Status) yield return s;
        foreach (var p in Preconditions) { yield return p.Sh; yield return p.Msg; }
        if (Prompt is not null) yield return Prompt;
        foreach (var c in Cmds)
        {
            if (c.Shell is not null) yield return c.Shell;
            if (c.Call is not null) foreach (var v in c.Call.Vars) yield return v.Value;
        }
        foreach (var e in Env.Values) yield return e;
    }
}

/// <summary>The merged Taskfile: root plus includes (namespaced, recursively), as go-task builds it.</summary>
public sealed class TaskfileModel
{
    private readonly Dictionary<string, TaskDefinition> _tasks;

    private TaskfileModel(string root, Dictionary<string, TaskDefinition> tasks, IReadOnlyList<KeyValuePair<string, string>> rootVars, IReadOnlyList<string> dotenv, IReadOnlyList<string> problems)
    {
        RootDirectory = root;
        _tasks = tasks;
        RootVars = rootVars;
        Dotenv = dotenv;
        Problems = problems;
    }

    public string RootDirectory { get; }

    public IReadOnlyList<KeyValuePair<string, string>> RootVars { get; }

    public IReadOnlyList<string> Dotenv { get; }

    /// <summary>What go-task would refuse at load time (a task defined twice under one name).</summary>
    public IReadOnlyList<string> Problems { get; }

    public IReadOnlyCollection<TaskDefinition> Tasks => _tasks.Values;

    public TaskDefinition? Find(string name) => _tasks.GetValueOrDefault(name);

    /// <summary>A <c>task:</c> reference written in a file of namespace <paramref name="ns"/>: go-task prefixes it with the namespace; a leading ":" is absolute.</summary>
    public static string Resolve(string ns, string reference) =>
        reference.StartsWith(':') ? reference[1..] : ns.Length == 0 ? reference : $"{ns}:{reference}";

    public static TaskfileModel Load(string taskfilePath)
    {
        var root = Path.GetDirectoryName(Path.GetFullPath(taskfilePath))!;
        var tasks = new Dictionary<string, TaskDefinition>(StringComparer.Ordinal);
        var problems = new List<string>();
        var rootDoc = Read(taskfilePath);
        var rootVars = Pairs(rootDoc, "vars");
        var dotenv = Strings(rootDoc, "dotenv");
        AddFile(Path.GetFullPath(taskfilePath), rootDoc, "", [], tasks, problems, depth: 0);
        return new TaskfileModel(root, tasks, rootVars, dotenv, problems);
    }

    private static void AddFile(string path, YamlMappingNode doc, string ns, IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> outerVars,
        Dictionary<string, TaskDefinition> tasks, List<string> problems, int depth)
    {
        if (depth > 8) { problems.Add($"includes nested too deep at {path}"); return; }
        // The root file's vars are the global vars; an included file's vars apply to its own tasks (and its includes').
        var chain = depth == 0 ? outerVars : [.. outerVars, Pairs(doc, "vars")];
        var fileEnv = Map(doc, "env");
        if (doc.Children.TryGetValue(new YamlScalarNode("tasks"), out var tnode) && tnode is YamlMappingNode tmap)
        {
            foreach (var (k, v) in tmap.Children)
            {
                var local = ((YamlScalarNode)k).Value ?? "";
                var name = ns.Length == 0 ? local : $"{ns}:{local}";
                var def = ParseTask(name, ns, path, chain, fileEnv, v);
                if (!tasks.TryAdd(name, def)) problems.Add($"task: Found multiple tasks ({name}) included by \"{ns}\"");
            }
        }
        if (doc.Children.TryGetValue(new YamlScalarNode("includes"), out var inode) && inode is YamlMappingNode imap)
        {
            foreach (var (k, v) in imap.Children)
            {
                var inc = ((YamlScalarNode)k).Value ?? "";
                var rel = v switch
                {
                    YamlScalarNode s => s.Value ?? "",
                    YamlMappingNode m when m.Children.TryGetValue(new YamlScalarNode("taskfile"), out var tf) => ((YamlScalarNode)tf).Value ?? "",
                    _ => "",
                };
                var incPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, rel));
                if (Directory.Exists(incPath)) incPath = Path.Combine(incPath, "Taskfile.yml");
                if (!File.Exists(incPath)) { problems.Add($"task: included Taskfile {rel} not found"); continue; }
                AddFile(incPath, Read(incPath), ns.Length == 0 ? inc : $"{ns}:{inc}", chain, tasks, problems, depth + 1);
            }
        }
    }

    private static TaskDefinition ParseTask(string name, string ns, string file, IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> fileVars,
        IReadOnlyDictionary<string, string> fileEnv, YamlNode node)
    {
        if (node is not YamlMappingNode m)
        {
            // Shorthand: a task that is only a command or a list of commands.
            var cmds = node is YamlSequenceNode seq ? seq.Children.Select(Command).ToList() : [new TaskCommandEntry(null, Scalar(node))];
            return new TaskDefinition(name, ns, file, fileVars, [], fileEnv, [], [], [], null, cmds);
        }
        var env = new Dictionary<string, string>(fileEnv, StringComparer.Ordinal);
        foreach (var (k, v) in Map(m, "env")) env[k] = v;
        var deps = Seq(m, "deps").Select(d => Call(d) ?? new TaskCall(Scalar(d), [])).ToList();
        var status = Seq(m, "status").Select(Scalar).ToList();
        var pre = Seq(m, "preconditions").Select(p => p is YamlMappingNode pm
            ? new TaskPrecondition(Get(pm, "sh") ?? "", Get(pm, "msg") ?? "")
            : new TaskPrecondition(Scalar(p), "")).ToList();
        var prompt = m.Children.TryGetValue(new YamlScalarNode("prompt"), out var pn)
            ? pn is YamlSequenceNode ps ? string.Join("\n", ps.Children.Select(Scalar)) : Scalar(pn)
            : null;
        return new TaskDefinition(name, ns, file, fileVars, Pairs(m, "vars"), env, deps, status, pre, prompt, Seq(m, "cmds").Select(Command).ToList());
    }

    private static TaskCommandEntry Command(YamlNode n) => n switch
    {
        YamlScalarNode s => new TaskCommandEntry(null, s.Value ?? ""),
        YamlMappingNode m when Call(m) is { } call => new TaskCommandEntry(call, null),
        YamlMappingNode m => new TaskCommandEntry(null, Get(m, "cmd") ?? ""),
        _ => new TaskCommandEntry(null, ""),
    };

    private static TaskCall? Call(YamlNode n) =>
        n is YamlMappingNode m && Get(m, "task") is { } t ? new TaskCall(t, Pairs(m, "vars")) : null;

    private static YamlMappingNode Read(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode m ? m : new YamlMappingNode();
    }

    private static string Scalar(YamlNode n) => n is YamlScalarNode s ? s.Value ?? "" : "";

    private static string? Get(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    private static IEnumerable<YamlNode> Seq(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlSequenceNode s ? s.Children : [];

    private static List<string> Strings(YamlMappingNode m, string key) => Seq(m, key).Select(Scalar).ToList();

    /// <summary>Ordered key/value pairs (vars keep their order: a later var may use an earlier one). <c>sh:</c> vars keep their command as "$(…)".</summary>
    private static List<KeyValuePair<string, string>> Pairs(YamlMappingNode m, string key)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (!m.Children.TryGetValue(new YamlScalarNode(key), out var v) || v is not YamlMappingNode map) return list;
        foreach (var (k, val) in map.Children)
        {
            var text = val switch
            {
                YamlScalarNode s => s.Value ?? "",
                YamlMappingNode vm when Get(vm, "sh") is { } sh => $"$({sh})",
                _ => "",
            };
            list.Add(new(((YamlScalarNode)k).Value ?? "", text));
        }
        return list;
    }

    private static Dictionary<string, string> Map(YamlMappingNode m, string key) =>
        Pairs(m, key).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
