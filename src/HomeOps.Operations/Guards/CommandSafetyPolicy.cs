using System.Net;
using System.Net.Sockets;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Guards;

/// <summary>
/// Commands the dashboard must never run, checked twice: when a definition is loaded (so a bad definition — shipped
/// or an override — is rejected at startup) and again on the resolved argv just before a process starts.
/// Source: cluster brief §2.5 ("NEVER use 'talosctl reset' without partition specifications") and the forbidden list
/// of docs/SUBTASK_SAFETY_GUIDELINES.md.
/// </summary>
public static class CommandSafetyPolicy
{
    /// <summary>The only partitions a reset may wipe. STATE: machine config and node identity; EPHEMERAL: /var.</summary>
    public static readonly IReadOnlySet<string> AllowedWipeLabels = new HashSet<string>(StringComparer.Ordinal) { "STATE", "EPHEMERAL" };

    /// <summary>
    /// The home-ops Taskfile task that resets nodes. Checked by the command it runs, not by the workflow that runs it:
    /// any step of any definition (shipped or an operator's override) that invokes this task is held to its contract,
    /// whatever the workflow calls itself or declares about itself. (The shipped workflow that runs it happens to carry
    /// the same name as its id, <see cref="WorkflowIds.SafeReset"/>; the two are separate facts.)
    /// </summary>
    public const string SafeResetTask = "cluster:safe-reset";

    private const string LabelsFlag = "--system-labels-to-wipe";

    private static readonly HashSet<string> DiskTools = new(StringComparer.Ordinal) { "dd", "mkfs", "wipefs", "sgdisk", "fdisk", "sfdisk", "parted", "shred", "blkdiscard" };

    private static readonly HashSet<string> ClusterWideDeleteTargets = new(StringComparer.Ordinal) { "node", "nodes", "no", "namespace", "namespaces", "ns" };

    /// <summary>
    /// Problems with a command. <paramref name="resolved"/> is false for definitions as written (placeholders still in
    /// place) and true for the argv/env about to run.
    /// </summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env, bool resolved)
    {
        var problems = new List<string>();
        if (argv.Count == 0) return problems;
        var names = argv.Select(BaseName).ToList();

        for (var i = 0; i < argv.Count; i++)
        {
            var n = names[i];
            if (DiskTools.Contains(n) || n.StartsWith("mkfs.", StringComparison.Ordinal))
                problems.Add($"'{n}' writes to disks directly and is forbidden");
        }

        var talos = names.IndexOf("talosctl");
        if (talos >= 0 && argv.Skip(talos + 1).Any(a => a == "reset"))
            CheckTalosReset(argv.Skip(talos + 1).ToList(), problems);

        var kubectl = names.IndexOf("kubectl");
        if (kubectl >= 0)
        {
            var rest = argv.Skip(kubectl + 1).ToList();
            if (rest.Contains("delete") && rest.Any(a => a is "--all" or "-A" or "--all-namespaces")
                && rest.Any(a => ClusterWideDeleteTargets.Contains(a.Split('/')[0])))
                problems.Add("kubectl delete of all nodes or namespaces is forbidden");
        }

        var etcdctl = names.IndexOf("etcdctl");
        if (etcdctl >= 0)
        {
            var rest = argv.Skip(etcdctl + 1).ToList();
            if (rest.Contains("del") && rest.Any(a => a.StartsWith("--from-key", StringComparison.Ordinal) || a.StartsWith("--prefix", StringComparison.Ordinal)))
                problems.Add("etcdctl del with --from-key/--prefix (deleting the keyspace) is forbidden");
        }

        var task = names.IndexOf("task");
        if (task >= 0 && argv.Skip(task + 1).Any(a => a == SafeResetTask))
            CheckSafeResetTask(argv.Skip(task + 1).ToList(), env, resolved, problems);

        return problems;
    }

    private static void CheckTalosReset(List<string> args, List<string> problems)
    {
        var labels = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == LabelsFlag)
            {
                if (i + 1 >= args.Count) { problems.Add($"talosctl reset: {LabelsFlag} has no value"); continue; }
                labels.AddRange(args[++i].Split(','));
            }
            else if (a.StartsWith(LabelsFlag + "=", StringComparison.Ordinal))
                labels.AddRange(a[(LabelsFlag.Length + 1)..].Split(','));
            else if (a.StartsWith("--wipe-mode", StringComparison.Ordinal))
                problems.Add("talosctl reset: --wipe-mode is forbidden (--wipe-mode=all wipes the whole disk); only STATE and EPHEMERAL may be wiped");
            else if (a.StartsWith("--user-disks-to-wipe", StringComparison.Ordinal))
                problems.Add("talosctl reset: --user-disks-to-wipe is forbidden (the USB SSDs hold Longhorn replicas)");
        }
        if (labels.Any(l => l.Contains('{') || l.Contains('}')))
            problems.Add("talosctl reset: partition labels must be literal, never a placeholder");
        var set = labels.Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        if (set.Count == 0)
            problems.Add($"talosctl reset without {LabelsFlag} STATE {LabelsFlag} EPHEMERAL is forbidden: it would wipe the whole system disk");
        else
        {
            var extra = set.Except(AllowedWipeLabels).Order(StringComparer.Ordinal).ToList();
            var missing = AllowedWipeLabels.Except(set).Order(StringComparer.Ordinal).ToList();
            if (extra.Count > 0) problems.Add($"talosctl reset may wipe only STATE and EPHEMERAL, not {string.Join(", ", extra)}");
            if (missing.Count > 0) problems.Add($"talosctl reset must name both STATE and EPHEMERAL (missing {string.Join(", ", missing)})");
        }
    }

    /// <summary>
    /// <c>task cluster:safe-reset</c> refuses to run without CONFIRM=SAFE-RESET, and treats a missing or empty NODES as
    /// "all three nodes". So NODES must always be given, from the chosen live nodes, as IPs.
    /// </summary>
    private static void CheckSafeResetTask(List<string> args, IReadOnlyDictionary<string, string> env, bool resolved, List<string> problems)
    {
        string? Var(string key)
        {
            var fromArgs = args.LastOrDefault(a => a.StartsWith(key + "=", StringComparison.Ordinal));
            if (fromArgs is not null) return fromArgs[(key.Length + 1)..];
            return env.TryGetValue(key, out var v) ? v : null;
        }

        if (Var("CONFIRM") != "SAFE-RESET")
            problems.Add("task cluster:safe-reset needs CONFIRM=SAFE-RESET");
        var nodes = Var("NODES");
        if (nodes is null)
        {
            problems.Add("task cluster:safe-reset needs NODES: without it the task resets all three nodes");
            return;
        }
        if (!resolved)
        {
            if (!Placeholders.TryParseWhole(nodes, out var token) || token.Format != PlaceholderFormat.Ips)
                problems.Add("task cluster:safe-reset: NODES must be a node-list parameter as {name:ips} (chosen from the live node list), never a literal");
            return;
        }
        var items = nodes.Split(',', StringSplitOptions.TrimEntries);
        if (nodes.Trim().Length == 0 || items.Length == 0 || items.Any(s => s.Length == 0))
            problems.Add("task cluster:safe-reset: NODES is empty, which the task would treat as all three nodes");
        else if (items.Any(s => !IPAddress.TryParse(s, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork || ip.ToString() != s))
            problems.Add($"task cluster:safe-reset: NODES must be IPv4 addresses, got '{nodes}'");
    }

    private static string BaseName(string element)
    {
        var slash = element.LastIndexOf('/');
        return slash >= 0 ? element[(slash + 1)..] : element;
    }
}
