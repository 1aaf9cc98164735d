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

/// <summary>One finding: which check produced it (quorum, volumes, backups, dashboard, failures, freshness, known-defect).</summary>
public sealed record PreflightItem(PreflightSeverity Severity, string Check, string Message)
{
    /// <summary>How a block that comes only from stale Node/Volume data begins.</summary>
    public const string StaleBlockPrefix = "cannot assess ";

    /// <summary>A block caused only by stale data: the one kind the "the API is unreachable" override lifts.</summary>
    [JsonIgnore]
    public bool IsStaleDataBlock => Severity == PreflightSeverity.Blocking && Check is "quorum" or "volumes"
                                    && Message.StartsWith(StaleBlockPrefix, StringComparison.Ordinal);

    public override string ToString() => $"[{Severity}] {Check}: {Message}";
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
