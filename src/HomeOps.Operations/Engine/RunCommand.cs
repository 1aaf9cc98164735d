using HomeOps.Operations.Audit;
using HomeOps.Operations.Guards;

namespace HomeOps.Operations.Engine;

/// <summary>
/// One run command as the engine admits and audits it: what (<see cref="Action"/>), who (<see cref="Actor"/>: the
/// user, their groups and operator role, the sign-in time that step-up is judged by), with which words
/// (<see cref="Reason"/>, the typed <see cref="Confirmation"/>), on which input (<see cref="Input"/>: the parameters
/// as requested, or as stored with the run), with which overrides (<see cref="Force"/> and <see cref="Skip"/>: steps
/// forced or skipped on resume; null for other commands), and the caller's <see cref="Cancellation"/>.
/// </summary>
internal sealed record RunCommand(AuditAction Action, Actor Actor, CancellationToken Cancellation)
{
    /// <summary>The workflow a command names before any run exists (create, trigger).</summary>
    public string? WorkflowId { get; init; }

    public string? Reason { get; init; }

    /// <summary>The confirmation as typed, also when it is wrong (the audit records it).</summary>
    public string? Confirmation { get; init; }

    public IReadOnlyDictionary<string, string?>? Input { get; init; }

    public IReadOnlyList<string>? Force { get; init; }

    public IReadOnlyList<string>? Skip { get; init; }

    /// <summary>A command that names a workflow and carries its own input, reason and confirmation.</summary>
    public static RunCommand For(AuditAction action, RunRequest request, Actor actor, CancellationToken ct) => new(action, actor, ct)
    {
        WorkflowId = request.WorkflowId,
        Reason = request.Reason,
        Confirmation = request.Confirmation,
        Input = request.Parameters,
    };
}
