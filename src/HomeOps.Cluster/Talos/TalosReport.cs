using System.Collections.Immutable;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Talos;

/// <summary>
/// What Talos said about one node in the last poll, with the verdict computed once (<see cref="TalosRules.Node"/>).
/// <see cref="Reachable"/> is apid reachability: the node's apid answered the last poll (authenticated, or — in
/// maintenance mode — only over the insecure API). When it did not, the last known values stay, and
/// <see cref="UnreachableSince"/> says since when they are not current.
/// </summary>
public sealed record TalosNode(
    string Ip,
    string? Name,
    bool Reachable,
    string? Error,
    DateTimeOffset? LastAnswerAt,
    DateTimeOffset? UnreachableSince,
    string Stage,
    bool MachineReady,
    string TalosVersion,
    string KernelVersion,
    ImmutableArray<TalosService> Services,
    string? KubernetesReady,
    Verdict Verdict)
{
    public bool InMaintenance => Reachable && Stage == "maintenance";

    public TalosService? Service(string id) => Services.FirstOrDefault(s => s.Id == id);
}

/// <summary>etcd as Talos reports it: the member list, each member's status row, the leader, DB sizes and alarms, and the quorum verdict.</summary>
public sealed record EtcdView(
    ImmutableArray<EtcdMember> Members,
    ImmutableArray<EtcdMemberRow> Status,
    string? Leader,
    ImmutableArray<EtcdAlarm> Alarms,
    EtcdQuorum Quorum);

/// <summary>One member's own status row (<c>talosctl etcd status</c>): DB size, leader it sees, learner, errors.</summary>
public sealed record EtcdMemberRow(string Node, string Member, string DbSize, string InUse, string Leader, bool Learner, string Errors);

/// <summary>
/// The quorum verdict from etcd itself: the voting members etcd lists, how many of them answered healthy (a status row
/// with no error, not a learner, no alarm), and how many quorum needs (members / 2 + 1).
/// </summary>
public sealed record EtcdQuorum(bool Known, int Voters, int Healthy, ImmutableArray<string> HealthyMembers, string Message)
{
    public int Needed => Voters / 2 + 1;

    public bool HasQuorum => Known && Voters > 0 && Healthy >= Needed;

    public static EtcdQuorum Unknown(string why) => new(false, 0, 0, [], why);
}

/// <summary>
/// The Talos feed's state: the last poll's nodes and etcd, the feed's own freshness (live, or unreachable since …),
/// and the verdicts. Immutable; <see cref="TalosFeed"/> replaces it after each poll.
/// </summary>
public sealed record TalosReport(
    Freshness Freshness,
    DateTimeOffset? PolledAt,
    ImmutableArray<TalosNode> Nodes,
    EtcdView? Etcd,
    Verdict Verdict)
{
    /// <summary>Not configured (no talosconfig, no runner): the reason is the verdict's message.</summary>
    public static TalosReport NotConfigured(string why, DateTimeOffset now) =>
        new(new Freshness(FeedState.NotInstalled, false, null, null, 0, why, now, Polled: true), null, [], null,
            Verdict.Unknown("TalosNotConfigured", why));

    public static TalosReport Connecting(DateTimeOffset now) =>
        new(Freshness.Initial(now, polled: true), null, [], null, Verdict.Unknown("TalosConnecting", "Talos not polled yet"));

    public bool IsLive => Freshness.IsLive;

    public TalosNode? Node(string name) => Nodes.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// The quorum that decisions may use: only from a live poll whose etcd answered. Null means "not from Talos" —
    /// the caller must say so and fall back explicitly; the string says why.
    /// </summary>
    public EtcdQuorum? UsableQuorum(out string why)
    {
        if (!IsLive)
        {
            why = Freshness.State switch
            {
                FeedState.NotInstalled => $"the Talos feed is not configured ({Freshness.LastError})",
                FeedState.Connecting => "the Talos feed has not answered yet",
                _ => $"the Talos feed is unreachable since {Freshness.Since:HH:mm:ss} UTC ({Freshness.LastError})",
            };
            return null;
        }
        if (Etcd is not { Quorum.Known: true } etcd)
        {
            why = Etcd?.Quorum.Message ?? "etcd did not answer";
            return null;
        }
        why = "";
        return etcd.Quorum;
    }

    /// <summary>One line for the CLI and the tile: "etcd: 3/3 members healthy, leader a49c… (quorum 2)".</summary>
    public string EtcdLine(DateTimeOffset now)
    {
        if (Freshness.State == FeedState.NotInstalled) return $"etcd: unknown — {Freshness.LastError}";
        if (Etcd is not { } e) return $"etcd: unknown — {Freshness.Describe(now)}";
        var stale = IsLive ? "" : $" [{Freshness.Describe(now)}]";
        if (!e.Quorum.Known) return $"etcd: unknown — {e.Quorum.Message}{stale}";
        var alarms = e.Alarms.IsEmpty ? "" : $", alarms: {string.Join(", ", e.Alarms.Select(a => $"{a.Alarm} on {a.Member}"))}";
        return $"etcd: {(e.Quorum.HasQuorum ? "quorum" : "NO QUORUM")} — {e.Quorum.Healthy}/{e.Quorum.Voters} voting members healthy (needs {e.Quorum.Needed}), leader {e.Leader ?? "none"}{alarms}{stale}";
    }
}
