using HomeOps.Operations.Engine;

namespace HomeOps.Dashboard.Hubs;

/// <summary>What one item of <see cref="ClusterHub.StreamRun"/> is.</summary>
public static class RunEventTypes
{
    /// <summary>The whole run (<see cref="RunEventDto.Run"/>): first, after a gap, and last.</summary>
    public const string State = "state";
    /// <summary>One output line of a step (stored lines first, then live ones, in line-number order per step).</summary>
    public const string Line = "line";
    /// <summary>A step changed status.</summary>
    public const string Step = "step";
    /// <summary>The run changed status.</summary>
    public const string Status = "status";
    /// <summary>A gate was evaluated before or after a step.</summary>
    public const string Gate = "gate";
    /// <summary>Items were left out (<see cref="RunEventDto.Dropped"/>): the client read too slowly, or the stored log was cut.</summary>
    public const string Dropped = "dropped";
}

/// <summary>
/// One item of a run's stream, flat so that any SignalR client can read it: <see cref="Type"/> says which fields are
/// set. It carries what a viewer sees on the run page — status, step names and results, output lines — and never the
/// steps' environment, argument vectors, parameters or typed confirmation.
/// </summary>
public sealed record RunEventDto(
    string Type,
    DateTimeOffset At,
    RunStateDto? Run = null,
    string? Status = null,
    int? Ordinal = null,
    string? StepKey = null,
    int? ExitCode = null,
    long? LineNumber = null,
    string? Stream = null,
    string? Text = null,
    string? Phase = null,
    string? Gate = null,
    long? Dropped = null,
    string? Message = null);

public sealed record RunStateDto(
    Guid Id,
    string WorkflowId,
    string WorkflowTitle,
    bool Destructive,
    string Status,
    int? CurrentStep,
    string RequestedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Message,
    IReadOnlyList<RunStepDto> Steps)
{
    public static RunStateDto From(RunView run) => new(run.Id, run.WorkflowId, run.WorkflowTitle, run.Destructive, run.Status.ToString(),
        run.CurrentStep, run.RequestedBy, run.CreatedAt, run.StartedAt, run.EndedAt, run.Message,
        run.Steps.Select(s => new RunStepDto(s.Ordinal, s.Key, s.Title, s.Status.ToString(), s.ExitCode, s.Attempts, s.StartedAt, s.EndedAt,
            s.Message, s.OutputLineCount)).ToList());
}

public sealed record RunStepDto(
    int Ordinal,
    string Key,
    string Title,
    string Status,
    int? ExitCode,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Message,
    long OutputLineCount);
