using System.Collections.Immutable;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Health;

/// <summary>
/// One volume's backup deadline, for the slow-burn radar, the Longhorn page, <c>/metrics</c> and the pre-flight.
/// <paramref name="Claim"/> is the PVC (<c>namespace/name</c>, empty when none). <paramref name="Group"/> is the recurring-job group (or, for a job assigned directly, the job's name) whose backup job
/// sets <paramref name="MaxAge"/>; null for a volume with no backup policy. <paramref name="DueAt"/> = last backup (or,
/// never backed up, the volume's creation) + max age: the time the verdict turns Degraded.
/// </summary>
public sealed record BackupDeadline(string Volume, string Claim, string? Group, DateTimeOffset? LastBackupAt, TimeSpan? MaxAge,
    DateTimeOffset? DueAt, Verdict Verdict)
{
    public string Reason => Verdict.Reason;

    /// <summary>Time left until <see cref="DueAt"/> (negative: overdue); null without a policy.</summary>
    public TimeSpan? Left(DateTimeOffset now) => DueAt is { } due ? due - now : null;
}

/// <summary>
/// Backups as a health verdict: each Longhorn volume's last successful backup against the maximum age of its recurring-job
/// group. Pure (state, options, now → verdicts); <see cref="Sources.BackupPolicyEvaluator"/> runs it on every Longhorn change
/// and once a minute and puts the result in the store as <see cref="Kinds.VolumeBackup"/> objects, which the Longhorn rollup,
/// the problem list, the page, <c>/metrics</c>, the CLI and the pre-flight read.
/// <list type="bullet">
/// <item>Membership (Longhorn's rule): labels <c>recurring-job-group.longhorn.io/&lt;group&gt;: enabled</c> and
/// <c>recurring-job.longhorn.io/&lt;job&gt;: enabled</c>; a volume with neither is in the <c>default</c> group.</item>
/// <item>Max age per group: <c>Cluster:Backups:MaxAge:&lt;group&gt;</c>, else 2 × the group's backup interval (from the
/// RecurringJob's cron, <see cref="CronInterval"/>) + <c>Cluster:Backups:Slack</c>, else (cron unreadable)
/// <c>Cluster:Backups:DefaultMaxAge</c>. A volume in several backup groups gets the smallest (the most frequent job sets the expectation).</item>
/// <item>Age ≤ max age → Healthy; ≤ 2 × max age → Degraded (<c>BackupOverdue</c>); beyond → Failed (<c>BackupStale</c>).
/// Never backed up: Healthy (<c>AwaitingFirstBackup</c>) while the volume is younger than its max age, then Failed (<c>NeverBackedUp</c>).</item>
/// <item>No backup job reaches the volume → Suspended (<c>NoBackupPolicy</c>): shown and counted, never an alarm — Longhorn backs
/// up only the volumes that opt in, so it is a choice (or a missing label) to make visible, not an outage.</item>
/// </list>
/// The last backup is the newer of the volume's <c>status.lastBackupAt</c> and its newest Completed Backup CR.
/// </summary>
public static class BackupPolicy
{
    public const string GroupLabelPrefix = "recurring-job-group.longhorn.io/";
    public const string JobLabelPrefix = "recurring-job.longhorn.io/";
    public const string DefaultGroup = "default";
    public const string NoPolicyReason = "NoBackupPolicy";
    public const string MissingTargetReason = "NoBackupTarget";

    /// <summary>Every volume's deadline, computed now (volume name order).</summary>
    public static IReadOnlyList<BackupDeadline> Deadlines(ClusterState state, BackupOptions options, DateTimeOffset now) =>
        [.. Snapshots(state, options, now).Select(ToDeadline).OrderBy(d => d.Volume, StringComparer.Ordinal)];

    /// <summary>
    /// The deadlines as the store holds them (what the tile, problem list and metrics counted): the evaluator's last result.
    /// Prefer this to <see cref="Deadlines"/> wherever a view must agree with the Longhorn tile.
    /// </summary>
    public static IReadOnlyList<BackupDeadline> Current(ClusterState state) =>
        [.. state.Items(Kinds.VolumeBackup).Select(ToDeadline).OrderBy(d => d.Volume, StringComparer.Ordinal)];

    /// <summary>The stored verdict of one volume (by its Longhorn volume name), or null when not evaluated yet.</summary>
    public static ResourceSnapshot? Of(ClusterState state, string volumeName)
    {
        foreach (var s in state.Items(Kinds.VolumeBackup))
            if (s.Meta.Name == volumeName) return s;
        return null;
    }

    public static BackupDeadline ToDeadline(ResourceSnapshot s)
    {
        var d = (VolumeBackupDetails)s.Details;
        return new BackupDeadline(d.Volume, d.PvcName.Length > 0 ? $"{d.PvcNamespace}/{d.PvcName}" : "", d.Group, d.LastBackupAt, d.MaxAge,
            d.DueAt, s.Verdict);
    }

    /// <summary>One <see cref="Kinds.VolumeBackup"/> snapshot per Longhorn volume.</summary>
    public static IReadOnlyList<ResourceSnapshot> Snapshots(ClusterState state, BackupOptions options, DateTimeOffset now)
    {
        var jobs = state.Items(Kinds.LonghornRecurringJob)
            .Where(j => j.Details is LonghornRecurringJobDetails { IsBackup: true })
            .Select(j => (Name: j.Meta.Name, Job: (LonghornRecurringJobDetails)j.Details))
            .Select(j => (j.Name, j.Job, Interval: CronInterval.Of(j.Job.Cron))) // once per job, not once per volume
            .ToList();
        var lastCompleted = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var b in state.Items(Kinds.LonghornBackup))
        {
            if (b.Details is not LonghornBackupDetails { State: "Completed", CreatedAt: { } at } d || d.VolumeName.Length == 0) continue;
            if (!lastCompleted.TryGetValue(d.VolumeName, out var seen) || at > seen) lastCompleted[d.VolumeName] = at;
        }
        var result = new List<ResourceSnapshot>();
        foreach (var v in state.Items(Kinds.LonghornVolume))
        {
            if (v.Details is not LonghornVolumeDetails vd) continue;
            var last = vd.LastBackupAt;
            if (lastCompleted.TryGetValue(v.Meta.Name, out var cr) && (last is null || cr > last)) last = cr;
            var (group, job, maxAge, configured) = MaxAgeOf(vd, jobs, options);
            var due = maxAge is { } m ? (last ?? v.Meta.CreatedAt) + m : null;
            var details = new VolumeBackupDetails(v.Meta.Name, vd.PvcNamespace, vd.PvcName, group, job, last, maxAge, due, configured);
            var meta = new ObjectMeta("volumebackup/" + v.Key, v.Meta.Name, v.Meta.Namespace, "", 0, v.Meta.CreatedAt,
                ObjectMeta.NoLabels, ObjectMeta.NoLabels);
            result.Add(new ResourceSnapshot(Kinds.VolumeBackup, meta, details, Rule(details, v.Meta.CreatedAt, now), [], ""));
        }
        return result;
    }

    /// <summary>The groups a volume is in: its enabled group labels, or Longhorn's implicit <c>default</c> when it has no recurring-job label.</summary>
    public static IReadOnlyList<string> GroupsOf(LonghornVolumeDetails v) =>
        v.RecurringJobGroups.Length > 0 || Jobs(v).Length > 0 ? v.RecurringJobGroups : [DefaultGroup];

    private static ImmutableArray<string> Jobs(LonghornVolumeDetails v) => v.RecurringJobs.IsDefault ? [] : v.RecurringJobs;

    private static (string? Group, string? Job, TimeSpan? MaxAge, bool Configured) MaxAgeOf(LonghornVolumeDetails v,
        IReadOnlyList<(string Name, LonghornRecurringJobDetails Job, TimeSpan? Interval)> jobs, BackupOptions options)
    {
        var groups = GroupsOf(v);
        var direct = Jobs(v);
        (string? Group, string? Job, TimeSpan? MaxAge, bool Configured) best = (null, null, null, false);
        foreach (var (name, job, interval) in jobs)
        {
            string? group = direct.Contains(name) ? name : job.Groups.FirstOrDefault(groups.Contains);
            if (group is null) continue;
            var (age, configured) = MaxAgeFor(group, interval, options);
            if (best.MaxAge is null || age < best.MaxAge) best = (group, name, age, configured);
        }
        return best;
    }

    /// <summary>The max age of one group's backup job: configured, else 2 × interval + slack, else the default.</summary>
    /// <param name="interval">The job's interval (<see cref="CronInterval.Of"/> of its cron); null when the cron cannot be read.</param>
    public static (TimeSpan MaxAge, bool Configured) MaxAgeFor(string group, TimeSpan? interval, BackupOptions options)
    {
        if (options.MaxAgeOf(group) is { } set) return (set, true);
        return interval is { } every ? (2 * every + options.Slack, false) : (options.DefaultMaxAge, false);
    }

    /// <summary>
    /// The verdict of one volume's backup at <paramref name="now"/> (see the class summary for the rule). The message names
    /// times, not ages, so that the verdict changes only when the health does (the store, the hub and the timeline see no
    /// churn while a backup merely ages); views show the age next to it.
    /// </summary>
    public static Verdict Rule(VolumeBackupDetails d, DateTimeOffset? createdAt, DateTimeOffset now)
    {
        if (d.MaxAge is not { } max)
            return new Verdict(HealthStatus.Suspended, NoPolicyReason,
                "no backup policy: the volume is in no recurring-job group with a backup job" +
                (d.LastBackupAt is { } l ? $" (last backup {At(l)})" : ""));
        var policy = $"max age {Span(max)}, {(d.Group == d.Job ? "job" : "group")} {d.Group}";
        if (d.LastBackupAt is not { } last)
        {
            if (createdAt is { } created && now - created <= max)
                return new Verdict(HealthStatus.Healthy, "AwaitingFirstBackup", $"no backup yet; the first is due by {At(created + max)} ({policy})");
            return new Verdict(HealthStatus.Failed, "NeverBackedUp", $"never backed up ({policy})", createdAt is { } c ? c + max : null);
        }
        var age = now - last;
        if (age <= max)
            return new Verdict(HealthStatus.Healthy, "BackedUp", $"last backup {At(last)}, next due by {At(last + max)} ({policy})", last);
        if (age <= 2 * max)
            return new Verdict(HealthStatus.Degraded, "BackupOverdue", $"overdue since {At(last + max)}: last backup {At(last)} ({policy})", last + max);
        return new Verdict(HealthStatus.Failed, "BackupStale", $"stale: last backup {At(last)} is more than twice the {policy}", last + 2 * max);
    }

    private static string At(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A max age as the README writes it: "14 d 6 h", "2 d", "36 h".</summary>
    public static string Span(TimeSpan t) =>
        t.TotalDays >= 2
            ? (t.Hours > 0 ? $"{(int)t.TotalDays} d {t.Hours} h" : $"{(int)t.TotalDays} d")
            : t.TotalHours >= 1 ? $"{(int)t.TotalHours} h" : $"{(int)Math.Max(1, t.TotalMinutes)} min";

    /// <summary>
    /// The Longhorn area's "no backup target" problem: the API has been listed and holds no BackupTarget (or does not serve
    /// the kind) while Longhorn has volumes → Failed. An existing target's own verdict is its rule's
    /// (<see cref="LonghornBackupHealth.BackupTargetRule"/>). Null when there is nothing to say.
    /// </summary>
    public static Verdict? MissingBackupTarget(ClusterState state)
    {
        var targets = state.Slice(Kinds.LonghornBackupTarget);
        if (targets.Items.Count > 0 || state.Slice(Kinds.LonghornVolume).Items.Count == 0) return null;
        if (targets.Freshness.State == FeedState.NotInstalled)
            return new Verdict(HealthStatus.Failed, MissingTargetReason, "the API serves no backuptargets.longhorn.io: Longhorn has no backup target, no backup can run");
        return targets.Freshness.Synced
            ? new Verdict(HealthStatus.Failed, MissingTargetReason, "no BackupTarget in longhorn-system: no backup can run")
            : null;
    }
}

/// <summary>
/// <c>Cluster:Backups</c>: the backup policy's thresholds (README, "Backups as a health verdict"). Validated at start.
/// </summary>
public sealed class BackupOptions
{
    public const string Section = "Cluster:Backups";

    /// <summary>Per group (or directly assigned job name): the maximum age of its last backup, overriding the derived default.</summary>
    public Dictionary<string, TimeSpan> MaxAge { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Added to 2 × the backup interval: a job that runs late, a long upload.</summary>
    public TimeSpan Slack { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The max age of a backup job whose cron cannot be read.</summary>
    public TimeSpan DefaultMaxAge { get; set; } = TimeSpan.FromDays(8);

    /// <summary>How often the verdicts are re-evaluated without a Longhorn change (a backup ages while nothing changes).</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan? MaxAgeOf(string group)
    {
        foreach (var (k, v) in MaxAge)
            if (string.Equals(k, group, StringComparison.OrdinalIgnoreCase)) return v;
        return null;
    }

    /// <summary>Null when valid, else what is wrong (every duration positive, the interval at least 1 s).</summary>
    public string? Validate()
    {
        foreach (var (group, age) in MaxAge)
            if (age <= TimeSpan.Zero) return $"Cluster:Backups:MaxAge:{group} must be a positive duration (e.g. 14.06:00:00), not {age}";
        if (Slack < TimeSpan.Zero) return $"Cluster:Backups:Slack must not be negative, not {Slack}";
        if (DefaultMaxAge <= TimeSpan.Zero) return $"Cluster:Backups:DefaultMaxAge must be positive, not {DefaultMaxAge}";
        if (EvaluationInterval < TimeSpan.FromSeconds(1)) return $"Cluster:Backups:EvaluationInterval must be at least 1 s, not {EvaluationInterval}";
        return null;
    }
}
