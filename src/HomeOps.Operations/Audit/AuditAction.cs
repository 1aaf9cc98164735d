namespace HomeOps.Operations.Audit;

/// <summary>What an audit action is about, which decides what else the entry means (e.g. which cluster object gets an Event).</summary>
public enum AuditActionKind
{
    /// <summary>A workflow run (create, start, resume, cancel, …): its target is "&lt;workflow id&gt;[ &lt;node&gt;,…]".</summary>
    Run,
    /// <summary>A patch of a Flux object: its parameters name the object.</summary>
    Flux,
    /// <summary>Refused by the authorization layer before any command ran.</summary>
    Authorization,
    /// <summary>Refused by the command rate limit before any command ran.</summary>
    RateLimit,
    /// <summary>Break-glass sign-in (the local account for Authentik outages): about a person, no cluster object.</summary>
    BreakGlass,
    /// <summary>A notification (Web Push, ntfy) sent to a user, or held back by quiet hours or the rate limit: no cluster object.</summary>
    Notification,
    /// <summary>A read of a container's log (who, which pod and container, tail or follow; never a line of it): no change, no cluster Event, not on the timeline.</summary>
    LogRead,
}

/// <summary>
/// The closed set of audit actions. <see cref="Name"/> is the stored form (the <c>Action</c> column, the audit export,
/// the Kubernetes Event's action, the page's filter), unchanged from the strings written before this type existed, so
/// existing databases read the same. Code writes an instance and reads back with <see cref="Find"/>; nothing matches
/// on the text.
/// </summary>
public sealed class AuditAction
{
    public static readonly AuditAction RunCreate = new("run.create", AuditActionKind.Run);
    public static readonly AuditAction RunStart = new("run.start", AuditActionKind.Run);
    public static readonly AuditAction RunResume = new("run.resume", AuditActionKind.Run);
    public static readonly AuditAction RunCancel = new("run.cancel", AuditActionKind.Run);
    public static readonly AuditAction RunAbandon = new("run.abandon", AuditActionKind.Run);
    /// <summary>A step's process left behind by a stopped dashboard was found and killed on recovery.</summary>
    public static readonly AuditAction RunRecoverOrphan = new("run.recover-orphan", AuditActionKind.Run);
    /// <summary>A destructive run lost its lease (another replica took the lock) and was stopped.</summary>
    public static readonly AuditAction RunLockLost = new("run.lock-lost", AuditActionKind.Run);
    public static readonly AuditAction FluxReconcile = new("flux.reconcile", AuditActionKind.Flux);
    public static readonly AuditAction FluxReconcileWithSource = new("flux.reconcile-with-source", AuditActionKind.Flux);
    public static readonly AuditAction FluxSuspend = new("flux.suspend", AuditActionKind.Flux);
    public static readonly AuditAction FluxResume = new("flux.resume", AuditActionKind.Flux);
    public static readonly AuditAction FluxResumeAndReconcile = new("flux.resume-and-reconcile", AuditActionKind.Flux);
    public static readonly AuditAction AuthRefused = new("auth.refused", AuditActionKind.Authorization);
    public static readonly AuditAction RateLimitRefused = new("ratelimit.refused", AuditActionKind.RateLimit);
    /// <summary>A break-glass sign-in attempt: Succeeded or Failed (wrong user name, password or code).</summary>
    public static readonly AuditAction BreakGlassSignIn = new("breakglass.signin", AuditActionKind.BreakGlass);
    /// <summary>Refused before the credentials were looked at: not offered, outside the allowed networks, no antiforgery token.</summary>
    public static readonly AuditAction BreakGlassRefused = new("breakglass.refused", AuditActionKind.BreakGlass);
    /// <summary>The failure that locked break-glass sign-in for a user name.</summary>
    public static readonly AuditAction BreakGlassLockout = new("breakglass.lockout", AuditActionKind.BreakGlass);
    /// <summary>An attempt while locked (the password was not checked).</summary>
    public static readonly AuditAction BreakGlassLocked = new("breakglass.locked", AuditActionKind.BreakGlass);
    /// <summary>A break-glass session's step-up (password and code again before a destructive action).</summary>
    public static readonly AuditAction BreakGlassStepUp = new("breakglass.step-up", AuditActionKind.BreakGlass);
    public static readonly AuditAction BreakGlassSignOut = new("breakglass.signout", AuditActionKind.BreakGlass);
    /// <summary>A problem or recovery notification sent to a user (its channels in the parameters).</summary>
    public static readonly AuditAction NotifySent = new("notify.sent", AuditActionKind.Notification);
    /// <summary>A notification not sent: the user's quiet hours or hourly limit (the message says which).</summary>
    public static readonly AuditAction NotifySuppressed = new("notify.suppressed", AuditActionKind.Notification);
    /// <summary>A container log read (tail or follow; the mode and line count in the parameters), or a refused attempt.</summary>
    public static readonly AuditAction PodLogRead = new("pod.log", AuditActionKind.LogRead);

    public static IReadOnlyList<AuditAction> All { get; } =
    [
        RunCreate, RunStart, RunResume, RunCancel, RunAbandon, RunRecoverOrphan, RunLockLost,
        FluxReconcile, FluxReconcileWithSource, FluxSuspend, FluxResume, FluxResumeAndReconcile,
        AuthRefused, RateLimitRefused,
        BreakGlassSignIn, BreakGlassRefused, BreakGlassLockout, BreakGlassLocked, BreakGlassStepUp, BreakGlassSignOut,
        NotifySent, NotifySuppressed,
        PodLogRead,
    ];

    private static readonly Dictionary<string, AuditAction> ByName = All.ToDictionary(a => a.Name, StringComparer.Ordinal);

    private AuditAction(string name, AuditActionKind kind)
    {
        Name = name;
        Kind = kind;
    }

    /// <summary>The stored form, e.g. <c>run.start</c>.</summary>
    public string Name { get; }

    public AuditActionKind Kind { get; }

    /// <summary>The action a stored name stands for; null for a name this version does not write (exact, case-sensitive).</summary>
    public static AuditAction? Find(string? name) => name is not null && ByName.TryGetValue(name, out var a) ? a : null;

    public override string ToString() => Name;
}
