using System.Collections.Immutable;
using System.Text.Json;
using HomeOps.Cluster.Model;
using static HomeOps.Cluster.Health.Text;

namespace HomeOps.Cluster.Health;

/// <summary>
/// Longhorn's backup configuration objects (<c>longhorn.io/v1beta2</c>, longhorn-manager
/// <c>k8s/pkg/apis/longhorn/v1beta2/{backuptarget,recurringjob}.go</c>): the BackupTarget and the RecurringJobs.
/// The time-dependent per-volume verdict ("is the last backup too old") is <see cref="BackupPolicy"/>.
/// </summary>
public static class LonghornBackupHealth
{
    // ---------------------------------------------------------------- BackupTarget

    public static ResourceSnapshot DecodeBackupTarget(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        var conditions = ObjectParts.Conditions(status);
        var unavailable = conditions.Find("Unavailable");
        var details = new LonghornBackupTargetDetails(
            Url: spec.Prop("backupTargetURL").Str(""),
            CredentialSecret: spec.Prop("credentialSecret").Str(""),
            PollInterval: spec.Prop("pollInterval").Str(""),
            Available: status.Prop("available").Bool() ?? false,
            Message: unavailable is { IsTrue: true } ? Or(unavailable.Message, unavailable.Reason) : "",
            LastSyncedAt: status.Prop("lastSyncedAt").Time());
        return new ResourceSnapshot(kind, meta, details, BackupTargetRule(details, conditions), conditions, ObjectParts.RawStatus(obj));
    }

    /// <summary>
    /// No URL → Failed (backups have nowhere to go); <c>status.available</c> false → Failed with the <c>Unavailable</c>
    /// condition's message (Longhorn's own words: credentials, bucket, network); available → Healthy.
    /// </summary>
    public static Verdict BackupTargetRule(LonghornBackupTargetDetails t, ImmutableArray<Condition> conditions)
    {
        var unavailable = conditions.Find("Unavailable");
        if (t.Url.Length == 0)
            return new Verdict(HealthStatus.Failed, "NoBackupTargetUrl", "the backup target has no URL: no backup can be taken");
        if (!t.Available)
            return new Verdict(HealthStatus.Failed, Or(unavailable?.Reason, "Unavailable"),
                $"backup target {t.Url} is not available: {Or(t.Message, "status.available is false")}", unavailable?.LastTransitionTime);
        return new Verdict(HealthStatus.Healthy, "Available", $"backup target {t.Url} is available", t.LastSyncedAt);
    }

    // ---------------------------------------------------------------- RecurringJob

    public static ResourceSnapshot DecodeRecurringJob(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        var details = new LonghornRecurringJobDetails(
            Task: spec.Prop("task").Str(""),
            Cron: spec.Prop("cron").Str(""),
            Groups: [.. spec.Prop("groups").Strings().Order(StringComparer.Ordinal)],
            Retain: (int)Math.Clamp(spec.Prop("retain").Long() ?? 0, 0, int.MaxValue),
            Concurrency: (int)Math.Clamp(spec.Prop("concurrency").Long() ?? 0, 0, int.MaxValue));
        return new ResourceSnapshot(kind, meta, details, RecurringJobRule(details), ObjectParts.Conditions(status), ObjectParts.RawStatus(obj));
    }

    /// <summary>
    /// A schedule, not a state: Healthy when its cron can be read (the interval is shown), Unknown when it cannot — a backup
    /// job whose interval is unknown falls back to <c>Cluster:Backups:DefaultMaxAge</c> (<see cref="BackupPolicy"/>).
    /// </summary>
    public static Verdict RecurringJobRule(LonghornRecurringJobDetails j)
    {
        if (CronInterval.Of(j.Cron) is not { } every)
            return Verdict.Unknown("UnreadableCron", $"cron \"{j.Cron}\" cannot be read");
        var groups = j.Groups.Length == 0 ? "no group" : "groups " + string.Join(", ", j.Groups);
        return new Verdict(HealthStatus.Healthy, "Scheduled", $"{Or(j.Task, "no task")} at most every {Freshness.Age(every)} ({j.Cron}), {groups}, retain {j.Retain}");
    }
}

/// <summary>
/// The longest gap between two runs of a five-field cron (<c>min hour day-of-month month day-of-week</c>, Longhorn's form),
/// rounded up to a whole unit: deliberately coarse and never shorter than the real gap, since it sets how old a backup may get.
/// A month field → 366 d; a day-of-month (or <c>*/n</c> days) → 31 d (n d); a day-of-week → 7 d; hours → 24 h (<c>*/n</c>: n h);
/// minutes only → 1 h (<c>*/n</c>: n min). <c>@daily</c>, <c>@weekly</c>, <c>@monthly</c>, <c>@hourly</c>, <c>@yearly</c> are read too.
/// </summary>
public static class CronInterval
{
    public static TimeSpan? Of(string? cron)
    {
        if (string.IsNullOrWhiteSpace(cron)) return null;
        var text = cron.Trim();
        switch (text)
        {
            case "@hourly": return TimeSpan.FromHours(1);
            case "@daily" or "@midnight": return TimeSpan.FromDays(1);
            case "@weekly": return TimeSpan.FromDays(7);
            case "@monthly": return TimeSpan.FromDays(31);
            case "@yearly" or "@annually": return TimeSpan.FromDays(366);
        }
        var f = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length != 5 || f.Any(x => !x.All(c => char.IsAsciiDigit(c) || c is '*' or '/' or ',' or '-' || char.IsAsciiLetter(c)))) return null;
        var (minute, hour, dom, month, dow) = (f[0], f[1], f[2], f[3], f[4]);
        if (month != "*") return TimeSpan.FromDays(366);
        if (dom != "*") return Step(dom) is { } days ? TimeSpan.FromDays(days) : TimeSpan.FromDays(31);
        if (dow != "*" && dow != "?") return TimeSpan.FromDays(7);
        if (hour != "*") return Step(hour) is { } hours ? TimeSpan.FromHours(hours) : TimeSpan.FromDays(1);
        return Step(minute) is { } minutes ? TimeSpan.FromMinutes(minutes) : TimeSpan.FromHours(1);
    }

    // "*/n" → n; anything else (a value, a list, a range) → null (the caller takes the whole unit above).
    private static int? Step(string field) =>
        field.StartsWith("*/", StringComparison.Ordinal) && int.TryParse(field.AsSpan(2), out var n) && n > 0 ? n : null;
}
