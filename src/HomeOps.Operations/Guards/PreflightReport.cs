using System.Collections.Immutable;
using System.Text.Json.Serialization;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Guards;

public enum PreflightSeverity
{
    Info,
    Warning,
    /// <summary>The run may not start while this holds.</summary>
    Blocking,
}

/// <summary>
/// The kind of a finding, by what it is about — how the pre-flight is grouped for reading: the data at risk (volumes),
/// backups, the task's known defects, the dashboard's own placement, and the cluster itself (etcd quorum, open
/// failures elsewhere, data freshness, the API-unreachable override). Declared in reading order.
/// </summary>
public enum PreflightKind
{
    DataAtRisk,
    Backups,
    KnownDefects,
    DashboardPlacement,
    Cluster,
}

/// <summary>
/// One object a finding names, as people name it (<c>namespace/pvc</c> for a Longhorn volume), with its identifier (the
/// volume's <c>pvc-&lt;uid&gt;</c> name) and a note about it ("2 of 3 left", "on mini02", "3 d").
/// </summary>
public sealed record PreflightSubject(string Name, string Id, string Note = "")
{
    public override string ToString() =>
        Name + (Id.Length > 0 && Id != Name ? $" [{Id}]" : "") + (Note.Length > 0 ? $" ({Note})" : "");
}

/// <summary>
/// One finding: which check produced it (quorum, volumes, backups, dashboard, failures, freshness, known-defect,
/// not-checked, override). <paramref name="Subjects"/>, when there are any, are the objects it lists — the
/// <paramref name="Message"/> is then the headline and <see cref="Text"/> the whole finding.
/// </summary>
public sealed record PreflightItem(PreflightSeverity Severity, string Check, string Message, IReadOnlyList<PreflightSubject>? Subjects = null)
{
    /// <summary>How a block that comes only from stale Node/Volume data begins.</summary>
    public const string StaleBlockPrefix = "cannot assess ";

    /// <summary>A block caused only by stale data: the one kind the "the API is unreachable" override lifts.</summary>
    [JsonIgnore]
    public bool IsStaleDataBlock => Severity == PreflightSeverity.Blocking && Check is "quorum" or "volumes"
                                    && Message.StartsWith(StaleBlockPrefix, StringComparison.Ordinal);

    [JsonIgnore]
    public IReadOnlyList<PreflightSubject> Listed => Subjects ?? [];

    /// <summary>The whole finding in one line: the headline and every subject with its identifier.</summary>
    [JsonIgnore]
    public string Text => Listed.Count == 0 ? Message : Message + ": " + string.Join(", ", Listed);

    [JsonIgnore]
    public PreflightKind Kind => KindOf(Check);

    /// <summary>The one table from check to kind.</summary>
    public static PreflightKind KindOf(string check) => check switch
    {
        "volumes" => PreflightKind.DataAtRisk,
        "backups" => PreflightKind.Backups,
        "known-defect" => PreflightKind.KnownDefects,
        "dashboard" => PreflightKind.DashboardPlacement,
        _ => PreflightKind.Cluster,
    };

    public override string ToString() => $"[{Severity}] {Check}: {Text}";
}

/// <summary>
/// The findings of one <see cref="PreflightKind"/>, led by their count and their worst item (items arrive worst first).
/// <see cref="Count"/> counts findings that need reading (warnings and blocks); information is not counted.
/// </summary>
public sealed record PreflightGroup(PreflightKind Kind, ImmutableArray<PreflightItem> Items)
{
    public string Title => TitleOf(Kind);

    public PreflightSeverity Severity => Items.Max(i => i.Severity);

    public PreflightItem Worst => Items.OrderByDescending(i => i.Severity).First();

    public int Count => Items.Count(i => i.Severity != PreflightSeverity.Info);

    /// <summary>The items after the worst one: what is folded.</summary>
    public IEnumerable<PreflightItem> Rest => Items.Where(i => !ReferenceEquals(i, Worst));

    public static string TitleOf(PreflightKind kind) => kind switch
    {
        PreflightKind.DataAtRisk => "Data at risk",
        PreflightKind.Backups => "Backups",
        PreflightKind.KnownDefects => "Known defects of the task",
        PreflightKind.DashboardPlacement => "The dashboard's own placement",
        _ => "Quorum and cluster health",
    };
}

/// <summary>The blast radius of a destructive run, computed from the live health model, stored with the run.</summary>
public sealed record PreflightReport(
    DateTimeOffset ComputedAt,
    ImmutableArray<string> Targets,
    PreflightImpact Impact,
    bool FullCluster,
    ImmutableArray<PreflightItem> Items,
    bool ApiUnreachableOverride = false)
{
    [JsonIgnore]
    public bool IsBlocked => Items.Any(i => i.Severity == PreflightSeverity.Blocking);

    [JsonIgnore]
    public IEnumerable<PreflightItem> Blocking => Items.Where(i => i.Severity == PreflightSeverity.Blocking);

    /// <summary>Blocked, and only by stale data: the "the API is unreachable" override would let the run start.</summary>
    [JsonIgnore]
    public bool OverridableWhenApiUnreachable => IsBlocked && Blocking.All(i => i.IsStaleDataBlock);

    [JsonIgnore]
    public IEnumerable<PreflightItem> Warnings => Items.Where(i => i.Severity == PreflightSeverity.Warning);

    /// <summary>
    /// The findings grouped by kind: groups with a block first, then with warnings, then information only; within a
    /// severity in <see cref="PreflightKind"/> order.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<PreflightGroup> Groups =>
        Items.GroupBy(i => i.Kind)
            .Select(g => new PreflightGroup(g.Key, g.OrderByDescending(i => i.Severity).ToImmutableArray()))
            .OrderByDescending(g => g.Severity).ThenBy(g => g.Kind)
            .ToList();

    /// <summary>The first thing read: "may run", or "blocked by" the kinds that block, in reading order.</summary>
    [JsonIgnore]
    public string Decision => IsBlocked
        ? "Blocked by " + string.Join(", ", Groups.Where(g => g.Severity == PreflightSeverity.Blocking)
            .Select(g => g.Title.ToLowerInvariant()))
        : "May run";

    /// <summary>One paragraph for the audit record: verdict, targets, then blocking items and warnings.</summary>
    [JsonIgnore]
    public string Summary
    {
        get
        {
            var b = Blocking.ToList();
            var w = Warnings.ToList();
            var head = $"{(b.Count > 0 ? "BLOCKED" : "OK")}: {Impact.ToString().ToLowerInvariant()}"
                       + (Targets.IsEmpty ? "" : $" of {string.Join(", ", Targets)}")
                       + (FullCluster ? " (full cluster)" : "")
                       + (ApiUnreachableOverride ? " — API unreachable override" : "")
                       + $"; {b.Count} blocking, {w.Count} warnings";
            var lines = b.Concat(w).Select(i => i.ToString());
            return string.Join(Environment.NewLine, new[] { head }.Concat(lines));
        }
    }
}
