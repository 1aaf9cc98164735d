namespace HomeOps.Operations.Audit;

public enum AuditOutcome
{
    /// <summary>Recorded and accepted (a run created and waiting for confirmation, a Flux patch sent).</summary>
    Accepted,
    /// <summary>A run (or resumed segment) is executing; completed with the final outcome when it stops.</summary>
    Started,
    Succeeded,
    Failed,
    /// <summary>Refused by a guard: not an operator, no step-up, wrong confirmation, no reason, blocked pre-flight, lock held.</summary>
    Refused,
    Cancelled,
    Interrupted,
}

/// <summary>
/// Who did what, to what, why, with which confirmation and pre-flight, when, and how it ended. Written for every
/// action and every refused attempt; a run's entry is completed (ended, outcome, exit code) when it stops.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string User { get; set; } = "";
    /// <summary>The actor's groups, comma separated.</summary>
    public string Groups { get; set; } = "";
    /// <summary>e.g. <c>run.start</c>, <c>run.resume</c>, <c>run.cancel</c>, <c>flux.suspend</c>.</summary>
    public string Action { get; set; } = "";
    /// <summary>The workflow id and nodes, or the Flux object (<c>Kustomization flux-system/apps</c>).</summary>
    public string Target { get; set; } = "";
    /// <summary>The parameters as JSON.</summary>
    public string Parameters { get; set; } = "{}";
    public string? Reason { get; set; }
    /// <summary>The confirmation text as typed (bounded), also when it was wrong.</summary>
    public string? Confirmation { get; set; }
    public string? PreflightSummary { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public AuditOutcome Outcome { get; set; }
    public int? ExitCode { get; set; }
    public Guid? RunId { get; set; }
    /// <summary>Why it was refused, or how it ended.</summary>
    public string? Message { get; set; }
}
