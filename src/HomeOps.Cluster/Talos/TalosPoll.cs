using System.Collections.Immutable;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Talos;

/// <summary>What one talosctl run gave: its output, its exit code, or why it did not run or finish (<see cref="Failure"/>).</summary>
public sealed record TalosctlResult(string Stdout, string Stderr, int? ExitCode, string? Failure = null);

/// <summary>
/// Runs <c>talosctl &lt;args&gt;</c> with the talosconfig the workflows use, killed after <paramref name="timeout"/>.
/// The dashboard runs it through the workflows' step runner (the simulator's stand-in in simulator mode); the CLI as a process.
/// </summary>
public interface ITalosctl
{
    Task<TalosctlResult> RunAsync(IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Why talosctl cannot run here at all (not configured), or null: the feed then says "not configured" instead of failing every poll.</summary>
    string? Unavailable => null;
}

/// <summary>A node to ask Talos about: its IP (talosctl addresses nodes by IP) and what Kubernetes says of it.</summary>
public sealed record TalosTarget(string Ip, string? Name, string? KubernetesReady, string KernelVersion);

/// <summary>
/// One poll of the Talos feed: a bounded, fixed set of talosctl commands over all nodes at once (<c>version</c>,
/// <c>get machinestatus</c>, <c>services</c>, <c>etcd status</c>, <c>etcd alarm list</c>, <c>etcd members</c> on one
/// member), plus <c>get machinestatus --insecure</c> for a node that refused the authenticated API (maintenance mode
/// has no client certificate yet). Every command has the timeout; malformed output becomes a message, never an exception.
/// </summary>
public static class TalosPoll
{
    public static readonly string[] WatchedServices = ["etcd", "kubelet", "apid", "trustd", "containerd"];

    public static async Task<TalosReport> RunAsync(ITalosctl talosctl, IReadOnlyList<TalosTarget> targets, TalosReport previous,
        TimeProvider time, TimeSpan timeout, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        if (targets.Count == 0)
            return Failed(previous, "no node IPs known (the Kubernetes Node list is empty)", started);
        var ips = string.Join(',', targets.Select(t => t.Ip));
        Task<TalosctlResult> Run(params string[] args) => Safe(talosctl, args, timeout, ct);

        var version = await Run("version", "--nodes", ips).ConfigureAwait(false);
        // talosctl itself could not run or timed out: nothing was learnt, the feed is not live.
        if (version.Failure is { } failure && version.Stdout.Trim().Length == 0)
            return Failed(previous, $"talosctl version: {failure}", started);
        var machine = await Run("get", "machinestatus", "--nodes", ips).ConfigureAwait(false);
        var services = await Run("services", "--nodes", ips).ConfigureAwait(false);
        var etcdStatus = await Run("etcd", "status", "--nodes", ips).ConfigureAwait(false);
        var alarms = await Run("etcd", "alarm", "list", "--nodes", ips).ConfigureAwait(false);

        var problems = new List<string>();
        var tags = TalosOutputs.Versions(version.Stdout, targets.Count == 1 ? targets[0].Ip : null, out var p1);
        var stages = TalosOutputs.MachineStatus(machine.Stdout, out var p2).GroupBy(s => s.Node).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var serviceRows = TalosOutputs.Services(services.Stdout, out var p3);
        Note(problems, "talosctl version", p1);
        Note(problems, "talosctl get machinestatus", p2);
        Note(problems, "talosctl services", p3);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in (TalosctlResult[])[version, machine, services])
            foreach (var (node, error) in TalosTable.NodeErrors(r.Stderr)) errors.TryAdd(node, error);

        // A node whose authenticated API refused: ask the insecure (maintenance) API for its stage — "maintenance"
        // is then a fact read from Talos, not an inference from a node that disappeared.
        var insecure = new Dictionary<string, (string Stage, bool Ready)>(StringComparer.Ordinal);
        foreach (var t in targets.Where(t => !tags.ContainsKey(t.Ip) && !stages.ContainsKey(t.Ip)))
        {
            var r = await Run("get", "machinestatus", "--insecure", "--nodes", t.Ip).ConfigureAwait(false);
            if (TalosOutputs.MachineStatus(r.Stdout, out _).FirstOrDefault() is { Stage.Length: > 0 } s) insecure[t.Ip] = (s.Stage, s.Ready);
        }

        var now = time.GetUtcNow();
        var nodes = ImmutableArray.CreateBuilder<TalosNode>();
        foreach (var t in targets)
        {
            var last = previous.Nodes.FirstOrDefault(n => n.Ip == t.Ip);
            var answered = tags.ContainsKey(t.Ip) || stages.ContainsKey(t.Ip);
            var maintenance = insecure.TryGetValue(t.Ip, out var ins);
            TalosNode node;
            if (answered || maintenance)
            {
                var stage = maintenance ? ins.Stage : stages.TryGetValue(t.Ip, out var st) ? st.Stage : last?.Stage ?? "";
                node = new TalosNode(t.Ip, t.Name, true, null, now, null, stage,
                    maintenance ? ins.Ready : stages.TryGetValue(t.Ip, out var st2) && st2.Ready,
                    tags.GetValueOrDefault(t.Ip) ?? (maintenance ? last?.TalosVersion ?? "" : ""),
                    t.KernelVersion,
                    maintenance ? [] : [.. serviceRows.Where(s => s.Node == t.Ip)],
                    t.KubernetesReady, Pending);
            }
            else
            {
                var error = errors.GetValueOrDefault(t.Ip) ?? version.Failure ?? TalosTable.FirstLine(version.Stderr) ?? "no answer";
                // The last known values stay for context, but the node is shown as unreachable since the first failure.
                node = new TalosNode(t.Ip, t.Name, false, error, last?.LastAnswerAt, last is { Reachable: false, UnreachableSince: { } since } ? since : now,
                    last?.Stage ?? "", false, last?.TalosVersion ?? "", t.KernelVersion, last?.Services ?? [], t.KubernetesReady, Pending);
            }
            nodes.Add(node with { Verdict = TalosRules.Node(node, now) });
        }

        var etcd = await EtcdAsync(Run, targets, etcdStatus, alarms, problems).ConfigureAwait(false);
        var built = nodes.ToImmutable();
        var freshness = new Freshness(FeedState.Live, true, now, now, previous.Freshness.Reconnects, problems.Count > 0 ? string.Join("; ", problems) : null,
            previous.Freshness.State == FeedState.Live ? previous.Freshness.Since : now, Polled: true);
        return new TalosReport(freshness, now, built, etcd, TalosRules.Cluster(built, etcd, problems));
    }

    private static readonly Verdict Pending = Verdict.Unknown("Pending", "");

    private static void Note(List<string> problems, string command, string? problem)
    {
        if (problem is not null) problems.Add($"{command}: {problem}");
    }

    private static async Task<EtcdView> EtcdAsync(Func<string[], Task<TalosctlResult>> run, IReadOnlyList<TalosTarget> targets,
        TalosctlResult status, TalosctlResult alarmsResult, List<string> problems)
    {
        var rows = TalosTable.Parse(status.Stdout, ["NODE", "MEMBER", "LEADER"], ["DB SIZE", "IN USE", "RAFT INDEX", "RAFT TERM", "RAFT APPLIED INDEX", "LEARNER", "PROTOCOL", "STORAGE", "ERRORS"], out var p)
            .Where(r => r["MEMBER"].Length > 0)
            .Select(r => new EtcdMemberRow(r["NODE"], r["MEMBER"], r["DB SIZE"], r["IN USE"], r["LEADER"],
                string.Equals(r["LEARNER"], "true", StringComparison.OrdinalIgnoreCase), r["ERRORS"]))
            .ToImmutableArray();
        Note(problems, "talosctl etcd status", p);
        var alarms = TalosOutputs.Alarms(alarmsResult.Stdout, out var pa);
        Note(problems, "talosctl etcd alarm list", pa);
        var leader = rows.GroupBy(r => r.Leader).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault(l => l.Length > 0 && l != "0000000000000000");

        // The member list from one member that answered etcd status (another node's list could be stale).
        var ask = rows.Select(r => r.Node).FirstOrDefault() ?? targets[0].Ip;
        var membersResult = await run(["etcd", "members", "--nodes", ask]).ConfigureAwait(false);
        var members = TalosOutputs.Members(membersResult.Stdout, out var pm);
        Note(problems, "talosctl etcd members", pm);
        EtcdQuorum quorum;
        if (members.IsEmpty)
        {
            var why = membersResult.Failure ?? TalosTable.NodeErrors(membersResult.Stderr).Values.FirstOrDefault() ?? TalosTable.FirstLine(membersResult.Stderr) ?? pm ?? "no member listed";
            quorum = EtcdQuorum.Unknown($"etcd members could not be read from {ask}: {why}");
        }
        else
        {
            var voters = members.Where(m => !m.Learner).ToList();
            var healthy = voters.Where(m => rows.Any(r => r.Member == m.Id && !r.Learner && r.Errors.Length == 0) && alarms.All(a => a.Member != m.Id))
                .Select(m => m.Hostname.Length > 0 ? m.Hostname : m.Id).ToImmutableArray();
            var down = voters.Where(m => !healthy.Contains(m.Hostname.Length > 0 ? m.Hostname : m.Id)).Select(m => m.Hostname.Length > 0 ? m.Hostname : m.Id).ToList();
            var message = $"{healthy.Length} of {voters.Count} voting etcd members healthy (quorum needs {voters.Count / 2 + 1})"
                          + (down.Count > 0 ? $"; not healthy: {string.Join(", ", down)}" : "")
                          + (members.Any(m => m.Learner) ? $"; learners: {string.Join(", ", members.Where(m => m.Learner).Select(m => m.Hostname))}" : "");
            quorum = new EtcdQuorum(true, voters.Count, healthy.Length, healthy, message);
        }
        return new EtcdView(members, rows, leader, alarms, quorum);
    }

    private static TalosReport Failed(TalosReport previous, string error, DateTimeOffset now)
    {
        var f = previous.Freshness;
        // Error while never polled, else Reconnecting: the last data stays, shown as "unreachable since …".
        var state = f.Synced ? FeedState.Reconnecting : FeedState.Error;
        var since = f.State == state ? f.Since : now;
        var freshness = f with { State = state, LastError = error, Since = since, Reconnects = f.Reconnects + (f.State == FeedState.Live ? 1 : 0), Polled = true };
        var nodes = previous.Nodes.Select(n => n with
        {
            Reachable = false,
            Error = error,
            UnreachableSince = n.UnreachableSince ?? since,
        }).Select(n => n with { Verdict = TalosRules.FeedUnavailable(n, since, error) }).ToImmutableArray();
        return previous with
        {
            Freshness = freshness,
            Nodes = nodes,
            Verdict = new Verdict(HealthStatus.Unknown, "TalosUnreachable", $"Talos unreachable since {since:HH:mm:ss} UTC: {error}", since),
        };
    }

    private static async Task<TalosctlResult> Safe(ITalosctl talosctl, string[] args, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            return await talosctl.RunAsync(args, timeout, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return new TalosctlResult("", "", null, $"talosctl could not run ({e.GetType().Name})");
        }
    }
}

/// <summary>The Talos verdicts, computed once here; the Nodes page, the tile, the CLI, /metrics and the pre-flight read them.</summary>
public static class TalosRules
{
    public static Verdict Node(TalosNode n, DateTimeOffset now)
    {
        if (!n.Reachable)
        {
            var since = n.UnreachableSince ?? now;
            var k8s = n.KubernetesReady == "True" ? " (Kubernetes still reports it Ready)" : "";
            return new Verdict(HealthStatus.Failed, "TalosUnreachable",
                $"Talos API (apid) unreachable since {Freshness.Age(now - since)} ago: {n.Error}{k8s}", since);
        }
        if (n.Stage == "maintenance")
            return new Verdict(HealthStatus.Degraded, "Maintenance", "maintenance mode (read from Talos): no machine config — apply one to rejoin the cluster");
        if (n.Stage.Length > 0 && n.Stage != "running")
            return new Verdict(HealthStatus.Progressing, "Stage", $"Talos stage {n.Stage}");
        var bad = new List<string>();
        foreach (var id in TalosPoll.WatchedServices)
        {
            if (n.Service(id) is not { } s) bad.Add($"{id} not listed");
            else if (!s.Healthy) bad.Add(s.Describe);
        }
        if (bad.Count > 0)
            return new Verdict(HealthStatus.Degraded, "ServiceUnhealthy", $"Talos {n.Stage}; services not healthy: {string.Join("; ", bad)}");
        if (n.KubernetesReady is { } ready && ready != "True")
            return new Verdict(HealthStatus.Degraded, "KubernetesNotReady", $"Talos running, services healthy, but Kubernetes NotReady (Ready={ready})");
        if (n.Stage.Length == 0)
            return new Verdict(HealthStatus.Unknown, "NoStage", "Talos answered but its machine stage was not read");
        return new Verdict(HealthStatus.Healthy, "Running", $"Talos running{(n.TalosVersion.Length > 0 ? $" {n.TalosVersion}" : "")}, services healthy");
    }

    /// <summary>
    /// etcd's own verdict (the Etcd object of the Nodes area): no quorum → Failed; a voting member not healthy or an
    /// alarm (NOSPACE, CORRUPT) → Degraded; the member list not readable → Unknown; otherwise Healthy.
    /// </summary>
    public static Verdict Etcd(EtcdView etcd)
    {
        var q = etcd.Quorum;
        if (!q.Known) return Verdict.Unknown("EtcdUnknown", $"etcd: {q.Message}");
        if (!q.HasQuorum) return new Verdict(HealthStatus.Failed, "EtcdNoQuorum", $"etcd has no quorum: {q.Message}");
        if (!etcd.Alarms.IsEmpty)
            return new Verdict(HealthStatus.Degraded, "EtcdAlarm",
                $"etcd alarms: {string.Join(", ", etcd.Alarms.Select(a => $"{a.Alarm} on {a.Member}"))}; {q.Message}");
        if (q.Healthy < q.Voters) return new Verdict(HealthStatus.Degraded, "EtcdMemberUnhealthy", $"etcd: {q.Message}");
        if (etcd.Leader is null) return new Verdict(HealthStatus.Degraded, "EtcdNoLeader", $"etcd: {q.Message}, but no member reports a leader");
        return new Verdict(HealthStatus.Healthy, "EtcdHealthy", $"etcd: {q.Message}, leader {etcd.Leader}");
    }

    /// <summary>
    /// A node's verdict while the feed itself failed (talosctl could not run or answered nothing): Unknown, never Failed —
    /// the node was not found down, Talos was not read. The last known stage is named, marked as such.
    /// </summary>
    public static Verdict FeedUnavailable(TalosNode n, DateTimeOffset since, string error) =>
        new(HealthStatus.Unknown, "TalosFeedUnreachable",
            $"not read: the Talos feed is unreachable since {since:HH:mm:ss} UTC ({error}){(n.Stage.Length > 0 ? $"; last known stage {n.Stage}" : "")}", since);

    public static Verdict Cluster(ImmutableArray<TalosNode> nodes, EtcdView etcd, IReadOnlyList<string> problems)
    {
        var q = etcd.Quorum;
        if (q.Known && !q.HasQuorum)
            return new Verdict(HealthStatus.Failed, "EtcdNoQuorum", $"etcd has no quorum: {q.Message}");
        var worst = HealthOrder(nodes);
        var parts = new List<string>();
        if (!q.Known) parts.Add($"etcd: {q.Message}");
        else if (q.Healthy < q.Voters || !etcd.Alarms.IsEmpty) parts.Add($"etcd: {q.Message}{(etcd.Alarms.IsEmpty ? "" : $", alarms {string.Join(", ", etcd.Alarms.Select(a => a.Alarm))}")}");
        parts.AddRange(nodes.Where(n => !n.Verdict.IsOk).Select(n => $"{n.Name ?? n.Ip}: {n.Verdict.Message}"));
        parts.AddRange(problems);
        if (parts.Count == 0) return new Verdict(HealthStatus.Healthy, "Healthy", $"Talos: {nodes.Length} node(s) running; {q.Message}");
        // One node down while etcd keeps quorum is Degraded for the cluster (the node itself is Failed).
        var health = !q.Known ? HealthStatus.Unknown : q.Healthy < q.Voters || !etcd.Alarms.IsEmpty ? HealthStatus.Degraded : HealthStatus.Healthy;
        var fromNodes = worst == HealthStatus.Failed ? HealthStatus.Degraded : worst;
        if (Rank(fromNodes) > Rank(health)) health = fromNodes;
        if (health == HealthStatus.Healthy) health = HealthStatus.Degraded; // problems were listed
        return new Verdict(health, "TalosDegraded", string.Join("; ", parts));
    }

    private static int Rank(HealthStatus h) =>
        h switch { HealthStatus.Failed => 5, HealthStatus.Degraded => 4, HealthStatus.Progressing => 3, HealthStatus.Unknown => 2, _ => 0 };

    private static HealthStatus HealthOrder(ImmutableArray<TalosNode> nodes) =>
        nodes.Select(n => n.Verdict.Health).DefaultIfEmpty(HealthStatus.Healthy).OrderByDescending(Rank).First();
}
