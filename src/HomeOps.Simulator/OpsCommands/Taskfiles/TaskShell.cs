using System.Text;
using System.Text.RegularExpressions;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// The shell commands of the home-ops Taskfile as far as they decide outcomes. Real Task runs them with a POSIX shell;
/// the stand-in does not execute arbitrary shell. It interprets the simple lines itself — <c>echo</c>, marker files
/// (<c>touch</c>, <c>rm -f</c>, <c>mkdir -p</c>, <c>test -f</c>, <c>[ -f … ]</c>), <c>sleep</c>, <c>read -p</c>, <c>||</c>
/// and <c>&amp;&amp;</c>, <c>mise exec --</c>, nested <c>task</c> runs, and the tools it simulates (<c>talosctl</c>,
/// <c>flux</c>, <c>kubectl get …</c> with <c>grep</c>/<c>wc</c> pipelines) — and hands everything else (loops,
/// <c>if</c> blocks, <c>helm</c>, <c>op</c>, scripts) to the task's model (<see cref="TaskModels"/>). A command no model
/// covers fails the task: the simulator never pretends.
/// </summary>
public static partial class TaskShell
{
    public const int NotModelled = 127;

    public static async Task<int> RunAsync(TaskRunContext run, string text, CancellationToken ct)
    {
        var lines = ScriptLines(text);
        if (lines is null) return await ModelAsync(run, text, ct).ConfigureAwait(false);
        var code = 0;
        foreach (var line in lines) code = await LineAsync(run, line, quiet: false, ct).ConfigureAwait(false);
        return code;
    }

    /// <summary>A <c>status:</c> or <c>preconditions:</c> command: true when it would exit 0. It must be one the stand-in understands.</summary>
    public static async Task<bool> ConditionAsync(TaskRunContext run, string text, CancellationToken ct)
    {
        var lines = ScriptLines(text);
        if (lines is not { Count: 1 })
            throw new TaskRunFailure(NotModelled, $"homeops stand-in: task \"{run.Name}\" checks `{text.Trim()}`, which the simulator does not model");
        return await LineAsync(run, lines[0], quiet: true, ct).ConfigureAwait(false) == 0;
    }

    /// <summary>The lines of a script when it has no control flow, substitutions or continuations; null otherwise.</summary>
    private static List<string>? ScriptLines(string text)
    {
        var result = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.EndsWith('\\') || line.Contains("$(") || line.Contains('`') || line.StartsWith('(') || ControlWord().IsMatch(line)) return null;
            result.Add(line);
        }
        return result;
    }

    private static async Task<int> LineAsync(TaskRunContext run, string line, bool quiet, CancellationToken ct)
    {
        // a || b, a && b (left to right, as sh does for a list of one operator kind)
        var or = SplitTop(line, " || ");
        if (or.Count > 1)
        {
            var code = 1;
            foreach (var part in or)
                if ((code = await LineAsync(run, part, quiet, ct).ConfigureAwait(false)) == 0) return 0;
            return code;
        }
        var and = SplitTop(line, " && ");
        if (and.Count > 1)
        {
            var code = 0;
            foreach (var part in and)
                if ((code = await LineAsync(run, part, quiet, ct).ConfigureAwait(false)) != 0) return code;
            return code;
        }

        if (line.StartsWith('(') && line.EndsWith(')')) return await LineAsync(run, line[1..^1], quiet, ct).ConfigureAwait(false);
        var (command, silent) = StripRedirects(line);
        quiet |= silent;
        var pipeline = SplitTop(command, " | ");
        var words = Words(Expand(run, pipeline[0]));
        if (words.Count == 0) return 0;
        var io = quiet ? Quiet(run.Io) : run.Io;
        switch (words[0])
        {
            case "echo":
                if (pipeline.Count > 1) break;
                if (!quiet) run.Io.Line(string.Join(" ", words.Skip(1).Where(w => w != "-e" && w != "-n")));
                return 0;
            case "true": return 0;
            case "false": return 1;
            case "exit": return words.Count > 1 && int.TryParse(words[1], out var e) ? e : 0;
            case "source" or ".": return 0; // the dotenv file: Task already loaded it
            case "sleep":
                await run.Io.WaitAsync(Math.Min(2, double.TryParse(words.ElementAtOrDefault(1), out var s) ? s / 30 : 1), ct).ConfigureAwait(false);
                return 0;
            case "touch":
                foreach (var p in words.Skip(1)) { var f = Path(run, p); Directory.CreateDirectory(System.IO.Path.GetDirectoryName(f)!); File.WriteAllText(f, DateTimeOffset.UtcNow.ToString("O")); }
                return 0;
            case "mkdir":
                foreach (var p in words.Skip(1).Where(w => !w.StartsWith('-'))) Directory.CreateDirectory(Path(run, p));
                return 0;
            case "rm":
                foreach (var p in words.Skip(1).Where(w => !w.StartsWith('-')))
                {
                    var f = Path(run, p);
                    if (File.Exists(f)) File.Delete(f);
                    else if (Directory.Exists(f) && words.Any(w => w.StartsWith('-') && w.Contains('r'))) Directory.Delete(f, recursive: true);
                }
                return 0;
            case "test" or "[":
                if (pipeline.Count > 1) break;
                return Test(run, words) ? 0 : 1;
            case "command" when words.ElementAtOrDefault(1) == "-v" && words.Count == 3:
                return OnPath(run, words[2]) ? 0 : 1;
            case "read" when words.Contains("-p"):
                var name = words[^1];
                var prompt = words[words.IndexOf("-p") + 1];
                var answer = run.Io.Prompt(prompt);
                run.ShellVars[name] = answer?.Trim() ?? "";
                return answer is null ? 1 : 0; // read fails at end of input
            case "talhelper" or "helm" or "yq" or "jq" or "cilium" or "kustomize" when words.Skip(1).Any(w => w is "--version" or "version"):
                // Tools .mise.toml pins: present when mise (which installs them) is.
                if (OnPath(run, "mise")) return 0;
                run.Io.Err($"sh: 1: {words[0]}: not found");
                return 127;
            case "ping":
                // ICMP to a node: a node answers while Talos runs (configured or in maintenance mode).
                var target = words.Skip(1).LastOrDefault(w => !w.StartsWith('-') && w.Contains('.'));
                var pinged = target is null ? null : (await new SimNodes(run.Interpreter.Cluster).ListAsync(ct).ConfigureAwait(false))
                    .FirstOrDefault(n => SimNodes.InternalIps(n).Contains(target));
                return pinged is not null && SimNodes.TalosUp(pinged) ? 0 : 1;
            case "op" when words.ElementAtOrDefault(1) is "account" or "whoami":
                // The 1Password CLI is simulated: signed in when the checkout's .env names an OP_ACCOUNT.
                return run.Env.Var("OP_ACCOUNT") is { Length: > 0 } ? 0 : 1;
            case "mise":
                if (words.ElementAtOrDefault(1) == "exec" && words.ElementAtOrDefault(2) == "--")
                {
                    if (!OnPath(run, "mise")) { run.Io.Err("sh: 1: mise: not found"); return 127; }
                    var rest = pipeline[0][(pipeline[0].IndexOf("--", StringComparison.Ordinal) + 2)..].Trim();
                    return await LineAsync(run, string.Join(" | ", [rest, .. pipeline.Skip(1)]) + (silent ? " >/dev/null 2>&1" : ""), quiet, ct).ConfigureAwait(false);
                }
                break;
            case "task":
                if (pipeline.Count > 1) break;
                return await NestedTaskAsync(run, words.Skip(1).ToList(), quiet, ct).ConfigureAwait(false);
            case "talosctl":
                if (pipeline.Count > 1) break;
                return await TalosctlCommand.RunAsync(words.Skip(1).ToList(), io, ct).ConfigureAwait(false);
            case "flux" when pipeline.Count == 1:
                return await FluxCommand.RunAsync(words.Skip(1).ToList(), io, ct).ConfigureAwait(false);
            case "flux" or "kubectl":
                var (exit, output) = await KubectlModel.RunAsync(run, words, ct).ConfigureAwait(false);
                if (exit != 0) return exit;
                return Pipe(run, output, pipeline.Skip(1).ToList(), quiet);
        }
        return await ModelAsync(run, line, ct).ConfigureAwait(false);
    }

    private static async Task<int> ModelAsync(TaskRunContext run, string text, CancellationToken ct)
    {
        text = text.Trim();
        if (text.StartsWith("mise exec -- ", StringComparison.Ordinal))
        {
            if (!OnPath(run, "mise")) { run.Io.Err("sh: 1: mise: not found"); return 127; }
            text = text["mise exec -- ".Length..];
        }
        if (TaskModels.For(run.Name) is { } model) return await model(run, text.Trim(), ct).ConfigureAwait(false);
        var first = text.Trim().Split('\n')[0];
        run.Io.Err($"homeops stand-in: task \"{run.Name}\" runs `{first}`, which the simulator does not model");
        return NotModelled;
    }

    /// <summary><c>task NAME… [VAR=value…] [--yes]</c> inside a command: a new Task process (no --yes unless given).</summary>
    private static async Task<int> NestedTaskAsync(TaskRunContext run, List<string> args, bool quiet, CancellationToken ct)
    {
        var parsed = TaskCommand.ParseArguments(args);
        var interpreter = new TaskInterpreter(run.Interpreter.Model, quiet ? Quiet(run.Io) : run.Io, run.Interpreter.Cluster, parsed.Vars, parsed.Yes, parsed.Force);
        foreach (var name in parsed.Names.DefaultIfEmpty("default"))
        {
            try
            {
                await interpreter.RunAsync(name, direct: true, [], ct).ConfigureAwait(false);
            }
            catch (TaskRunFailure f)
            {
                run.Io.Err(f.Message);
                return f.ExitCode;
            }
        }
        return 0;
    }

    /// <summary>grep -q/-c/-v (basic regex alternation \|), wc -l over a producer's output.</summary>
    private static int Pipe(TaskRunContext run, string output, List<string> filters, bool quiet)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var exit = 0;
        foreach (var f in filters)
        {
            var w = Words(f);
            if (w.Count == 0) continue;
            if (w[0] == "wc" && w.Contains("-l")) { lines = [lines.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)]; exit = 0; continue; }
            if (w[0] != "grep") throw new TaskRunFailure(NotModelled, $"homeops stand-in: task \"{run.Name}\" pipes into `{f}`, which the simulator does not model");
            var flags = w.Skip(1).Where(x => x.StartsWith('-')).SelectMany(x => x.TrimStart('-')).ToHashSet();
            var pattern = w.Skip(1).First(x => !x.StartsWith('-'));
            var alternatives = pattern.Split(@"\|");
            bool Match(string l) => alternatives.Any(a => l.Contains(a, StringComparison.Ordinal));
            var matched = flags.Contains('v') ? lines.Where(l => !Match(l)).ToList() : lines.Where(Match).ToList();
            if (flags.Contains('q')) return matched.Count > 0 ? 0 : 1;
            if (flags.Contains('c')) { lines = [matched.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)]; exit = matched.Count > 0 ? 0 : 1; continue; }
            lines = matched;
            exit = matched.Count > 0 ? 0 : 1;
        }
        if (!quiet) foreach (var l in lines) run.Io.Line(l);
        return exit;
    }

    private static bool Test(TaskRunContext run, List<string> words)
    {
        var args = words.Skip(1).Where(w => w != "]").ToList();
        var negate = args.FirstOrDefault() == "!";
        if (negate) args = args.Skip(1).ToList();
        var result = args switch
        {
            ["-f", var p] => File.Exists(Path(run, p)),
            ["-d", var p] => Directory.Exists(Path(run, p)),
            ["-e", var p] => File.Exists(Path(run, p)) || Directory.Exists(Path(run, p)),
            ["-n", var v] => v.Length > 0,
            ["-z", var v] => v.Length == 0,
            [var a, "=", var b] => a == b,
            [var a, "!=", var b] => a != b,
            _ => throw new TaskRunFailure(NotModelled, $"homeops stand-in: task \"{run.Name}\" tests `{string.Join(" ", words)}`, which the simulator does not model"),
        };
        return negate ? !result : result;
    }

    /// <summary>$VAR, ${VAR}, ${VAR:-} from the shell variables and the environment (with the Taskfile's dotenv).</summary>
    private static string Expand(TaskRunContext run, string text) =>
        ShellVariable().Replace(text, m =>
        {
            var name = m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Value;
            if (run.ShellVars.TryGetValue(name, out var v)) return v;
            return run.Interpreter.Environment.TryGetValue(name, out var e) ? e : "";
        });

    public static bool OnPath(TaskRunContext run, string program)
    {
        var path = run.Interpreter.Environment.TryGetValue("PATH", out var p) ? p : "";
        foreach (var dir in path.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(dir, program);
            if (File.Exists(candidate)) return true;
        }
        return false;
    }

    /// <summary>A path in a command, relative to the checkout (Task runs included files' tasks in the root directory).</summary>
    public static string Path(TaskRunContext run, string p) =>
        System.IO.Path.IsPathRooted(p) ? p : System.IO.Path.GetFullPath(System.IO.Path.Combine(run.Interpreter.Model.RootDirectory, p));

    private static (string Command, bool Silent) StripRedirects(string line)
    {
        var silent = false;
        foreach (var r in new[] { ">/dev/null 2>&1", "> /dev/null 2>&1", "&> /dev/null", "&>/dev/null", "2>/dev/null", "2>&1", ">/dev/null" })
        {
            if (!line.Contains(r, StringComparison.Ordinal)) continue;
            silent |= r.Contains("/dev/null", StringComparison.Ordinal) && !r.StartsWith("2>", StringComparison.Ordinal);
            line = line.Replace(r, " ", StringComparison.Ordinal);
        }
        return (line.Trim(), silent);
    }

    private static ToolConsole Quiet(ToolConsole io) => new(io.In, TextWriter.Null, TextWriter.Null, io.Environment, io.WorkingDirectory) { StartDetached = io.StartDetached };

    /// <summary>Splits on an operator outside quotes.</summary>
    private static List<string> SplitTop(string line, string op)
    {
        var parts = new List<string>();
        var sb = new StringBuilder();
        char quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; sb.Append(c); continue; }
            if (c is '"' or '\'') { quote = c; sb.Append(c); continue; }
            if (string.CompareOrdinal(line, i, op, 0, op.Length) == 0) { parts.Add(sb.ToString().Trim()); sb.Clear(); i += op.Length - 1; continue; }
            sb.Append(c);
        }
        parts.Add(sb.ToString().Trim());
        return parts;
    }

    /// <summary>Words as sh splits them (single and double quotes, no globbing).</summary>
    public static List<string> Words(string line)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        var any = false;
        char quote = '\0';
        foreach (var c in line)
        {
            if (quote != '\0') { if (c == quote) quote = '\0'; else sb.Append(c); continue; }
            if (c is '"' or '\'') { quote = c; any = true; continue; }
            if (char.IsWhiteSpace(c)) { if (sb.Length > 0 || any) words.Add(sb.ToString()); sb.Clear(); any = false; continue; }
            sb.Append(c);
        }
        if (sb.Length > 0 || any) words.Add(sb.ToString());
        return words;
    }

    [GeneratedRegex(@"^(if|then|else|elif|fi|for|do|done|while|until|case|esac)\b|;\s*(then|do)\b")]
    private static partial Regex ControlWord();

    [GeneratedRegex(@"\$\{(?<a>[A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}|\$(?<b>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ShellVariable();
}
