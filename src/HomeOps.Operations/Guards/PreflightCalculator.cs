using System.Collections.Immutable;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Cluster.Talos;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Guards;

/// <summary>
/// Computes the blast radius of a destructive run from <see cref="ClusterState"/>: etcd quorum, volume replicas and
/// backups, the dashboard's own node, open failures elsewhere, data freshness, and the definition's known-defect warnings.
/// Pure: the same state gives the same report.
/// </summary>
/// <param name="talos">
/// The Talos feed's last report: when it is live and etcd answered, quorum is judged from etcd's own membership and
/// health (<see cref="EtcdQuorum"/>). Otherwise — no feed, stale, etcd not read — the check says so and falls back to
/// counting Ready control-plane nodes (docs/operations.md, "Quorum").
/// </param>
public sealed class PreflightCalculator(string? dashboardNodeName, TimeSpan backupWarnAge, Func<TalosReport>? talos = null)
{
    /// <param name="apiUnreachable">
    /// The operator typed the "the API is unreachable" override: blocks that come only from stale Node/Volume data turn
    /// into "NOT CHECKED" warnings (what could not be assessed, and why). Every other block stays. Refused (blocking)
    /// while that data is live, since then nothing needs overriding.
    /// </param>
    public PreflightReport Compute(WorkflowDefinition definition, ValidatedParameters parameters, ClusterState state, DateTimeOffset now, bool apiUnreachable = false)
    {
        var pf = definition.Preflight ?? new PreflightDefinition(null, PreflightImpact.None, false, null, null, []);
        var targets = parameters.Nodes(pf.TargetsParameter);
        var fullCluster = pf.FullClusterParameter is not null
                          && parameters.Values.TryGetValue(pf.FullClusterParameter, out var fc)
                          && string.Equals(fc, pf.FullClusterValue, StringComparison.Ordinal);
        var items = new List<PreflightItem>();
        var takesNodesDown = pf.Impact != PreflightImpact.None && !targets.IsEmpty;

        if (takesNodesDown)
        {
            Quorum(pf, targets, fullCluster, state, now, items);
            Volumes(pf, targets, fullCluster, state, now, items);
            DashboardPlacement(pf, targets, fullCluster, items);
        }
        OpenFailures(targets, state, items);
        StaleFeeds(state, now, takesNodesDown, items);
        foreach (var w in pf.Warnings)
        {
            // Known defects of a partial reset (stale etcd members) do not apply when the whole cluster is reset.
            if (fullCluster && w.Contains("partial", StringComparison.OrdinalIgnoreCase)) continue;
            items.Add(new PreflightItem(PreflightSeverity.Warning, "known-defect", w));
        }
        if (apiUnreachable) ApplyOverride(items);
        var ordered = items.OrderByDescending(i => i.Severity).ToImmutableArray();
        return new PreflightReport(now, targets, pf.Impact, fullCluster, ordered, apiUnreachable);
    }

    private const string StaleBlock = PreflightItem.StaleBlockPrefix;

    private static void ApplyOverride(List<PreflightItem> items)
    {
        var stale = items.Where(i => i.IsStaleDataBlock).ToList();
        if (stale.Count == 0)
        {
            items.Add(new(PreflightSeverity.Blocking, "override",
                "the API-unreachable override was typed, but the Node and Longhorn volume data are live: use the normal confirmation"));
            return;
        }
        foreach (var i in stale)
        {
            items.Remove(i);
            items.Add(new(PreflightSeverity.Warning, "not-checked", "NOT CHECKED (API unreachable override): " + i.Message, i.Subjects));
        }
        items.Add(new(PreflightSeverity.Warning, "override",
            "the operator declared the Kubernetes API unreachable: the checks above marked NOT CHECKED were not made; the run relies on the operator's judgement"));
    }

    private void Quorum(PreflightDefinition pf, ImmutableArray<string> targets, bool fullCluster, ClusterState state, DateTimeOffset now, List<PreflightItem> items)
    {
        if (GateData.Staleness(state, now, Kinds.Node) is { } stale)
        {
            items.Add(new(PreflightSeverity.Blocking, "quorum", StaleBlock + $"etcd quorum: {stale}"));
            return;
        }
        var nodes = GateData.Nodes(state).ToList();
        var cp = nodes.Where(GateData.IsControlPlane).ToList();
        var note = "";
        if (cp.Count == 0 && nodes.Count > 0)
        {
            cp = nodes;
            note = " (node roles unknown: every node is assumed to be a control-plane node, as on home-ops)";
        }
        var members = cp.Count;
        if (members == 0)
        {
            items.Add(new(PreflightSeverity.Blocking, "quorum", "no nodes are known: cannot assess etcd quorum"));
            return;
        }
        var quorum = members / 2 + 1;
        var targetSet = targets.ToHashSet(StringComparer.Ordinal);
        var alreadyDown = cp.Where(n => !GateData.IsReady(n) && !targetSet.Contains(n.Meta.Name)).Select(n => n.Meta.Name).ToList();
        var downNote = alreadyDown.Count > 0 ? $"; already not Ready: {string.Join(", ", alreadyDown)}" : "";
        string why;
        EtcdQuorum? etcd;
        if (talos?.Invoke() is { } report) etcd = report.UsableQuorum(out why);
        else (etcd, why) = (null, "no Talos feed in this process");
        var estimate = $"FALLBACK: etcd membership is estimated from control-plane nodes' Node Ready, because the Talos etcd status is not available ({why})";

        if (pf.Impact == PreflightImpact.Wipe && fullCluster)
        {
            var missing = nodes.Select(n => n.Meta.Name).Where(n => !targetSet.Contains(n)).ToList();
            if (missing.Count > 0)
                items.Add(new(PreflightSeverity.Blocking, "quorum", $"a full-cluster reset was chosen but {string.Join(", ", missing)} is not selected: select every node or choose a partial reset"));
            else
                items.Add(new(PreflightSeverity.Warning, "quorum", $"full-cluster reset: etcd and all cluster state are wiped on all {members} control-plane nodes; the cluster must be re-bootstrapped (bootstrap phases 1–6){note}"));
            return;
        }

        if (etcd is not null)
        {
            EtcdQuorumCheck(pf, targets, etcd, items);
            return;
        }

        // Restart, rolling: only one target is down at a time, so the worst moment is the target whose absence leaves fewest.
        // Restart all-at-once and Wipe: every target is gone together.
        var (worst, worstDown) = WorstMoment(pf, targets, down => cp.Count(n => GateData.IsReady(n) && !down.Contains(n.Meta.Name)));
        var verb = pf.Impact == PreflightImpact.Wipe ? "resetting" : "rebooting";
        if (worst < quorum)
        {
            items.Add(new(PreflightSeverity.Blocking, "quorum",
                $"etcd quorum would be lost: {verb} {string.Join(", ", worstDown)} leaves {worst} of {members} control-plane nodes Ready (quorum needs {quorum}){downNote}"
                + (pf.Impact == PreflightImpact.Wipe ? ". Choose a full-cluster reset explicitly if that is intended." : ".")
                + $" {estimate}{note}"));
        }
        else
        {
            items.Add(new(PreflightSeverity.Info, "quorum",
                $"etcd quorum kept: {worst} of {members} control-plane nodes stay Ready while {verb} {string.Join(", ", worstDown)} (quorum needs {quorum}){downNote}. {estimate}{note}"));
        }
    }

    /// <summary>
    /// The moment of the run that leaves fewest members: a rolling restart takes one target down at a time, a restart
    /// all at once or a wipe takes every target together. <paramref name="remaining"/> counts what stays for a set down.
    /// </summary>
    private static (int Worst, IReadOnlyCollection<string> Down) WorstMoment(PreflightDefinition pf, ImmutableArray<string> targets,
        Func<IReadOnlyCollection<string>, int> remaining)
    {
        IEnumerable<IReadOnlyCollection<string>> moments = pf.Impact == PreflightImpact.Restart && pf.Rolling
            ? targets.Select(t => (IReadOnlyCollection<string>)[t])
            : [targets];
        var worst = int.MaxValue;
        IReadOnlyCollection<string> worstDown = [];
        foreach (var down in moments)
        {
            var left = remaining(down);
            if (left < worst) { worst = left; worstDown = down; }
        }
        return (worst, worstDown);
    }

    /// <summary>
    /// Quorum from etcd as Talos reports it: the voting members, which of them are healthy now, and how many stay healthy
    /// at the worst moment of the run (etcd members are named by their node's hostname on Talos).
    /// </summary>
    private static void EtcdQuorumCheck(PreflightDefinition pf, ImmutableArray<string> targets, EtcdQuorum etcd, List<PreflightItem> items)
    {
        var (worst, worstDown) = WorstMoment(pf, targets, down => etcd.HealthyMembers.Count(m => !down.Contains(m)));
        var verb = pf.Impact == PreflightImpact.Wipe ? "resetting" : "rebooting";
        var source = $"from Talos etcd status: {etcd.Message}";
        if (worst < etcd.Needed)
            items.Add(new(PreflightSeverity.Blocking, "quorum",
                $"etcd quorum would be lost: {verb} {string.Join(", ", worstDown)} leaves {worst} of {etcd.Voters} voting etcd members healthy (quorum needs {etcd.Needed})"
                + (pf.Impact == PreflightImpact.Wipe ? ". Choose a full-cluster reset explicitly if that is intended." : ".")
                + $" ({source})"));
        else
            items.Add(new(PreflightSeverity.Info, "quorum",
                $"etcd quorum kept: {worst} of {etcd.Voters} voting etcd members stay healthy while {verb} {string.Join(", ", worstDown)} (quorum needs {etcd.Needed}) ({source})"));
    }

    private void Volumes(PreflightDefinition pf, ImmutableArray<string> targets, bool fullCluster, ClusterState state, DateTimeOffset now, List<PreflightItem> items)
    {
        if (GateData.Staleness(state, now, Kinds.LonghornVolume) is { } stale)
        {
            items.Add(new(PreflightSeverity.Blocking, "volumes", StaleBlock + $"volume replicas and backups: {stale}"));
            return;
        }
        var volumes = state.Items(Kinds.LonghornVolume).OrderBy(v => v.Meta.Name, StringComparer.Ordinal).ToList();
        if (volumes.Count == 0)
        {
            items.Add(new(PreflightSeverity.Info, "volumes", "no Longhorn volumes exist"));
            return;
        }
        items.Add(new(PreflightSeverity.Info, "volumes",
            "replica placement is estimated: replica objects are not watched, so the worst case is assumed — at most one replica per node "
            + "(anti-affinity), and a replica on every target node; the attached node comes from the volume status"));

        var targetSet = targets.ToHashSet(StringComparer.Ordinal);
        // Rolling restarts take one node down at a time; everything else takes all targets at once.
        var down = pf.Impact == PreflightImpact.Restart && pf.Rolling ? 1 : targets.Length;
        var belowCount = new List<PreflightSubject>();
        var attached = new List<PreflightSubject>();
        var wipeAll = pf.Impact == PreflightImpact.Wipe && fullCluster;
        foreach (var v in volumes)
        {
            if (v.Details is not LonghornVolumeDetails d) continue;
            var volume = Subject(v, d);
            var replicas = Math.Max(d.NumberOfReplicas, 1);
            var robustness = d.Robustness.ToLowerInvariant();
            var (healthy, basis) = robustness switch
            {
                "healthy" => (replicas, $"{replicas} healthy"),
                "degraded" => (1, "degraded: at least 1 healthy, assumed 1"),
                "faulted" => (0, "faulted: no healthy replica"),
                _ => (replicas, $"robustness {(robustness.Length == 0 ? "unreported" : robustness)} while {d.State}: {replicas} replicas assumed intact"),
            };
            if (d.NodeId.Length > 0 && targetSet.Contains(d.NodeId)) attached.Add(volume with { Note = $"on {d.NodeId}" });
            if (wipeAll) continue;
            var lost = Math.Min(healthy, down);
            var remaining = healthy - lost;
            if (healthy == 0)
                items.Add(new(PreflightSeverity.Blocking, "volumes", $"{volume.Name} is faulted already: taking nodes down now risks its data; recover it first", [volume]));
            else if (remaining == 0)
                items.Add(new(PreflightSeverity.Blocking, "volumes", pf.Impact == PreflightImpact.Wipe
                    ? $"{volume.Name} would lose its last healthy replica ({basis}, {replicas} configured)"
                    : $"{volume.Name} would have no healthy replica while its node is down ({basis}, {replicas} configured): wait for it to rebuild", [volume]));
            else if (remaining < replicas)
                belowCount.Add(volume with { Note = $"{remaining} of {replicas} left" });
        }
        if (belowCount.Count > 0)
            items.Add(new(PreflightSeverity.Warning, "volumes",
                $"{Volumes(belowCount.Count)} drop below their replica count until Longhorn rebuilds", belowCount));
        if (attached.Count > 0)
            items.Add(new(PreflightSeverity.Warning, "volumes", $"{Volumes(attached.Count)} attached on a target node (their workloads will be interrupted)", attached));
        if (wipeAll)
            items.Add(new(PreflightSeverity.Warning, "volumes",
                $"full-cluster reset: all {volumes.Count} volumes lose the replicas on node disks (EPHEMERAL holds /var/lib/longhorn); replicas on the USB SSDs survive but are orphaned once the cluster is rebuilt — plan restores from backup"));

        Backups(volumes, state, now, items);
    }

    private static string Volumes(int n) => n == 1 ? "1 volume" : $"{n} volumes";

    /// <summary>A volume as people name it: its claim's namespace/name, with the volume (pvc-&lt;uid&gt;) as its identifier.</summary>
    private static PreflightSubject Subject(ResourceSnapshot v, LonghornVolumeDetails d) =>
        new(d.PvcName.Length > 0 ? $"{d.PvcNamespace}/{d.PvcName}" : v.Meta.Name, v.Meta.Name);

    /// <summary>
    /// Backup freshness, one truth with the Longhorn page: a volume with a backup policy is judged by its backup verdict
    /// (<see cref="BackupPolicy"/>, as the store holds it): Degraded or Failed → warning. Only a volume without a policy (or
    /// not evaluated yet) falls back to <c>Operations:BackupWarnAge</c>, and "never backed up" is always said.
    /// </summary>
    private void Backups(List<ResourceSnapshot> volumes, ClusterState state, DateTimeOffset now, List<PreflightItem> items)
    {
        var never = new List<PreflightSubject>();
        var old = new List<PreflightSubject>();
        var overdue = new List<PreflightSubject>();
        var all = new List<PreflightSubject>();
        foreach (var v in volumes)
        {
            if (v.Details is not LonghornVolumeDetails d) continue;
            var volume = Subject(v, d);
            var verdict = BackupPolicy.Of(state, v.Meta.Name);
            var policy = verdict?.Details is VolumeBackupDetails { MaxAge: not null } ? verdict : null;
            var last = (verdict?.Details as VolumeBackupDetails)?.LastBackupAt ?? d.LastBackupAt;
            all.Add(volume with { Note = last is { } seen ? $"{Freshness.Age(now - seen)} ago" : "never" });
            if (policy is not null)
            {
                if (policy.Verdict.Health is HealthStatus.Degraded or HealthStatus.Failed) overdue.Add(volume with { Note = policy.Verdict.Message });
                continue;
            }
            if (last is not { } at) { never.Add(volume); continue; }
            var age = now - at;
            if (age > backupWarnAge) old.Add(volume with { Note = Freshness.Age(age) });
        }
        items.Add(new(PreflightSeverity.Info, "backups", $"last backup of {Volumes(all.Count)}", all));
        if (overdue.Count > 0)
            items.Add(new(PreflightSeverity.Warning, "backups", $"{Volumes(overdue.Count)} overdue by their backup policy (the Longhorn page's backup verdict)", overdue));
        if (never.Count > 0)
            items.Add(new(PreflightSeverity.Warning, "backups", $"{Volumes(never.Count)} never backed up", never));
        if (old.Count > 0)
            items.Add(new(PreflightSeverity.Warning, "backups", $"{Volumes(old.Count)} without a backup policy last backed up more than {Freshness.Age(backupWarnAge)} ago", old));
    }

    private void DashboardPlacement(PreflightDefinition pf, ImmutableArray<string> targets, bool fullCluster, List<PreflightItem> items)
    {
        if (string.IsNullOrWhiteSpace(dashboardNodeName))
        {
            items.Add(new(PreflightSeverity.Warning, "dashboard",
                "the node running the dashboard is unknown (set NODE_NAME from the downward API): if it is a target, this run is interrupted when the pod stops and must be resumed"));
            return;
        }
        if (!targets.Contains(dashboardNodeName, StringComparer.Ordinal))
        {
            items.Add(new(PreflightSeverity.Info, "dashboard", $"the dashboard runs on {dashboardNodeName}, which is not a target"));
            return;
        }
        if (pf.Impact == PreflightImpact.Wipe && !fullCluster)
            items.Add(new(PreflightSeverity.Blocking, "dashboard",
                $"the dashboard runs on {dashboardNodeName}, a reset target: the run would die with its pod half-way. Move the dashboard to another node first"));
        else
            items.Add(new(PreflightSeverity.Warning, "dashboard",
                $"the dashboard runs on {dashboardNodeName}, a target: the run is interrupted when that node goes down; resume it once the dashboard is back (a resumed step re-runs — skip it if it already took effect)"));
    }

    private static void OpenFailures(ImmutableArray<string> targets, ClusterState state, List<PreflightItem> items)
    {
        var failed = state.AllItems
            .Where(o => o.Verdict.Health == HealthStatus.Failed)
            .Where(o => !(o.Kind.Key == Kinds.Node.Key && targets.Contains(o.Meta.Name, StringComparer.Ordinal)))
            .OrderBy(o => o.Kind.Kind, StringComparer.Ordinal).ThenBy(o => o.Meta.DisplayName, StringComparer.Ordinal)
            .Select(o => $"{o.Kind.Kind} {o.Meta.DisplayName} ({o.Verdict.Reason})")
            .ToList();
        items.Add(failed.Count == 0
            ? new(PreflightSeverity.Info, "failures", "no open failures elsewhere")
            : new(PreflightSeverity.Warning, "failures", $"{failed.Count} open failure(s) elsewhere: {GateData.List(failed, 8)}"));
    }

    private static void StaleFeeds(ClusterState state, DateTimeOffset now, bool takesNodesDown, List<PreflightItem> items)
    {
        var stale = state.Kinds.Values
            .Where(s => s.Kind.IsKubernetes && s.Freshness.State is not (FeedState.Live or FeedState.NotInstalled))
            .Where(s => !takesNodesDown || (s.Kind.Key != Kinds.Node.Key && s.Kind.Key != Kinds.LonghornVolume.Key)) // already blocking above
            .OrderBy(s => s.Kind.Key, StringComparer.Ordinal)
            .Select(s => $"{s.Kind.Kind} ({s.Freshness.Describe(now)})")
            .ToList();
        if (stale.Count > 0)
            items.Add(new(PreflightSeverity.Warning, "freshness", $"some data is not live, the pre-flight may miss problems: {GateData.List(stale, 8)}"));
    }
}
