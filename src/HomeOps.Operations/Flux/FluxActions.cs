using System.Text.Json;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Guards;
using HomeOps.Operations.ApiCalls;

namespace HomeOps.Operations.Flux;

public sealed record FluxActionResult(bool Accepted, string Message, long AuditId)
{
    /// <summary>
    /// True when the action was allowed but the Kubernetes API did not carry it out (unreachable, 403, 404, 5xx): audited
    /// as Failed, answered 502 by the endpoint. False for a refusal by a guard (409) and for an accepted action.
    /// </summary>
    public bool Failed { get; init; }

    public override string ToString() => $"{(Accepted ? "accepted" : Failed ? "failed" : "refused")}: {Message}";
}

/// <summary>Flux actions straight through the Kubernetes API, guarded (operator only) and audited.</summary>
public interface IFluxActions
{
    /// <summary>Requests a reconcile; with <paramref name="withSource"/> the source first. Refused for a suspended object.</summary>
    Task<FluxActionResult> ReconcileAsync(FluxObjectRef target, bool withSource, Actor actor, CancellationToken ct = default);

    /// <summary>Sets <c>spec.suspend: true</c>, recording who and why (a reason is required).</summary>
    Task<FluxActionResult> SuspendAsync(FluxObjectRef target, Actor actor, string reason, CancellationToken ct = default);

    Task<FluxActionResult> ResumeAsync(FluxObjectRef target, Actor actor, string? reason, CancellationToken ct = default);

    /// <summary>Resumes and requests a reconcile in one patch.</summary>
    Task<FluxActionResult> ResumeAndReconcileAsync(FluxObjectRef target, Actor actor, string? reason, CancellationToken ct = default);
}

public sealed class FluxActions(IFluxObjectClient client, IAuditLog audit, TimeProvider? time = null) : IFluxActions
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<FluxActionResult> ReconcileAsync(FluxObjectRef target, bool withSource, Actor actor, CancellationToken ct = default)
    {
        var action = withSource ? AuditAction.FluxReconcileWithSource : AuditAction.FluxReconcile;
        if (Refusal(target, actor) is { } r) return await RefuseAsync(action, target, actor, null, r, ct).ConfigureAwait(false);
        var (state, readError) = await ReadAsync(target, ct).ConfigureAwait(false);
        if (readError is not null) return await FailAsync(action, target, actor, null, readError, ct).ConfigureAwait(false);
        if (state is null) return await RefuseAsync(action, target, actor, null, $"{target} does not exist", ct).ConfigureAwait(false);
        if (state.Suspended)
            return await RefuseAsync(action, target, actor, null,
                $"{target} is suspended: a reconcile request on a suspended object is silently ignored by Flux. Use resume-and-reconcile.", ct).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var done = new List<string>();
        if (withSource)
        {
            if (state.Source is not { } source)
                return await RefuseAsync(action, target, actor, null, $"{target}: its source could not be determined", ct).ConfigureAwait(false);
            if (await PatchAsync(source, FluxPatchBodies.Reconcile(now), ct).ConfigureAwait(false) is { } sourceError)
                return await FailAsync(action, target, actor, null, $"patching its source {source} failed: {sourceError}", ct).ConfigureAwait(false);
            done.Add($"requested reconcile of source {source}");
        }
        if (await PatchAsync(target, FluxPatchBodies.Reconcile(now), ct).ConfigureAwait(false) is { } error)
            return await FailAsync(action, target, actor, null, string.Join("; ", done.Append($"patching {target} failed: {error}")), ct).ConfigureAwait(false);
        done.Add($"requested reconcile of {target} at {FluxPatchBodies.Rfc3339(now)}");
        return await AcceptAsync(action, target, actor, null, string.Join("; ", done), ct).ConfigureAwait(false);
    }

    public async Task<FluxActionResult> SuspendAsync(FluxObjectRef target, Actor actor, string reason, CancellationToken ct = default)
    {
        var action = AuditAction.FluxSuspend;
        if ((Refusal(target, actor) ?? RunGuards.Reason(reason)) is { } r) return await RefuseAsync(action, target, actor, reason, r, ct).ConfigureAwait(false);
        var (state, readError) = await ReadAsync(target, ct).ConfigureAwait(false);
        if (readError is not null) return await FailAsync(action, target, actor, reason, readError, ct).ConfigureAwait(false);
        if (state is null) return await RefuseAsync(action, target, actor, reason, $"{target} does not exist", ct).ConfigureAwait(false);
        if (await PatchAsync(target, FluxPatchBodies.Suspend(actor.User, reason.Trim(), _time.GetUtcNow()), ct).ConfigureAwait(false) is { } error)
            return await FailAsync(action, target, actor, reason, $"patching {target} failed: {error}", ct).ConfigureAwait(false);
        return await AcceptAsync(action, target, actor, reason, $"suspended {target}", ct).ConfigureAwait(false);
    }

    public Task<FluxActionResult> ResumeAsync(FluxObjectRef target, Actor actor, string? reason, CancellationToken ct = default) =>
        ResumeCoreAsync(target, actor, reason, reconcile: false, ct);

    public Task<FluxActionResult> ResumeAndReconcileAsync(FluxObjectRef target, Actor actor, string? reason, CancellationToken ct = default) =>
        ResumeCoreAsync(target, actor, reason, reconcile: true, ct);

    private async Task<FluxActionResult> ResumeCoreAsync(FluxObjectRef target, Actor actor, string? reason, bool reconcile, CancellationToken ct)
    {
        var action = reconcile ? AuditAction.FluxResumeAndReconcile : AuditAction.FluxResume;
        if (Refusal(target, actor) is { } r) return await RefuseAsync(action, target, actor, reason, r, ct).ConfigureAwait(false);
        var (state, readError) = await ReadAsync(target, ct).ConfigureAwait(false);
        if (readError is not null) return await FailAsync(action, target, actor, reason, readError, ct).ConfigureAwait(false);
        if (state is null) return await RefuseAsync(action, target, actor, reason, $"{target} does not exist", ct).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var body = reconcile ? FluxPatchBodies.ResumeAndReconcile(actor.User, reason?.Trim(), now) : FluxPatchBodies.Resume(actor.User, reason?.Trim(), now);
        if (await PatchAsync(target, body, ct).ConfigureAwait(false) is { } error)
            return await FailAsync(action, target, actor, reason, $"patching {target} failed: {error}", ct).ConfigureAwait(false);
        var msg = (state.Suspended ? $"resumed {target}" : $"{target} was not suspended; resume is a no-op") + (reconcile ? " and requested a reconcile" : "");
        return await AcceptAsync(action, target, actor, reason, msg, ct).ConfigureAwait(false);
    }

    private static string? Refusal(FluxObjectRef target, Actor actor)
    {
        if (RunGuards.Operator(actor) is { } op) return op;
        if (FluxKinds.Find(target.Kind) is null) return $"'{target.Kind}' is not a Flux kind the dashboard patches ({string.Join(", ", FluxKinds.Names)})";
        if (!InputValidator.IsValidNodeName(target.Name) || !InputValidator.IsValidNodeName(target.Namespace))
            return "namespace and name must be DNS labels";
        return null;
    }

    /// <summary>Reads the target fresh; an API that cannot answer is a failure with its reason (never an exception out of the action).</summary>
    private async Task<(FluxObjectState? State, string? Error)> ReadAsync(FluxObjectRef target, CancellationToken ct)
    {
        try { return (await client.GetAsync(target, ct).ConfigureAwait(false), null); }
        catch (Exception ex) when (KubernetesApiFailure.Describe(ex, ct) is { } why) { return (null, $"reading {target} failed: {why}"); }
    }

    /// <summary>Null when the patch was applied; otherwise why not (API unreachable, 403, 404 since the read, 5xx…).</summary>
    private async Task<string?> PatchAsync(FluxObjectRef target, string body, CancellationToken ct)
    {
        try
        {
            await client.PatchAsync(target, body, ct).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (KubernetesApiFailure.Describe(ex, ct) is { } why) { return why; }
    }

    private async Task<FluxActionResult> FailAsync(AuditAction action, FluxObjectRef target, Actor actor, string? reason, string message, CancellationToken ct)
    {
        // Recorded even when the caller has gone away: an attempted change is on record whatever happened to the request.
        var entry = await audit.RecordAsync(Entry(action, target, actor, reason, AuditOutcome.Failed, message), CancellationToken.None).ConfigureAwait(false);
        return new FluxActionResult(false, message, entry.Id) { Failed = true };
    }

    private async Task<FluxActionResult> AcceptAsync(AuditAction action, FluxObjectRef target, Actor actor, string? reason, string message, CancellationToken ct)
    {
        var entry = await audit.RecordAsync(Entry(action, target, actor, reason, AuditOutcome.Succeeded, message), ct).ConfigureAwait(false);
        return new FluxActionResult(true, message, entry.Id);
    }

    private async Task<FluxActionResult> RefuseAsync(AuditAction action, FluxObjectRef target, Actor actor, string? reason, string message, CancellationToken ct)
    {
        var entry = await audit.RecordAsync(Entry(action, target, actor, reason, AuditOutcome.Refused, message), ct).ConfigureAwait(false);
        return new FluxActionResult(false, message, entry.Id);
    }

    private AuditEntry Entry(AuditAction action, FluxObjectRef target, Actor actor, string? reason, AuditOutcome outcome, string message)
    {
        var now = _time.GetUtcNow();
        return new AuditEntry
        {
            At = now,
            User = actor.User,
            Groups = string.Join(",", actor.Groups),
            Action = action.Name,
            Target = target.ToString(),
            Parameters = JsonSerializer.Serialize(new { kind = target.Kind, @namespace = target.Namespace, name = target.Name }),
            Reason = reason,
            StartedAt = now,
            EndedAt = now,
            Outcome = outcome,
            Message = message,
        };
    }
}
