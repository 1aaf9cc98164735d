namespace HomeOps.Operations.Timeline;

/// <summary>What kind of change an entry records (stored by name).</summary>
public enum TimelineCategory
{
    /// <summary>An object's verdict (from its rule in HomeOps.Cluster) moved to another health.</summary>
    Health,
    /// <summary>A Flux source or Kustomization applied another revision (linked to the commit when the Git host is known).</summary>
    Revision,
    /// <summary>A HelmRelease's chart or app version changed.</summary>
    Chart,
    /// <summary>A node's boot id changed: it rebooted.</summary>
    Reboot,
    /// <summary>A node's Talos or Kubernetes (kubelet) version changed.</summary>
    Version,
    /// <summary>A Kubernetes Warning event (fed by an <see cref="IWarningEventSource"/>).</summary>
    Warning,
    /// <summary>The dashboard's own action, from the audit.</summary>
    Action,
}

/// <summary>
/// One row of the change timeline: when, what kind of change, on which object (kind, namespace, name, area), from what
/// to what, and a link (a commit, a run). <see cref="SeenAtStart"/>: the change happened while the dashboard was down and
/// was found in the first list after start; <see cref="At"/> is then that list's time, not when it happened.
/// </summary>
public sealed class TimelineEntry
{
    public const int ShortLength = 300;
    public const int SummaryLength = 1000;
    public const int LinkLength = 500;
    public const int NameLength = 253;

    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public TimelineCategory Category { get; set; }
    /// <summary>The overview area (<c>Nodes</c>, <c>Flux</c>, …) or <see cref="OperationsArea"/> for the dashboard's actions.</summary>
    public string Area { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Namespace { get; set; }
    public string Name { get; set; } = "";
    public string Summary { get; set; } = "";
    public string? From { get; set; }
    public string? To { get; set; }
    public string? Link { get; set; }
    public bool SeenAtStart { get; set; }

    /// <summary>
    /// How often this change was seen within the recorder's merge window (null: once). Repeats of the same change —
    /// the same category, from/to or reason — on the same object, or on another pod of the same workload (each replica
    /// of a Deployment reporting the same Warning or going Failed), raise the count of the first entry instead of
    /// adding one; an entry merged over several pods is then about their workload.
    /// </summary>
    public int? Count { get; set; }

    /// <summary>Not stored: the object repeats are merged under (a pod's workload, else the object itself); null: never merged.</summary>
    public MergeTarget? MergeUnder { get; set; }

    /// <summary>Not stored: entries with the same key within the merge window are one entry with a count.</summary>
    public string? MergeKey => MergeUnder is { } u ? $"{Category}|{Area}|{Namespace}|{u.Kind}/{u.Name}|{From}|{To}" : null;

    /// <summary>The area of entries that come from the audit.</summary>
    public const string OperationsArea = "Operations";

    public string ObjectName => Namespace is null ? Name : $"{Namespace}/{Name}";

    /// <summary>Cuts every text to its column's length (cluster text is unbounded; the database is not).</summary>
    internal TimelineEntry Bounded()
    {
        Area = Cut(Area, 32)!;
        Kind = Cut(Kind, 100)!;
        Namespace = Cut(Namespace, NameLength);
        Name = Cut(Name, NameLength)!;
        Summary = Cut(Summary, SummaryLength)!;
        From = Cut(From, ShortLength);
        To = Cut(To, ShortLength);
        Link = Link is { Length: > LinkLength } ? null : Link;
        return this;
    }

    private static string? Cut(string? s, int max) => s is { } v && v.Length > max ? v[..(max - 1)] + "…" : s;
}

/// <summary>The object a repeated change is merged under: a pod's workload (Deployment, DaemonSet, …), else the object itself.</summary>
public sealed record MergeTarget(string Kind, string Name)
{
    /// <summary>A pod's workload when it has one, else the object itself.</summary>
    public static MergeTarget Of(string kind, string name, string? workloadKind, string? workloadName) =>
        kind == "Pod" && workloadKind is { Length: > 0 } && workloadName is { Length: > 0 } ? new(workloadKind, workloadName) : new(kind, name);
}

/// <summary>
/// The last facts the timeline saw of one object, kept in the database so that after a restart the first list can be
/// compared with what was known before the stop ("seen at start"). Key: the kind's key and the object's namespace/name.
/// </summary>
public sealed class TimelineObjectState
{
    public const int KeyLength = 400;

    public string Key { get; set; } = "";
    public string Health { get; set; } = "";
    public string? Revision { get; set; }
    public string? ChartVersion { get; set; }
    public string? AppVersion { get; set; }
    public string? BootId { get; set; }
    public string? TalosVersion { get; set; }
    public string? KubeletVersion { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
