using System.Text.Json.Nodes;
using HomeOps.Simulator.Seed;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// The simulator's stand-in for <c>talosctl</c>: <c>reboot</c> (the node drops out and comes back), <c>reset</c>
/// (only with the STATE and EPHEMERAL labels — anything else is refused, as the dashboard's policy demands — leaving
/// the node in maintenance mode and, when other members survive, still listed in etcd), <c>apply-config</c>
/// (--insecure only in maintenance mode), <c>bootstrap</c> (once per cluster), <c>kubeconfig</c>, <c>validate</c>,
/// <c>version</c>, <c>etcd members</c> / <c>etcd status</c> / <c>etcd remove-member</c>, <c>get members</c> / <c>get machineconfig</c>.
/// Nodes are addressed by IP, as talosctl does.
/// </summary>
public static class TalosctlCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, ToolConsole io, CancellationToken ct = default)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help")
        {
            io.Line("A CLI for out-of-band management of Kubernetes nodes created by Talos (homeops simulator stand-in)");
            io.Line("Available Commands: apply-config, bootstrap, etcd, get, kubeconfig, reboot, reset, services, validate, version");
            return 0;
        }
        var (flags, positional) = Parse(args.Skip(1));
        if (args[0] == "version" && flags.ContainsKey("client"))
        {
            PrintClientVersion(io);
            return 0;
        }
        if (args[0] == "validate") return Validate(io, flags);
        if (args[0] is not ("reboot" or "reset" or "version" or "etcd" or "apply-config" or "bootstrap" or "kubeconfig" or "get" or "services" or "service"))
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
        var insecure = flags.ContainsKey("insecure");
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
                case "apply-config":
                    if (nodes.Length == 0) return NoNodes(io);
                    return await ApplyConfigAsync(env, nodes, flags.GetValueOrDefault("file"), insecure, ct).ConfigureAwait(false);
                case "bootstrap":
                    if (nodes.Length != 1) { io.Err("error: bootstrap needs exactly one node (--nodes)"); return 1; }
                    return await BootstrapAsync(env, nodes[0], ct).ConfigureAwait(false);
                case "kubeconfig":
                    return await KubeconfigAsync(env, nodes.FirstOrDefault() ?? flags.GetValueOrDefault("endpoints") ?? "", positional.FirstOrDefault(), ct).ConfigureAwait(false);
                case "etcd" when positional.FirstOrDefault() == "members":
                    return await EtcdMembersAsync(env, nodes.FirstOrDefault() ?? "172.29.51.11", ct).ConfigureAwait(false);
                case "etcd" when positional.FirstOrDefault() == "remove-member" && positional.Count == 2:
                    return await EtcdRemoveMemberAsync(env, nodes.FirstOrDefault() ?? "172.29.51.11", positional[1], ct).ConfigureAwait(false);
                case "etcd" when positional.FirstOrDefault() == "status":
                    return await EtcdStatusAsync(env, nodes.DefaultIfEmpty("172.29.51.11").ToList(), ct).ConfigureAwait(false);
                case "etcd" when positional is ["alarm", "list"]:
                    return await TalosctlStatusCommands.AlarmListAsync(env, nodes.DefaultIfEmpty("172.29.51.11").ToList(), ct).ConfigureAwait(false);
                case "etcd":
                    io.Err("Error: the simulator's talosctl etcd knows 'members', 'status', 'alarm list' and 'remove-member <member ID>'");
                    return 1;
                case "get" when positional.FirstOrDefault() is "members" or "member":
                    return await GetMembersAsync(env, nodes.DefaultIfEmpty("172.29.51.11").ToList(), ct).ConfigureAwait(false);
                case "get" when positional.FirstOrDefault() is "machineconfig" or "machineconfigs" or "mc":
                    return await GetMachineConfigAsync(env, nodes.DefaultIfEmpty("172.29.51.11").ToList(), insecure, ct).ConfigureAwait(false);
                case "get" when positional.FirstOrDefault() is "machinestatus" or "machinestatuses":
                    return await TalosctlStatusCommands.MachineStatusAsync(env, nodes.DefaultIfEmpty("172.29.51.11").ToList(), insecure, ct).ConfigureAwait(false);
                case "services" or "service" when positional.Count == 0:
                    return await TalosctlStatusCommands.ServicesAsync(env, nodes.DefaultIfEmpty("172.29.51.11").ToList(), insecure, ct).ConfigureAwait(false);
                case "services" or "service":
                    io.Err("error: the simulator's talosctl lists all services (talosctl services), not one");
                    return 1;
                case "get":
                    io.Err($"error: the simulator's talosctl get knows members, machinestatus and machineconfig, not {positional.FirstOrDefault()}");
                    return 1;
                default:
                    return await VersionAsync(env, nodes, insecure, ct).ConfigureAwait(false);
            }
        }
        catch (CommandFailed f)
        {
            return f.ExitStatus;
        }
    }

    private static int Validate(ToolConsole io, Dictionary<string, string> flags)
    {
        var file = flags.GetValueOrDefault("config") ?? "";
        var path = Path.IsPathRooted(file) ? file : Path.Combine(io.WorkingDirectory, file);
        if (!File.Exists(path)) { io.Err($"error loading config: open {file}: no such file or directory"); return 1; }
        io.Line($"{file} is valid for {flags.GetValueOrDefault("mode") ?? "metal"} mode");
        return 0;
    }

    private static async Task<JsonObject?> NodeAsync(TaskEnvironment env, string ip, CancellationToken ct) =>
        (await env.Nodes.ListAsync(ct).ConfigureAwait(false)).FirstOrDefault(n => SimNodes.InternalIps(n).Contains(ip));

    private static int Unreachable(ToolConsole io, string ip)
    {
        io.Err($"error: rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp {ip}:50000: connect: connection refused\"");
        return 1;
    }

    /// <summary>
    /// A node in maintenance mode accepts its config only with --insecure (no client certificate yet) and then leaves
    /// maintenance mode; a configured node only over the authenticated API. A node that comes back while its old etcd
    /// member is still listed cannot join etcd (the member must be removed first).
    /// </summary>
    private static async Task<int> ApplyConfigAsync(TaskEnvironment env, IReadOnlyList<string> ips, string? file, bool insecure, CancellationToken ct)
    {
        var io = env.Io;
        var path = file is null ? null : Path.IsPathRooted(file) ? file : Path.Combine(io.WorkingDirectory, file);
        if (path is null || !File.Exists(path)) { io.Err($"error: open {file}: no such file or directory"); return 1; }
        foreach (var ip in ips)
        {
            if (await NodeAsync(env, ip, ct).ConfigureAwait(false) is not { } node || !SimNodes.TalosUp(node)) return Unreachable(io, ip);
            if (SimNodes.InMaintenance(node))
            {
                if (!insecure)
                {
                    io.Err($"error applying new configuration: rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority\" ({ip} is in maintenance mode: use --insecure)");
                    return 1;
                }
                var staleMember = SimNodes.EtcdMemberId(node) is not null;
                var clusterUp = await KubectlModel.ApiReachableAsync(env.Cluster, ct).ConfigureAwait(false);
                await env.Nodes.RegisterAsync(node.Name(), ct).ConfigureAwait(false);
                if (staleMember && clusterUp) await env.Nodes.SetEtcdJoinFailedAsync(node.Name(), true, ct).ConfigureAwait(false);
                else if (clusterUp) await env.Nodes.SetEtcdMemberAsync(node.Name(), member: true, ct).ConfigureAwait(false);
                io.Line($"Applied configuration with a reboot: {ip} leaves maintenance mode");
                continue;
            }
            if (insecure)
            {
                io.Err($"error applying new configuration: rpc error: code = Unavailable desc = {ip} is not in maintenance mode: the insecure API is closed");
                return 1;
            }
            io.Line("Applied configuration without a reboot");
        }
        return 0;
    }

    /// <summary><c>talosctl bootstrap</c>: only once per cluster, on a configured node; then the configured nodes form etcd.</summary>
    private static async Task<int> BootstrapAsync(TaskEnvironment env, string ip, CancellationToken ct)
    {
        if (await NodeAsync(env, ip, ct).ConfigureAwait(false) is not { } node || !SimNodes.TalosUp(node)) return Unreachable(env.Io, ip);
        if (SimNodes.InMaintenance(node))
        {
            env.Io.Err($"error executing bootstrap: rpc error: code = Unavailable desc = {ip} is in maintenance mode: apply a machine config first");
            return 1;
        }
        if (await KubectlModel.ApiReachableAsync(env.Cluster, ct).ConfigureAwait(false))
        {
            env.Io.Err("error executing bootstrap: rpc error: code = AlreadyExists desc = etcd data directory is not empty");
            return 1;
        }
        foreach (var n in await env.Nodes.ListAsync(ct).ConfigureAwait(false))
        {
            if (SimNodes.InMaintenance(n)) continue;
            await env.Nodes.SetEtcdMemberAsync(n.Name(), member: true, ct).ConfigureAwait(false);
            await env.Nodes.SetEtcdJoinFailedAsync(n.Name(), false, ct).ConfigureAwait(false);
        }
        return 0;
    }

    /// <summary>
    /// <c>talosctl kubeconfig [path] --force</c>: writes the cluster's admin kubeconfig to the path, else to $KUBECONFIG,
    /// else to ~/.kube/config — the simulator's own kubeconfig (the cluster is the simulated one). Fails like the real
    /// tool when the node cannot answer or the file cannot be written (a read-only root filesystem in a pod).
    /// </summary>
    private static async Task<int> KubeconfigAsync(TaskEnvironment env, string ip, string? localPath, CancellationToken ct)
    {
        var io = env.Io;
        if (await NodeAsync(env, ip, ct).ConfigureAwait(false) is not { } node || !SimNodes.TalosUp(node) || SimNodes.InMaintenance(node)
            || !await KubectlModel.ApiReachableAsync(env.Cluster, ct).ConfigureAwait(false))
            return Unreachable(io, ip);
        var target = localPath
                     ?? io.Env("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
                     ?? Path.Combine(io.Env("HOME") ?? "/root", ".kube", "config");
        var source = io.Kubeconfig!;
        if (Path.GetFullPath(target) == Path.GetFullPath(source)) return 0;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
            File.Copy(source, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            io.Err($"error: open {target}: read-only file system ({e.Message})");
            return 1;
        }
        return 0;
    }

    /// <summary><c>talosctl etcd members</c>: the member list as the queried node's etcd knows it, stale members included.</summary>
    private static async Task<int> EtcdMembersAsync(TaskEnvironment env, string ip, CancellationToken ct)
    {
        if (await NodeAsync(env, ip, ct).ConfigureAwait(false) is not { } node || !SimNodes.TalosUp(node)) return Unreachable(env.Io, ip);
        if (SimNodes.InMaintenance(node) || SimNodes.EtcdMemberId(node) is null || SimNodes.EtcdJoinFailed(node))
        {
            env.Io.Err($"error getting members: 1 error occurred:\n\t* {ip}: rpc error: code = Unavailable desc = etcd is not running on this node");
            return 1;
        }
        env.Io.Line("NODE           ID                 HOSTNAME   PEER URLS                   CLIENT URLS                 LEARNER");
        foreach (var n in await env.Nodes.ListAsync(ct).ConfigureAwait(false))
        {
            if (SimNodes.EtcdMemberId(n) is not { } id) continue;
            var nip = SimNodes.InternalIPv4(n);
            env.Io.Line($"{ip,-14} {id,-18} {n.Name(),-10} https://{nip}:2380{"",-4} https://{nip}:2379{"",-4} false");
        }
        return 0;
    }

    /// <summary>
    /// <c>talosctl etcd status</c>: one row per node whose etcd member runs, in the real tool's columns (as
    /// talosctl 1.11+ prints them, see fixtures/talos-cli/talosctl-etcd-status-docs.json); a node that is down, in
    /// maintenance mode, no longer a member or unable to join gets an error on stderr instead, and then the exit code is 1.
    /// The leader is the running member of the first configured node; a member whose etcd cannot join reports no leader.
    /// </summary>
    private static async Task<int> EtcdStatusAsync(TaskEnvironment env, IReadOnlyList<string> ips, CancellationToken ct)
    {
        var all = await env.Nodes.ListAsync(ct).ConfigureAwait(false);
        bool Running(JsonObject n) => SimNodes.TalosUp(n) && !SimNodes.InMaintenance(n) && SimNodes.EtcdMemberId(n) is not null && !SimNodes.EtcdJoinFailed(n);
        var leader = all.Where(Running).OrderBy(n => n.Name(), StringComparer.Ordinal).Select(SimNodes.EtcdMemberId).FirstOrDefault() ?? "0000000000000000";
        var rows = new List<string>();
        var errors = new List<string>();
        foreach (var ip in ips)
        {
            var node = all.FirstOrDefault(n => SimNodes.InternalIps(n).Contains(ip));
            if (node is null || !SimNodes.TalosUp(node))
                errors.Add($"{ip}: rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp {ip}:50000: connect: connection refused\"");
            else if (!Running(node))
                errors.Add($"{ip}: rpc error: code = Unavailable desc = etcd is not running on this node");
            else
                rows.Add($"{ip,-14} {SimNodes.EtcdMemberId(node),-18} {"21 MB",-9} {"12 MB (57.14%)",-17} {leader,-18} {48213,-12} {7,-11} {48213,-20} {"false",-9} {"3.5.21",-10} {"3.5.0",-9} ");
        }
        if (rows.Count > 0)
        {
            env.Io.Line("NODE           MEMBER             DB SIZE   IN USE            LEADER             RAFT INDEX   RAFT TERM   RAFT APPLIED INDEX   LEARNER   PROTOCOL   STORAGE   ERRORS");
            foreach (var row in rows) env.Io.Line(row);
        }
        if (errors.Count == 0) return 0;
        env.Io.Err($"error getting status: {errors.Count} error{(errors.Count == 1 ? "" : "s")} occurred:");
        foreach (var e in errors) env.Io.Err($"\t* {e}");
        return 1;
    }

    private static async Task<int> EtcdRemoveMemberAsync(TaskEnvironment env, string ip, string memberId, CancellationToken ct)
    {
        if (await NodeAsync(env, ip, ct).ConfigureAwait(false) is not { } node || !SimNodes.TalosUp(node) || SimNodes.EtcdMemberId(node) is null || SimNodes.InMaintenance(node))
            return Unreachable(env.Io, ip);
        if (SimNodes.EtcdMemberId(node) == memberId)
        {
            env.Io.Err("error removing member: rpc error: code = FailedPrecondition desc = cannot remove the node's own member: use talosctl etcd leave on it");
            return 1;
        }
        var target = (await env.Nodes.ListAsync(ct).ConfigureAwait(false)).FirstOrDefault(n => SimNodes.EtcdMemberId(n) == memberId);
        if (target is null)
        {
            env.Io.Err($"error removing member: rpc error: code = NotFound desc = etcdserver: member not found ({memberId})");
            return 1;
        }
        await env.Nodes.SetEtcdMemberAsync(target.Name(), member: false, ct).ConfigureAwait(false);
        await env.Nodes.SetEtcdJoinFailedAsync(target.Name(), false, ct).ConfigureAwait(false);
        return 0;
    }

    /// <summary><c>talosctl get members</c>: cluster discovery — the configured Talos nodes, not etcd's list.</summary>
    private static async Task<int> GetMembersAsync(TaskEnvironment env, IReadOnlyList<string> ips, CancellationToken ct)
    {
        var all = await env.Nodes.ListAsync(ct).ConfigureAwait(false);
        env.Io.Line("NODE           NAMESPACE   TYPE     ID       VERSION   HOSTNAME   MACHINE TYPE   OS                ADDRESSES");
        foreach (var ip in ips)
        {
            if (all.FirstOrDefault(n => SimNodes.InternalIps(n).Contains(ip)) is not { } q || !SimNodes.TalosUp(q) || SimNodes.InMaintenance(q)) return Unreachable(env.Io, ip);
            foreach (var n in all.Where(n => !SimNodes.InMaintenance(n) && SimNodes.TalosUp(n)))
                env.Io.Line($"{ip,-14} cluster     Member   {n.Name()}   1         {n.Name()}     controlplane   Talos ({HomeOpsTopology.TalosVersion})   [\"{SimNodes.InternalIPv4(n)}\"]");
        }
        return 0;
    }

    /// <summary>A configured node serves its machine config; a node in maintenance mode has none (the safe-reset check).</summary>
    private static async Task<int> GetMachineConfigAsync(TaskEnvironment env, IReadOnlyList<string> ips, bool insecure, CancellationToken ct)
    {
        foreach (var ip in ips)
        {
            if (await NodeAsync(env, ip, ct).ConfigureAwait(false) is not { } node || !SimNodes.TalosUp(node)) return Unreachable(env.Io, ip);
            if (SimNodes.InMaintenance(node))
            {
                env.Io.Err($"error: rpc error: code = {(insecure ? "NotFound desc = resource MachineConfigs.config.talos.dev(config/v1alpha1) doesn't exist" : $"Unavailable desc = {ip} is in maintenance mode: use --insecure")}");
                return 1;
            }
            if (insecure) { env.Io.Err($"error: rpc error: code = Unavailable desc = {ip} is not in maintenance mode"); return 1; }
            env.Io.Line("NODE           NAMESPACE   TYPE            ID             VERSION");
            env.Io.Line($"{ip,-14} config      MachineConfig   v1alpha1       3");
        }
        return 0;
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
        // --graceful=false does not leave etcd: partially reset nodes stay listed as members.
        await env.Nodes.ForgetEtcdIfNoMemberSurvivedAsync(ct).ConfigureAwait(false);
        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// <c>talosctl version</c>: the client block, then one server block per node that answers; the nodes that do not
    /// answer are listed on stderr after the others (talosctl's multierror) and the exit code is 1.
    /// </summary>
    private static async Task<int> VersionAsync(TaskEnvironment env, IReadOnlyList<string> ips, bool insecure, CancellationToken ct)
    {
        PrintClientVersion(env.Io);
        var all = await env.Nodes.ListAsync(ct).ConfigureAwait(false);
        var errors = new List<string>();
        var server = false;
        foreach (var ip in ips.DefaultIfEmpty("172.29.51.11"))
        {
            var node = all.FirstOrDefault(n => SimNodes.InternalIps(n).Contains(ip));
            if (node is null || !SimNodes.TalosUp(node))
            {
                errors.Add($"{ip}: rpc error: code = Unavailable desc = connection error: dial tcp {ip}:50000: connect: connection refused");
                continue;
            }
            if (SimNodes.InMaintenance(node) && !insecure)
            {
                errors.Add($"{ip}: rpc error: code = Unavailable desc = the node is in maintenance mode: use --insecure");
                continue;
            }
            if (!server) env.Io.Line("Server:");
            server = true;
            env.Io.Line($"\tNODE:        {ip}");
            env.Io.Line($"\tTag:         {HomeOpsTopology.TalosVersion}{(SimNodes.InMaintenance(node) ? " (maintenance mode)" : "")}");
        }
        if (errors.Count == 0) return 0;
        env.Io.Err(errors.Count == 1 ? $"error getting version: {errors[0][(errors[0].IndexOf(": ", StringComparison.Ordinal) + 2)..]}" : $"error getting version: {errors.Count} errors occurred:");
        foreach (var e in errors) env.Io.Err($"\t* {e}");
        return 1;
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
            name = name switch { "n" => "nodes", "e" => "endpoints", "i" => "insecure", "f" => "force", _ => name };
            if (value is null && name is not ("insecure" or "client" or "graceful" or "wait" or "reboot" or "force") && i + 1 < list.Count && !list[i + 1].StartsWith('-'))
                value = list[++i];
            value ??= "true";
            flags[name] = flags.TryGetValue(name, out var prev) ? prev + "," + value : value;
        }
        return (flags, positional);
    }
}
