using HomeOps.Simulator.Seed;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// The simulator's stand-in for <c>talosctl</c>: <c>reboot</c> (the node drops out and comes back), <c>reset</c>
/// (only with the STATE and EPHEMERAL labels — anything else is refused, as the dashboard's policy demands),
/// <c>version</c>, <c>etcd members</c>. Nodes are addressed by IP, as talosctl does.
/// </summary>
public static class TalosctlCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, ToolConsole io, CancellationToken ct = default)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help")
        {
            io.Line("A CLI for out-of-band management of Kubernetes nodes created by Talos (homeops simulator stand-in)");
            io.Line("Available Commands: reboot, reset, version, etcd");
            return 0;
        }
        var (flags, positional) = Parse(args.Skip(1));
        if (args[0] == "version" && flags.ContainsKey("client"))
        {
            PrintClientVersion(io);
            return 0;
        }
        if (args[0] is not ("reboot" or "reset" or "version" or "etcd"))
        {
            io.Err($"Error: unknown command \"{args[0]}\" for \"talosctl\"");
            return 1;
        }
        if (io.Kubeconfig is not { } kubeconfig)
        {
            io.Err("error: the simulator's talosctl reaches the simulated cluster through HOMEOPS_SIM_KUBECONFIG or KUBECONFIG");
            return 1;
        }
        var nodes = flags.GetValueOrDefault("nodes")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        using var cluster = SimClusterClient.FromKubeconfig(kubeconfig);
        var env = new TaskEnvironment(io, cluster, new Dictionary<string, string>(), yes: true);
        try
        {
            switch (args[0])
            {
                case "reboot":
                    if (nodes.Length == 0) return NoNodes(io);
                    var wait = !string.Equals(flags.GetValueOrDefault("wait"), "false", StringComparison.OrdinalIgnoreCase);
                    return await RebootAsync(env, nodes, wait, ct).ConfigureAwait(false) ? 0 : 1;
                case "reset":
                    if (nodes.Length == 0) return NoNodes(io);
                    return await ResetAsync(env, nodes, flags, ct).ConfigureAwait(false);
                case "etcd" when positional.FirstOrDefault() == "members":
                    return await EtcdMembersAsync(env, ct).ConfigureAwait(false);
                case "etcd":
                    io.Err("Error: the simulator's talosctl etcd knows only 'members'");
                    return 1;
                default:
                    return await VersionAsync(env, nodes, flags.ContainsKey("insecure"), ct).ConfigureAwait(false);
            }
        }
        catch (CommandFailed f)
        {
            return f.ExitStatus;
        }
    }

    /// <summary>Reboots each node: Ready=Unknown while it is down, then Ready again with a new boot id. With wait, reports like talosctl --wait.</summary>
    public static async Task<bool> RebootAsync(TaskEnvironment env, IReadOnlyList<string> ips, bool wait, CancellationToken ct)
    {
        var io = env.Io;
        var names = new List<(string Ip, string Name)>();
        foreach (var ip in ips)
        {
            var name = TaskEnvironment.IsIPv4(ip) ? await env.Nodes.NameForIpAsync(ip, ct).ConfigureAwait(false) : null;
            if (name is null)
            {
                io.Err($"error executing reboot: 1 error occurred:\n\t* {ip}: rpc error: code = Unavailable desc = connection error: dial tcp {ip}:50000: connect: no route to host");
                return false;
            }
            names.Add((ip, name));
        }
        if (wait) io.Line($"watching nodes: [{string.Join(" ", ips)}]");
        foreach (var (ip, name) in names)
        {
            await env.Nodes.GoDownAsync(name, reset: false, ct).ConfigureAwait(false);
            if (wait) io.Line($"    * {ip}: stage: REBOOTING ready: false");
        }
        await io.WaitAsync(2, ct).ConfigureAwait(false);
        foreach (var (ip, _) in names)
            if (wait) io.Line($"    * {ip}: stage: BOOTING ready: false");
        await io.WaitAsync(1.5, ct).ConfigureAwait(false);
        foreach (var (ip, name) in names)
        {
            await env.Nodes.ReadyAsync(name, newBoot: true, ct).ConfigureAwait(false);
            await env.Nodes.LonghornNodeAsync(name, ready: true, ct).ConfigureAwait(false);
            await env.Nodes.BgpSessionAsync(name, established: true, ct).ConfigureAwait(false);
            if (wait)
            {
                io.Line($"    * {ip}: stage: RUNNING ready: true");
                io.Line($"    * {ip}: post check passed");
            }
        }
        return true;
    }

    private static async Task<int> ResetAsync(TaskEnvironment env, IReadOnlyList<string> ips, Dictionary<string, string> flags, CancellationToken ct)
    {
        var labels = flags.GetValueOrDefault("system-labels-to-wipe")?.Split(',') ?? [];
        if (!labels.Order().SequenceEqual(["EPHEMERAL", "STATE"]) || flags.ContainsKey("wipe-mode") || flags.ContainsKey("user-disks-to-wipe"))
        {
            env.Io.Err("refusing: the simulator's talosctl resets only with --system-labels-to-wipe STATE --system-labels-to-wipe EPHEMERAL (a reset without partition labels wipes the whole disk)");
            return 1;
        }
        var failed = 0;
        foreach (var ip in ips)
        {
            var name = TaskEnvironment.IsIPv4(ip) ? await env.Nodes.NameForIpAsync(ip, ct).ConfigureAwait(false) : null;
            if (name is null) { failed++; env.Io.Err($"{ip}: rpc error: code = Unavailable desc = connection error"); continue; }
            await env.Nodes.GoDownAsync(name, reset: true, ct).ConfigureAwait(false);
            env.Io.Line($"{ip}: reset requested (STATE, EPHEMERAL)");
        }
        return failed == 0 ? 0 : 1;
    }

    private static async Task<int> VersionAsync(TaskEnvironment env, IReadOnlyList<string> ips, bool insecure, CancellationToken ct)
    {
        PrintClientVersion(env.Io);
        var all = await env.Nodes.ListAsync(ct).ConfigureAwait(false);
        foreach (var ip in ips.DefaultIfEmpty("172.29.51.11"))
        {
            var node = all.FirstOrDefault(n => SimNodes.InternalIps(n).Contains(ip));
            if (node is null || (!SimNodes.IsReady(node) && !SimNodes.InMaintenance(node)))
            {
                env.Io.Err($"error getting version: rpc error: code = Unavailable desc = connection error: dial tcp {ip}:50000: connect: connection refused");
                return 1;
            }
            if (SimNodes.InMaintenance(node) && !insecure)
            {
                env.Io.Err($"{ip}: rpc error: code = Unavailable desc = the node is in maintenance mode: use --insecure");
                return 1;
            }
            env.Io.Line("Server:");
            env.Io.Line($"\tNODE:        {ip}");
            env.Io.Line($"\tTag:         {HomeOpsTopology.TalosVersion}{(SimNodes.InMaintenance(node) ? " (maintenance mode)" : "")}");
        }
        return 0;
    }

    private static async Task<int> EtcdMembersAsync(TaskEnvironment env, CancellationToken ct)
    {
        env.Io.Line($"{"NODE",-14} {"ID",-18} {"HOSTNAME",-9} PEER URLS");
        foreach (var n in (await env.Nodes.ListAsync(ct).ConfigureAwait(false)).Where(n => !SimNodes.InMaintenance(n)))
        {
            var ip = SimNodes.InternalIPv4(n);
            env.Io.Line($"{"172.29.51.11",-14} {SeedIds.Hex("etcd/" + n.Name(), 16),-18} {n.Name(),-9} https://{ip}:2380");
        }
        return 0;
    }

    private static void PrintClientVersion(ToolConsole io)
    {
        io.Line("Client:");
        io.Line($"\tTag:         {HomeOpsTopology.TalosVersion} (homeops simulator stand-in)");
    }

    private static int NoNodes(ToolConsole io)
    {
        io.Err("error: nodes are not set for the command: please use `--nodes` flag or configuration file to set the nodes to run the command against");
        return 1;
    }

    /// <summary>talosctl flags: <c>--name value</c>, <c>--name=value</c>, <c>-n value</c>; repeated flags join with commas.</summary>
    private static (Dictionary<string, string> Flags, List<string> Positional) Parse(IEnumerable<string> args)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (!a.StartsWith('-')) { positional.Add(a); continue; }
            var name = a.TrimStart('-');
            string? value = null;
            var eq = name.IndexOf('=');
            if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
            name = name switch { "n" => "nodes", "e" => "endpoints", "i" => "insecure", _ => name };
            if (value is null && name is not ("insecure" or "client" or "graceful" or "wait" or "reboot") && i + 1 < list.Count && !list[i + 1].StartsWith('-'))
                value = list[++i];
            value ??= "true";
            flags[name] = flags.TryGetValue(name, out var prev) ? prev + "," + value : value;
        }
        return (flags, positional);
    }
}
