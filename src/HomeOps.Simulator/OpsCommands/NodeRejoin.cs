using System.Globalization;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// After a simulated safe reset the chosen nodes sit in Talos maintenance mode; a few beats later they are brought back
/// through the bootstrap phases (config applied → registered NotReady → CNI Ready → Longhorn → BGP), as an operator
/// running the phases would — so the demo shows the nodes leave and return live. Runs detached from the reset task
/// (the task itself ends with the nodes still down, as the real one does), logging to a file.
/// </summary>
public static class NodeRejoin
{
    public const string Command = "node-return";

    /// <summary>Beats between the end of the reset task and the node's return.</summary>
    public const double DefaultDelayBeats = 6;

    public static IReadOnlyList<string> Arguments(IEnumerable<string> nodes, bool fullCluster, double delayBeats) =>
        [Command, "--nodes", string.Join(",", nodes), "--after", delayBeats.ToString(CultureInfo.InvariantCulture), .. fullCluster ? new[] { "--full-cluster" } : []];

    /// <summary>Starts the return in the background (detached process, or in-process when the console has no launcher).</summary>
    public static void Schedule(ToolConsole io, IReadOnlyList<string> nodes, bool fullCluster)
    {
        var args = Arguments(nodes, fullCluster, DefaultDelayBeats);
        if (io.StartDetached is { } start) start(args);
        else _ = Task.Run(() => RunAsync(args.Skip(1).ToList(), io, CancellationToken.None));
    }

    /// <summary><c>node-return --nodes a,b --after BEATS [--full-cluster]</c>.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, ToolConsole io, CancellationToken ct)
    {
        var nodes = new List<string>();
        double after = DefaultDelayBeats;
        var full = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--nodes" when i + 1 < args.Count: nodes.AddRange(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries)); break;
                case "--after" when i + 1 < args.Count: after = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--full-cluster": full = true; break;
                default:
                    io.Err($"node-return: unexpected argument '{args[i]}'");
                    return 2;
            }
        }
        if (io.Kubeconfig is not { } kubeconfig)
        {
            io.Err("node-return: no kubeconfig (KUBECONFIG or HOMEOPS_SIM_KUBECONFIG)");
            return 1;
        }
        using var cluster = SimClusterClient.FromKubeconfig(kubeconfig);
        var env = new TaskEnvironment(io, cluster, new Dictionary<string, string>(), yes: true);
        Log(io, $"nodes {string.Join(", ", nodes)} are in maintenance mode; re-bootstrapping them in {after} beats");
        await io.WaitAsync(after, ct).ConfigureAwait(false);
        try
        {
            await RebootstrapAsync(env, nodes, full, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or k8s.Autorest.HttpOperationException)
        {
            // The simulator went away (a test ended, the dashboard stopped): nothing left to bring back.
            Log(io, $"the simulated cluster is gone: {ex.Message}");
            return 1;
        }
        Log(io, "done: the nodes are back");
        return 0;
    }

    /// <summary>The phases for nodes coming out of maintenance mode, each visible in the cluster a beat apart.</summary>
    /// <remarks>
    /// etcd follows the nodes: after a partial reset (<c>--graceful=false</c> left the reset nodes listed as stale
    /// members) the stale member is removed first, as an operator must (<c>talosctl etcd remove-member</c> through a
    /// surviving node) — the node leaves the member list — and the node's etcd then joins as a new member when its config
    /// is applied. After a full-cluster reset etcd is gone; the re-bootstrap (<c>talosctl bootstrap</c> on the first node)
    /// forms it again and every node joins.
    /// </remarks>
    public static async Task RebootstrapAsync(TaskEnvironment env, IReadOnlyList<string> nodes, bool fullCluster, CancellationToken ct)
    {
        if (!fullCluster)
        {
            var all = await env.Nodes.ListAsync(ct).ConfigureAwait(false);
            foreach (var n in all.Where(n => nodes.Contains(n.Name(), StringComparer.Ordinal) && SimNodes.EtcdMemberId(n) is not null))
            {
                Log(env.Io, $"etcd:remove-member: the stale member {SimNodes.EtcdMemberId(n)} of {n.Name()} is removed through a surviving node");
                await env.Nodes.SetEtcdMemberAsync(n.Name(), member: false, ct).ConfigureAwait(false);
                await env.Nodes.SetEtcdJoinFailedAsync(n.Name(), false, ct).ConfigureAwait(false);
            }
            await env.Io.WaitAsync(1, ct).ConfigureAwait(false);
        }
        Log(env.Io, "phase 2: machine config applied, kubelet registers (NotReady: no CNI yet); etcd joins");
        foreach (var n in nodes)
        {
            await env.Nodes.RegisterAsync(n, ct).ConfigureAwait(false);
            await env.Nodes.JoinEtcdAsync(n, ct).ConfigureAwait(false);
        }
        await env.Io.WaitAsync(2, ct).ConfigureAwait(false);
        Log(env.Io, "phase 3: Cilium agent up on the node → Ready");
        foreach (var n in nodes) await env.Nodes.ReadyAsync(n, newBoot: false, ct).ConfigureAwait(false);
        await env.Io.WaitAsync(1, ct).ConfigureAwait(false);
        Log(env.Io, "phase 4: Longhorn manager up on the node");
        foreach (var n in nodes) await env.Nodes.LonghornNodeAsync(n, ready: true, ct).ConfigureAwait(false);
        await env.Io.WaitAsync(1, ct).ConfigureAwait(false);
        Log(env.Io, "apps:deploy-cilium: BGP control plane on, sessions to 172.29.51.1 established");
        foreach (var n in nodes) await env.Nodes.BgpSessionAsync(n, established: true, ct).ConfigureAwait(false);
        if (fullCluster)
        {
            Log(env.Io, "phases 5–6: Flux bootstrapped again, kustomizations reconciled in dependency order");
            await BootstrapTasks.RestoreFluxAsync(env, ct).ConfigureAwait(false);
        }
    }

    private static void Log(ToolConsole io, string text) =>
        io.Line($"{DateTimeOffset.UtcNow:yyyy-MM-dd'T'HH:mm:ss'Z'} [simulator] {text}");
}
