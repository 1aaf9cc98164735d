using System.Text.Json.Nodes;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// The read-only talosctl commands the dashboard's Talos feed runs, answered from the simulated cluster in the real
/// tool's table shapes (fixtures/talos-cli): <c>services</c>, <c>get machinestatus</c> (with <c>--insecure</c> for a
/// node in maintenance mode) and <c>etcd alarm list</c>. As with the real tool, several nodes are asked at once with
/// <c>--nodes a,b,c</c>; a node that does not answer is reported on stderr as <c>* ip: rpc error …</c> and the exit
/// code is 1 while the nodes that answered are printed.
/// A node rebooting (Ready=Unknown) does not answer; a node in maintenance mode answers only the insecure API, with
/// stage "maintenance"; a configured node whose etcd is not a member or cannot join shows etcd Preparing.
/// </summary>
public static class TalosctlStatusCommands
{
    public static async Task<int> ServicesAsync(TaskEnvironment env, IReadOnlyList<string> ips, bool insecure, CancellationToken ct)
    {
        var all = await env.Nodes.ListAsync(ct).ConfigureAwait(false);
        var rows = new List<string[]>();
        var errors = new List<string>();
        foreach (var ip in ips)
        {
            if (Refused(all, ip, insecure) is { } error) { errors.Add(error); continue; }
            var node = Find(all, ip)!;
            var etcdUp = SimNodes.EtcdMemberId(node) is not null && !SimNodes.EtcdJoinFailed(node);
            rows.Add([ip, "apid", "Running", "OK", "14m30s ago", "Health check successful"]);
            rows.Add([ip, "containerd", "Running", "OK", "14m31s ago", "Health check successful"]);
            rows.Add([ip, "cri", "Running", "OK", "14m30s ago", "Health check successful"]);
            rows.Add(etcdUp
                ? [ip, "etcd", "Running", "OK", "14m20s ago", "Health check successful"]
                : [ip, "etcd", "Preparing", "?", "14m30s ago", "Running pre state"]);
            rows.Add([ip, "kubelet", "Running", "OK", "14m18s ago", "Health check successful"]);
            rows.Add([ip, "machined", "Running", "OK", "14m31s ago", "Health check successful"]);
            rows.Add([ip, "trustd", "Running", "OK", "14m30s ago", "Health check successful"]);
        }
        Table(env.Io, ["NODE", "SERVICE", "STATE", "HEALTH", "LAST CHANGE", "LAST EVENT"], rows);
        return Errors(env.Io, "error listing services", errors);
    }

    /// <summary><c>talosctl get machinestatus</c>: stage running (configured, up), maintenance (reset, only with --insecure).</summary>
    public static async Task<int> MachineStatusAsync(TaskEnvironment env, IReadOnlyList<string> ips, bool insecure, CancellationToken ct)
    {
        var all = await env.Nodes.ListAsync(ct).ConfigureAwait(false);
        var rows = new List<string[]>();
        var errors = new List<string>();
        foreach (var ip in ips)
        {
            if (Refused(all, ip, insecure) is { } error) { errors.Add(error); continue; }
            var node = Find(all, ip)!;
            var maintenance = SimNodes.InMaintenance(node);
            rows.Add([ip, "runtime", "MachineStatus", "machine", maintenance ? "2" : "5", maintenance ? "maintenance" : "running", maintenance ? "false" : "true"]);
        }
        Table(env.Io, ["NODE", "NAMESPACE", "TYPE", "ID", "VERSION", "STAGE", "READY"], rows);
        return Errors(env.Io, "error getting resources", errors);
    }

    /// <summary><c>talosctl etcd alarm list</c>: the simulated etcd raises no alarm; members not running answer with an error.</summary>
    public static async Task<int> AlarmListAsync(TaskEnvironment env, IReadOnlyList<string> ips, CancellationToken ct)
    {
        var all = await env.Nodes.ListAsync(ct).ConfigureAwait(false);
        var errors = new List<string>();
        foreach (var ip in ips)
        {
            if (Refused(all, ip, insecure: false) is { } error) { errors.Add(error); continue; }
            var node = Find(all, ip)!;
            if (SimNodes.EtcdMemberId(node) is null || SimNodes.EtcdJoinFailed(node))
                errors.Add($"{ip}: rpc error: code = Unavailable desc = etcd is not running on this node");
        }
        Table(env.Io, ["NODE", "MEMBER", "ALARM"], []);
        return Errors(env.Io, "error listing alarms", errors);
    }

    private static JsonObject? Find(IReadOnlyList<JsonObject> all, string ip) => all.FirstOrDefault(n => SimNodes.InternalIps(n).Contains(ip));

    /// <summary>Why the node does not answer this API, or null when it does.</summary>
    private static string? Refused(IReadOnlyList<JsonObject> all, string ip, bool insecure)
    {
        var node = Find(all, ip);
        if (node is null || !SimNodes.TalosUp(node))
            return $"{ip}: rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp {ip}:50000: connect: connection refused\"";
        if (SimNodes.InMaintenance(node) && !insecure)
            return $"{ip}: rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: remote error: tls: certificate required\" (maintenance mode: use --insecure)";
        if (!SimNodes.InMaintenance(node) && insecure)
            return $"{ip}: rpc error: code = Unavailable desc = connection error: desc = \"transport: authentication handshake failed: tls: first record does not look like a TLS handshake\" (not in maintenance mode)";
        return null;
    }

    /// <summary>Prints like talosctl's tabwriter: columns padded to the widest cell plus three spaces; nothing when there are no rows and no header wanted.</summary>
    public static void Table(ToolConsole io, IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            string.Concat(cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i] + 3))).TrimEnd();
        io.Line(Line(header));
        foreach (var r in rows) io.Line(Line(r));
    }

    private static int Errors(ToolConsole io, string what, List<string> errors)
    {
        if (errors.Count == 0) return 0;
        io.Err($"{what}: {errors.Count} error{(errors.Count == 1 ? "" : "s")} occurred:");
        foreach (var e in errors) io.Err($"\t* {e}");
        return 1;
    }
}
