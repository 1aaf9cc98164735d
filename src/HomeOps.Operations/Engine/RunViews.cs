using HomeOps.Operations.Gates;
using HomeOps.Operations.Guards;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Engine;

/// <summary>What the operator asks for: a workflow, its parameters, why, and (for a one-call destructive start) the typed confirmation.</summary>
public sealed record RunRequest(string WorkflowId, IReadOnlyDictionary<string, string?> Parameters, string? Reason = null, string? Confirmation = null);

/// <summary>
/// Resume a Failed or Interrupted run from its first unfinished step. <see cref="ForceSteps"/> re-runs completed steps
/// explicitly (recorded); <see cref="SkipSteps"/> marks unfinished steps done without running them (recorded). Steps are
/// named by <see cref="StepView.Key"/> ("reboot@mini02"). Destructive runs need the confirmation and a reason again.
/// </summary>
public sealed record ResumeRequest(Guid RunId, string? Reason, string? Confirmation = null, IReadOnlyList<string>? ForceSteps = null, IReadOnlyList<string>? SkipSteps = null);

/// <summary>The answer to every engine command: accepted or refused (with why), and the run's state.</summary>
public sealed record RunCommandResult(bool Accepted, Guid? RunId, RunStatus? Status, IReadOnlyList<string> Problems, PreflightReport? Preflight, long? AuditId)
{
    public override string ToString() => Accepted ? $"accepted: run {RunId} {Status}" : $"refused: {string.Join("; ", Problems)}";
}

/// <summary>What a run would do, before anything is stored: validation problems, pre-flight, the confirmation to type, the concrete steps.</summary>
public sealed record RunPreview(
    WorkflowDefinition? Workflow,
    IReadOnlyList<string> Problems,
    PreflightReport? Preflight,
    string? ExpectedConfirmation,
    IReadOnlyList<PlannedStep> Steps,
    string? ApiUnreachableConfirmation = null)
{
    public bool Valid => Problems.Count == 0;
}

public sealed record PlannedStep(int Ordinal, string Key, string Title, StepPlan Plan);

public sealed record StepGateResult(int Attempt, string Phase, GateResult Result);

public sealed record StepView(
    int Ordinal,
    string Key,
    string StepId,
    string? Item,
    string Title,
    StepStatus Status,
    int? ExitCode,
    bool CommandSucceeded,
    int Attempts,
    string? ForcedBy,
    DateTimeOffset? ForcedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Message,
    string Output,
    bool OutputTruncated,
    long OutputLineCount,
    IReadOnlyList<StepGateResult> Gates,
    StepPlan Plan);

public sealed record RunView(
    Guid Id,
    string WorkflowId,
    string WorkflowTitle,
    bool Destructive,
    RunStatus Status,
    int? CurrentStep,
    StoredParameters Parameters,
    string? Reason,
    string? Confirmation,
    string RequestedBy,
    IReadOnlyList<string> RequestedGroups,
    PreflightReport? Preflight,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Owner,
    string? Message,
    IReadOnlyList<StepView> Steps,
    WorkflowDefinition? Definition)
{
    public bool CanResume => Status is RunStatus.Failed or RunStatus.Interrupted;
    public bool CanCancel => Status is RunStatus.Running or RunStatus.Pending or RunStatus.AwaitingConfirmation;
    public bool CanAbandon => Status is RunStatus.Failed or RunStatus.Interrupted;
    /// <summary>Executing now (Pending and AwaitingConfirmation wait for a person, not for the engine).</summary>
    public bool IsRunning => Status == RunStatus.Running;
}

public sealed record RunSummary(
    Guid Id,
    string WorkflowId,
    string WorkflowTitle,
    bool Destructive,
    RunStatus Status,
    int? CurrentStep,
    string RequestedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Message);

public sealed record RunQuery(string? WorkflowId = null, RunStatus? Status = null, int Take = 50);
