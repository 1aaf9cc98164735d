using System.Collections.Immutable;
using System.Text.RegularExpressions;
using HomeOps.Cluster.Health;

namespace HomeOps.Cluster.Talos;

/// <summary>One row of a talosctl table, cells by column name ("" for a column the row leaves empty).</summary>
public sealed record TalosRow(IReadOnlyDictionary<string, string> Cells)
{
    public string this[string column] => Cells.GetValueOrDefault(column) ?? "";
}

/// <summary>
/// talosctl's tables (<c>services</c>, <c>get &lt;resource&gt;</c>, <c>etcd members</c>, <c>etcd alarm list</c>):
/// tabwriter output, one header, cells padded with spaces. A cell may itself contain a space ("14m30s ago",
/// "shutting down"), so cells are cut at the header's column positions, never split on whitespace. Column names are
/// matched whole (<see cref="EtcdStatusTable.IndexOfColumn"/>). Per-node failures come on stderr as
/// <c>* 10.5.0.2: rpc error: …</c> (talosctl's multierror), with exit code 1 even when other nodes answered.
/// </summary>
public static partial class TalosTable
{
    [GeneratedRegex(@"^\s*\*\s+(?<node>[0-9A-Za-z:.\-_]+):\s*(?<error>.+)$", RegexOptions.Multiline)]
    private static partial Regex NodeError();

    /// <summary>
    /// The rows under the header that names <paramref name="required"/> (and any of <paramref name="optional"/>).
    /// <paramref name="problem"/> says why the text is not that table; empty output is no rows and no problem.
    /// </summary>
    public static ImmutableArray<TalosRow> Parse(string stdout, IReadOnlyList<string> required, IReadOnlyList<string> optional, out string? problem)
    {
        problem = null;
        var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0) return [];
        var headerAt = lines.FindIndex(l => required.All(c => EtcdStatusTable.IndexOfColumn(l, c) >= 0));
        if (headerAt < 0)
        {
            problem = $"not the expected talosctl table (no header with {string.Join(", ", required)})";
            return [];
        }
        var header = lines[headerAt];
        var starts = required.Concat(optional)
            .Select(c => (Name: c, At: EtcdStatusTable.IndexOfColumn(header, c)))
            .Where(s => s.At >= 0)
            .OrderBy(s => s.At)
            .ToList();
        // Every column the header has, asked for or not, ends the cell before it (a column name never holds two spaces).
        var boundaries = Enumerable.Range(0, header.Length)
            .Where(i => header[i] != ' ' && (i == 0 || i >= 2 && header[i - 1] == ' ' && header[i - 2] == ' '))
            .ToList();
        var rows = ImmutableArray.CreateBuilder<TalosRow>();
        foreach (var line in lines.Skip(headerAt + 1))
        {
            // A line that is not a row (a stray message, a truncated capture) must not shift the cells: a row starts
            // at column 0 with a non-space, like the header.
            if (char.IsWhiteSpace(line[0])) continue;
            var cells = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < starts.Count; i++)
            {
                var from = starts[i].At;
                if (from >= line.Length) { cells[starts[i].Name] = ""; continue; }
                var next = boundaries.FirstOrDefault(b => b > from, line.Length);
                var to = Math.Min(next, line.Length);
                cells[starts[i].Name] = line[from..to].Trim();
            }
            rows.Add(new TalosRow(cells));
        }
        return rows.ToImmutable();
    }

    /// <summary>The per-node errors talosctl printed on stderr (<c>* node: error</c>), by node.</summary>
    public static IReadOnlyDictionary<string, string> NodeErrors(string stderr)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in NodeError().Matches(stderr)) errors.TryAdd(m.Groups["node"].Value, m.Groups["error"].Value.Trim());
        return errors;
    }

    /// <summary>The first non-empty line of a text, trimmed; null for none.</summary>
    public static string? FirstLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
}

/// <summary>One Talos service as <c>talosctl services</c> lists it: STATE (Running, Preparing, Waiting, Finished, Failed…) and HEALTH (OK, Fail, ?).</summary>
public sealed record TalosService(string Node, string Id, string State, string Health, string LastEvent)
{
    /// <summary>Running with a passing health check.</summary>
    public bool Healthy => State == "Running" && Health == "OK";

    public string Describe => Health is "OK" or "" ? $"{Id} {State}" : $"{Id} {State} (health {Health}{(LastEvent.Length > 0 ? $": {LastEvent}" : "")})";
}

/// <summary>One etcd member as <c>talosctl etcd members</c> lists it.</summary>
public sealed record EtcdMember(string Id, string Hostname, string PeerUrls, bool Learner);

/// <summary>One etcd alarm (<c>talosctl etcd alarm list</c>): NOSPACE, CORRUPT.</summary>
public sealed record EtcdAlarm(string Node, string Member, string Alarm);

/// <summary>The readers of each talosctl output the Talos feed runs. Each returns rows and a problem (null when the text was that output).</summary>
public static class TalosOutputs
{
    /// <summary><c>talosctl services</c>: NODE SERVICE STATE HEALTH LAST CHANGE LAST EVENT.</summary>
    public static ImmutableArray<TalosService> Services(string stdout, out string? problem) =>
        [.. TalosTable.Parse(stdout, ["NODE", "SERVICE", "STATE", "HEALTH"], ["LAST CHANGE", "LAST EVENT"], out problem)
            .Where(r => r["SERVICE"].Length > 0)
            .Select(r => new TalosService(r["NODE"], r["SERVICE"], r["STATE"], r["HEALTH"], r["LAST EVENT"]))];

    /// <summary>
    /// <c>talosctl service &lt;id&gt;</c> (one service, key/value lines: NODE, ID, STATE, HEALTH, LAST HEALTH MESSAGE,
    /// EVENTS). The first event line is the last event.
    /// </summary>
    public static TalosService? Service(string stdout, out string? problem)
    {
        problem = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in stdout.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || char.IsWhiteSpace(line[0])) continue;
            foreach (var key in (string[])["LAST HEALTH MESSAGE", "NODE", "ID", "STATE", "HEALTH", "EVENTS"])
                if (line.StartsWith(key, StringComparison.Ordinal) && (line.Length == key.Length || line[key.Length] == ' '))
                {
                    values.TryAdd(key, line[key.Length..].Trim());
                    break;
                }
        }
        if (!values.TryGetValue("ID", out var id) || !values.TryGetValue("STATE", out var state))
        {
            problem = stdout.Trim().Length == 0 ? "talosctl service printed nothing" : "not talosctl service output (no ID and STATE lines)";
            return null;
        }
        var last = values.GetValueOrDefault("LAST HEALTH MESSAGE") ?? Regex.Replace(values.GetValueOrDefault("EVENTS") ?? "", @"^\[[^\]]*\]:\s*", "");
        return new TalosService(values.GetValueOrDefault("NODE") ?? "", id, state, values.GetValueOrDefault("HEALTH") ?? "", last);
    }

    /// <summary>
    /// <c>talosctl get machinestatus</c>: NODE NAMESPACE TYPE ID VERSION STAGE READY — the machine's stage (booting,
    /// installing, maintenance, running, rebooting, shutting down, resetting, upgrading) and readiness, by node.
    /// </summary>
    public static ImmutableArray<(string Node, string Stage, bool Ready)> MachineStatus(string stdout, out string? problem) =>
        [.. TalosTable.Parse(stdout, ["NODE", "ID", "STAGE", "READY"], ["NAMESPACE", "TYPE", "VERSION"], out problem)
            .Select(r => (r["NODE"], r["STAGE"].ToLowerInvariant(), string.Equals(r["READY"], "true", StringComparison.OrdinalIgnoreCase)))];

    /// <summary><c>talosctl etcd members</c>: NODE ID HOSTNAME PEER URLS CLIENT URLS LEARNER (the list as the asked node's etcd knows it).</summary>
    public static ImmutableArray<EtcdMember> Members(string stdout, out string? problem)
    {
        var rows = TalosTable.Parse(stdout, ["ID", "HOSTNAME", "LEARNER"], ["NODE", "PEER URLS", "CLIENT URLS"], out problem);
        // Several nodes asked at once list the same members once per node: one row per member ID.
        return [.. rows.Where(r => r["ID"].Length > 0).DistinctBy(r => r["ID"], StringComparer.Ordinal)
            .Select(r => new EtcdMember(r["ID"], r["HOSTNAME"], r["PEER URLS"], string.Equals(r["LEARNER"], "true", StringComparison.OrdinalIgnoreCase)))];
    }

    /// <summary><c>talosctl etcd alarm list</c>: NODE MEMBER ALARM; no rows when there is no alarm.</summary>
    public static ImmutableArray<EtcdAlarm> Alarms(string stdout, out string? problem) =>
        [.. TalosTable.Parse(stdout, ["MEMBER", "ALARM"], ["NODE"], out problem)
            .Where(r => r["ALARM"].Length > 0 && r["ALARM"] != "NONE")
            .Select(r => new EtcdAlarm(r["NODE"], r["MEMBER"], r["ALARM"]))];

    /// <summary>
    /// <c>talosctl version</c>: a Client block, then under <c>Server:</c> one block per node starting with
    /// <c>NODE:</c>, each with <c>Tag:</c> (tab-indented, as talosctl prints it). Without NODE lines (one endpoint,
    /// no --nodes) the one server's tag is reported under <paramref name="singleNode"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Versions(string stdout, string? singleNode, out string? problem)
    {
        problem = null;
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var inServer = false;
        string? node = null;
        foreach (var raw in stdout.Split('\n'))
        {
            var line = raw.Trim();
            if (line == "Server:") { inServer = true; node = null; continue; }
            if (line == "Client:") { inServer = false; continue; }
            if (!inServer) continue;
            if (line.StartsWith("NODE:", StringComparison.Ordinal)) node = line["NODE:".Length..].Trim();
            else if (line.StartsWith("Tag:", StringComparison.Ordinal) && (node ?? singleNode) is { } n) tags[n] = line["Tag:".Length..].Trim();
        }
        if (tags.Count == 0 && stdout.Trim().Length > 0 && !stdout.Contains("Client:", StringComparison.Ordinal))
            problem = "not talosctl version output (no Client: or Server: block)";
        return tags;
    }
}
