using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace HomeOps.Cluster.Health;

/// <summary>One row of <c>talosctl etcd status</c>: one node's etcd member as that member reports itself.</summary>
public sealed record EtcdMemberStatus(string Node, string Member, string Leader, long RaftIndex, long RaftTerm, bool Learner, string Errors);

/// <summary>The verdict over one <c>talosctl etcd status</c> of all the control-plane nodes: computed once, here.</summary>
public sealed record EtcdHealth(bool Healthy, string Message, ImmutableArray<EtcdMemberStatus> Members);

/// <summary>
/// Reads <c>talosctl etcd status</c> as the real tool prints it: a header (NODE MEMBER DB SIZE IN USE LEADER RAFT INDEX
/// RAFT TERM RAFT APPLIED INDEX LEARNER [PROTOCOL STORAGE] ERRORS — the bracketed columns appear in newer talosctl),
/// one row per node that answered, and for each node that did not, an error on stderr (<c>* 172.29.51.12: rpc error…</c>)
/// with exit code 1. Columns are located by the header's positions, as the table is padded with spaces and the
/// IN USE cell itself contains a space.
/// Healthy means: every expected node answered with a row, none is a learner or reports errors (alarms), all agree on
/// one leader, and that leader is one of them.
/// </summary>
public static partial class EtcdStatusTable
{
    private static readonly string[] Columns = ["NODE", "MEMBER", "DB SIZE", "IN USE", "LEADER", "RAFT INDEX", "RAFT TERM", "RAFT APPLIED INDEX", "LEARNER", "PROTOCOL", "STORAGE", "ERRORS"];

    [GeneratedRegex(@"\*\s+(?<node>[0-9a-fA-F:.]+):\s*(?<error>.+)")]
    private static partial Regex NodeError();

    public static EtcdHealth Evaluate(string stdout, string stderr, int? exitCode, IReadOnlyCollection<string> expectedNodes)
    {
        var members = Parse(stdout, out var problem);
        if (problem is not null) return new(false, problem, members);
        var errors = NodeError().Matches(stderr).ToDictionary(m => m.Groups["node"].Value, m => m.Groups["error"].Value.Trim(), StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var node in expectedNodes.Where(n => members.All(m => m.Node != n)))
            problems.Add($"{node} did not answer ({errors.GetValueOrDefault(node) ?? FirstLine(stderr) ?? "no row"})");
        foreach (var m in members.Where(m => m.Learner)) problems.Add($"{m.Node} ({m.Member}) is a learner, not a voting member");
        foreach (var m in members.Where(m => m.Errors.Length > 0)) problems.Add($"{m.Node} ({m.Member}) reports errors: {m.Errors}");
        var leaders = members.Select(m => m.Leader).Distinct(StringComparer.Ordinal).ToList();
        if (leaders.Count > 1) problems.Add($"the members disagree on the leader ({string.Join(", ", leaders)})");
        else if (leaders.Count == 1 && members.All(m => m.Member != leaders[0])) problems.Add($"leader {leaders[0]} is not among the members that answered");
        if (members.IsEmpty && problems.Count == 0) problems.Add("no member answered" + (FirstLine(stderr) is { } e ? $": {e}" : ""));
        if (problems.Count == 0 && exitCode is not 0) problems.Add($"talosctl exited {exitCode?.ToString() ?? "without a code"}: {FirstLine(stderr) ?? "no message"}");
        return problems.Count == 0
            ? new(true, $"etcd healthy: {members.Length} of {expectedNodes.Count} members answered, leader {leaders[0]}, raft term {members.Max(m => m.RaftTerm)}", members)
            : new(false, "etcd not healthy: " + string.Join("; ", problems), members);
    }

    /// <summary>The rows of the table; <paramref name="problem"/> is set when the output is not that table.</summary>
    public static ImmutableArray<EtcdMemberStatus> Parse(string stdout, out string? problem)
    {
        problem = null;
        var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
        var headerAt = lines.FindIndex(l => l.StartsWith("NODE", StringComparison.Ordinal) && l.Contains("LEADER", StringComparison.Ordinal));
        if (headerAt < 0)
        {
            problem = lines.Count == 0 ? null : "the output is not talosctl etcd status's table (no NODE … LEADER header)";
            return [];
        }
        var header = lines[headerAt];
        var starts = new List<(string Name, int At)>();
        foreach (var c in Columns)
        {
            var at = IndexOfColumn(header, c);
            if (at >= 0) starts.Add((c, at));
        }
        starts.Sort((a, b) => a.At.CompareTo(b.At));
        foreach (var required in new[] { "NODE", "MEMBER", "LEADER", "RAFT INDEX", "RAFT TERM", "LEARNER", "ERRORS" })
            if (starts.All(s => s.Name != required)) { problem = $"talosctl etcd status printed no {required} column"; return []; }

        var rows = ImmutableArray.CreateBuilder<EtcdMemberStatus>();
        foreach (var line in lines.Skip(headerAt + 1))
        {
            string Cell(string name)
            {
                var i = starts.FindIndex(s => s.Name == name);
                var from = starts[i].At;
                if (from >= line.Length) return "";
                var to = i + 1 < starts.Count ? Math.Min(starts[i + 1].At, line.Length) : line.Length;
                return line[from..to].Trim();
            }
            var node = Cell("NODE");
            if (node.Length == 0) continue;
            rows.Add(new EtcdMemberStatus(node, Cell("MEMBER"), Cell("LEADER"),
                long.TryParse(Cell("RAFT INDEX"), out var index) ? index : -1,
                long.TryParse(Cell("RAFT TERM"), out var term) ? term : -1,
                string.Equals(Cell("LEARNER"), "true", StringComparison.OrdinalIgnoreCase),
                Cell("ERRORS")));
        }
        return rows.ToImmutable();
    }

    // "RAFT INDEX" is also the start of "RAFT APPLIED INDEX"'s neighbour text; match whole column names only.
    internal static int IndexOfColumn(string header, string name)
    {
        for (var at = header.IndexOf(name, StringComparison.Ordinal); at >= 0; at = header.IndexOf(name, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 || header[at - 1] == ' ' && (at < 2 || header[at - 2] == ' ');
            var end = at + name.Length;
            var after = end >= header.Length || header[end] == ' ' && (end + 1 >= header.Length || header[end + 1] == ' ');
            if (before && after) return at;
        }
        return -1;
    }

    private static string? FirstLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
}
