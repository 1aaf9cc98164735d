using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Operations.Timeline;

/// <summary>
/// What the timeline compares of one object, taken from its snapshot: the verdict computed once by its rule in
/// HomeOps.Cluster (never re-derived here), and the kind's versions (revision, chart, app, boot id, Talos, kubelet).
/// </summary>
public sealed record ObjectFacts(
    string Health,
    string? Revision = null,
    string? ChartVersion = null,
    string? AppVersion = null,
    string? BootId = null,
    string? TalosVersion = null,
    string? KubeletVersion = null)
{
    public static ObjectFacts Of(ResourceSnapshot s) => s.Details switch
    {
        KustomizationDetails k => new(s.Verdict.Health.ToString(), Revision: Empty(k.LastAppliedRevision)),
        GitRepositoryDetails g => new(s.Verdict.Health.ToString(), Revision: Empty(g.ArtifactRevision)),
        HelmReleaseDetails h => new(s.Verdict.Health.ToString(), ChartVersion: Empty(h.Chart.Length > 0 && h.ChartVersion.Length > 0 ? $"{h.Chart}@{h.ChartVersion}" : h.ChartVersion),
            AppVersion: Empty(h.AppVersion)),
        NodeDetails n => new(s.Verdict.Health.ToString(), BootId: Empty(n.BootId), TalosVersion: Empty(n.TalosVersion), KubeletVersion: Empty(n.KubeletVersion)),
        _ => new(s.Verdict.Health.ToString()),
    };

    public static ObjectFacts From(TimelineObjectState s) =>
        new(s.Health, s.Revision, s.ChartVersion, s.AppVersion, s.BootId, s.TalosVersion, s.KubeletVersion);

    public void CopyTo(TimelineObjectState row)
    {
        row.Health = Health;
        row.Revision = Revision;
        row.ChartVersion = ChartVersion;
        row.AppVersion = AppVersion;
        row.BootId = BootId;
        row.TalosVersion = TalosVersion;
        row.KubeletVersion = KubeletVersion;
    }

    private static string? Empty(string s) => s.Length == 0 ? null : s;
}

/// <summary>Pure: the timeline entries between what was known of an object and its new snapshot.</summary>
public static class ChangeDetector
{
    /// <summary>The timeline's key of an object: kind key and namespace/name (an object re-created under the same name continues its history).</summary>
    public static string KeyOf(ResourceSnapshot s) => $"{s.Kind.Key}|{s.Meta.DisplayName}";

    /// <summary>
    /// The entries for the change from <paramref name="before"/> to the snapshot <paramref name="now"/>; none when
    /// nothing was known before (a new object, or the first run: its facts become the baseline).
    /// <paramref name="state"/> is read for the Kustomization's source URL (the commit link).
    /// </summary>
    public static List<TimelineEntry> Diff(ObjectFacts? before, ObjectFacts after, ResourceSnapshot now, ClusterState state, DateTimeOffset at, bool seenAtStart)
    {
        var entries = new List<TimelineEntry>();
        if (before is null) return entries;
        TimelineEntry Entry(TimelineCategory category, string summary, string? from, string? to, string? link = null) => new()
        {
            At = at, Category = category, Area = now.Kind.Area.ToString(), Kind = now.Kind.Kind, Namespace = now.Meta.Namespace,
            Name = now.Meta.Name, Summary = summary, From = from, To = to, Link = link, SeenAtStart = seenAtStart,
        };

        if (before.Health != after.Health)
        {
            var v = now.Verdict;
            var why = v.Reason.Length > 0 ? $" ({v.Reason})" : "";
            var message = v.Message.Length > 0 ? $": {v.Message}" : "";
            var health = Entry(TimelineCategory.Health, $"{before.Health} → {after.Health}{why}{message}", before.Health, after.Health);
            // A pod's transition is merged with the same transition of its workload's other pods (replicas).
            if (now.Details is PodDetails { Workload: { } w }) health.MergeUnder = new MergeTarget(w.Kind, w.Name);
            entries.Add(health);
        }
        if (after.Revision is not null && before.Revision != after.Revision)
        {
            var link = CommitLinks.CommitUrl(SourceUrlOf(now, state), after.Revision);
            entries.Add(Entry(TimelineCategory.Revision, $"revision {Short(before.Revision)} → {Short(after.Revision)}", before.Revision, after.Revision, link));
        }
        if (after.ChartVersion is not null && before.ChartVersion != after.ChartVersion)
            entries.Add(Entry(TimelineCategory.Chart, $"chart {before.ChartVersion ?? "—"} → {after.ChartVersion}", before.ChartVersion, after.ChartVersion));
        if (after.AppVersion is not null && before.AppVersion != after.AppVersion)
            entries.Add(Entry(TimelineCategory.Chart, $"app version {before.AppVersion ?? "—"} → {after.AppVersion}", before.AppVersion, after.AppVersion));
        if (after.BootId is not null && before.BootId is not null && before.BootId != after.BootId)
            entries.Add(Entry(TimelineCategory.Reboot, "rebooted (boot id changed)", before.BootId, after.BootId));
        if (after.TalosVersion is not null && before.TalosVersion != after.TalosVersion)
            entries.Add(Entry(TimelineCategory.Version, $"Talos {before.TalosVersion ?? "—"} → {after.TalosVersion}", before.TalosVersion, after.TalosVersion));
        if (after.KubeletVersion is not null && before.KubeletVersion != after.KubeletVersion)
            entries.Add(Entry(TimelineCategory.Version, $"Kubernetes {before.KubeletVersion ?? "—"} → {after.KubeletVersion}", before.KubeletVersion, after.KubeletVersion));
        return entries;
    }

    /// <summary>A GitRepository's own URL; a Kustomization's source GitRepository's URL (looked up in the same state).</summary>
    public static string? SourceUrlOf(ResourceSnapshot s, ClusterState state)
    {
        switch (s.Details)
        {
            case GitRepositoryDetails g:
                return g.Url;
            case KustomizationDetails { Source: { Kind: "GitRepository" } src }:
                foreach (var repo in state.Items(Kinds.GitRepository))
                    if (repo.Meta.Name == src.Name && repo.Meta.Namespace == src.Namespace && repo.Details is GitRepositoryDetails d)
                        return d.Url;
                return null;
            default:
                return null;
        }
    }

    /// <summary>"main@sha1:0123456789abcdef…" → "main@sha1:0123456"; other revisions as they are.</summary>
    public static string Short(string? revision)
    {
        if (revision is null) return "—";
        var sha = CommitLinks.CommitOf(revision);
        return sha is { Length: > 7 } ? revision[..^sha.Length] + sha[..7] : revision;
    }
}
