namespace HomeOps.Operations.Persistence;

/// <summary>Lifecycle of a run. Terminal: Succeeded, Failed (resumable), Cancelled. Interrupted is resumable or abandonable.</summary>
public enum RunStatus
{
    Pending,
    AwaitingConfirmation,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    Interrupted,
    /// <summary>A step's command reported a partial result: the run stopped there, reported as partial, never as Succeeded.</summary>
    Partial,
}

public enum StepStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    Interrupted,
    /// <summary>Marked done by an operator on resume (recorded who); the command was not run by this run.</summary>
    Skipped,
    /// <summary>The command exited 0 but reported a partial result (e.g. the safe reset's "PARTIAL RESET SUCCESS"): not Succeeded.</summary>
    Partial,
}

/// <summary>One run of a workflow, with the definition snapshot it runs (so a changed definition never alters a run in flight).</summary>
public sealed class RunRecord
{
    public Guid Id { get; set; }
    public string WorkflowId { get; set; } = "";
    public string WorkflowTitle { get; set; } = "";
    public bool Destructive { get; set; }
    public RunStatus Status { get; set; }
    public int? CurrentStep { get; set; }
    public string ParametersJson { get; set; } = "{}";
    /// <summary>The workflow definition as it was when the run was created (JSON).</summary>
    public string DefinitionJson { get; set; } = "{}";
    public string? Reason { get; set; }
    public string? Confirmation { get; set; }
    public string RequestedBy { get; set; } = "";
    public string RequestedGroupsJson { get; set; } = "[]";
    public string? PreflightJson { get; set; }
    public string? PreflightSummary { get; set; }
    public bool PreflightBlocked { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? HeartbeatAt { get; set; }
    /// <summary>The instance executing it (pod name); null when nobody is.</summary>
    public string? Owner { get; set; }
    /// <summary>Set by a cancel from any replica; the owner's heartbeat picks it up.</summary>
    public bool CancelRequested { get; set; }
    public string? Message { get; set; }
    /// <summary>The audit entry of the current execution segment (start or resume), completed when it stops.</summary>
    public long? ActiveAuditId { get; set; }
    public List<StepRecord> Steps { get; set; } = [];
}

/// <summary>One step instance of a run (a forEach step has one per node), with its resolved plan and its record.</summary>
public sealed class StepRecord
{
    public long Id { get; set; }
    public Guid RunId { get; set; }
    public int Ordinal { get; set; }
    public string StepId { get; set; } = "";
    public string? Item { get; set; }
    public string Title { get; set; } = "";
    /// <summary>The resolved command and gates (JSON of <c>StepPlan</c>), fixed when the run was created.</summary>
    public string PlanJson { get; set; } = "{}";
    public StepStatus Status { get; set; }
    public int? ExitCode { get; set; }
    /// <summary>The command exited 0 at least once; a resume then re-checks only the after-gates.</summary>
    public bool CommandSucceeded { get; set; }
    public int Attempts { get; set; }
    public string? ForcedBy { get; set; }
    public DateTimeOffset? ForcedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? Message { get; set; }
    /// <summary>The last <c>Operations:OutputLimitBytes</c> of output.</summary>
    public string Output { get; set; } = "";
    public bool OutputTruncated { get; set; }
    public long OutputLineCount { get; set; }
    public string GateResultsJson { get; set; } = "[]";
    /// <summary>The pid of the step's latest command process (kept after it ends, for the record).</summary>
    public int? ProcessId { get; set; }
    /// <summary>That process's start time (Linux /proc stat field 22, clock ticks since boot): a reused pid has another one.</summary>
    public long? ProcessStartTicks { get; set; }
    /// <summary>The process table the pid belongs to (<see cref="Runners.ProcessIdentity.CurrentHost"/>): boot id and pid namespace.</summary>
    public string? ProcessHost { get; set; }
}
