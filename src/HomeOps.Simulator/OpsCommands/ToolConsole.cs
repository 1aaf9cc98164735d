using System.Globalization;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// Everything a stand-in command touches outside the cluster: its standard streams, environment, working directory
/// and the pace of its simulated waits. A real process passes the real ones; a test may pass its own.
/// </summary>
public sealed class ToolConsole(TextReader stdin, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?> environment, string workingDirectory)
{
    /// <summary>The process environment the tool was started with.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; } = environment;

    /// <summary>Seconds one simulated "beat" lasts (a 30 s sleep of the real task is a couple of beats). Env <c>HOMEOPS_SIM_PACE</c>.</summary>
    public const string PaceVariable = "HOMEOPS_SIM_PACE";

    /// <summary>The simulator's kubeconfig for tools that have no KUBECONFIG of their own (talosctl). Env <c>HOMEOPS_SIM_KUBECONFIG</c>.</summary>
    public const string KubeconfigVariable = "HOMEOPS_SIM_KUBECONFIG";

    /// <summary>Where background helpers (the node that rejoins after a reset) write their logs. Env <c>HOMEOPS_SIM_STATE_DIR</c>.</summary>
    public const string StateDirectoryVariable = "HOMEOPS_SIM_STATE_DIR";

    /// <summary>"0" turns off the automatic re-bootstrap of reset nodes. Env <c>HOMEOPS_SIM_AUTO_REJOIN</c>.</summary>
    public const string AutoRejoinVariable = "HOMEOPS_SIM_AUTO_REJOIN";

    public TextReader In { get; } = stdin;
    public TextWriter Out { get; } = stdout;
    public TextWriter Error { get; } = stderr;
    public string WorkingDirectory { get; } = workingDirectory;

    /// <summary>
    /// Starts a helper that outlives this command (the reset node that rejoins later), given its stand-in arguments
    /// (e.g. <c>node-return --nodes mini02</c>). The tool process starts itself detached; null runs it in-process.
    /// </summary>
    public Action<IReadOnlyList<string>>? StartDetached { get; init; }

    public static ToolConsole FromProcess()
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables()) env[(string)e.Key] = e.Value as string;
        var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        var stderr = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        return new ToolConsole(Console.In, stdout, stderr, env, System.Environment.CurrentDirectory);
    }

    public string? Env(string name) => Environment.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;

    public TimeSpan Beat => TimeSpan.FromSeconds(
        double.TryParse(Env(PaceVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0 ? Math.Min(s, 30) : 1.0);

    /// <summary>Waits <paramref name="beats"/> beats (the stand-ins compress the real tasks' sleeps).</summary>
    public Task WaitAsync(double beats, CancellationToken ct = default) => Task.Delay(Beat * beats, ct);

    /// <summary>
    /// The simulated cluster's kubeconfig: HOMEOPS_SIM_KUBECONFIG, else KUBECONFIG. The simulator's own variable comes
    /// first so that a workflow's KUBECONFIG (e.g. the file <c>talosctl kubeconfig</c> writes) stays the tool's target.
    /// </summary>
    public string? Kubeconfig =>
        Env(KubeconfigVariable) ?? Env("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    public string StateDirectory => Env(StateDirectoryVariable) ?? Path.Combine(Path.GetTempPath(), "homeops-sim-tools");

    public bool AutoRejoin => Env(AutoRejoinVariable) != "0";

    public void Line(string text = "") => Out.WriteLine(text);

    public void Err(string text) => Error.WriteLine(text);

    /// <summary>Reads one line of standard input, as <c>read -p</c> does; null at end of input.</summary>
    public string? Prompt(string prompt)
    {
        Out.Write(prompt);
        Out.Flush();
        var answer = In.ReadLine();
        Out.WriteLine(answer ?? "");
        return answer;
    }
}
