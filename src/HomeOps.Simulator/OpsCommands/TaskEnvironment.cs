using System.Net;
using HomeOps.Simulator.Seed;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>What a simulated task can use: the console, the cluster's nodes and Flux, Task variables, <c>--yes</c>.</summary>
public sealed class TaskEnvironment(ToolConsole io, SimClusterClient cluster, IReadOnlyDictionary<string, string> vars, bool yes, IReadOnlyDictionary<string, string>? environment = null)
{
    public ToolConsole Io => io;
    public SimClusterClient Cluster => cluster;
    public SimNodes Nodes { get; } = new(cluster);
    public SimFlux Flux { get; } = new(cluster);
    public bool Yes => yes;

    /// <summary>The home-ops node IPs the Taskfile hard-codes (all = .11,.12,.13).</summary>
    public static readonly IReadOnlyList<string> AllNodeIps = HomeOpsTopology.NodeNames.Select(HomeOpsTopology.NodeIPv4).ToList();

    /// <summary>A Task variable (after templating), else the environment including the Taskfile's dotenv (Task reads both).</summary>
    public string? Var(string name) =>
        vars.TryGetValue(name, out var v) ? v : environment is not null && environment.TryGetValue(name, out var e) && e.Length > 0 ? e : io.Env(name);

    /// <summary>Task prints each command it runs on stderr as <c>task: [name] command</c>.</summary>
    public void Echo(string task, string command) => io.Err($"task: [{task}] {command}");

    /// <summary><c>NODES</c> as the Taskfile reads it: "all" or missing → the three nodes, else a comma-separated IP list.</summary>
    public IReadOnlyList<string> NodeIps(string? nodes)
    {
        if (string.IsNullOrWhiteSpace(nodes) || nodes == "all") return AllNodeIps;
        return nodes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static bool IsIPv4(string s) => IPAddress.TryParse(s, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && s.Count(c => c == '.') == 3;

    /// <summary>A Task prompt (<c>prompt:</c>): answered by <c>--yes</c> or a "y" on standard input; anything else aborts.</summary>
    public bool Confirm(string question)
    {
        if (yes) return true;
        var answer = io.Prompt($"{question} [y/N]: ");
        return answer?.Trim() is "y" or "Y" or "yes";
    }
}
