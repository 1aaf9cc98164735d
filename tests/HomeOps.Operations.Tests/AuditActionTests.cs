using HomeOps.Operations.Audit;

namespace HomeOps.Operations.Tests;

/// <summary>The typed audit actions keep the stored strings that existing databases, exports and Event readers hold.</summary>
public class AuditActionTests
{
    [Fact]
    public void Every_action_keeps_its_stored_name_and_kind()
    {
        // Written by earlier versions into the Action column: these strings must not change.
        (string Name, AuditActionKind Kind)[] stored =
        [
            ("run.create", AuditActionKind.Run), ("run.start", AuditActionKind.Run), ("run.resume", AuditActionKind.Run),
            ("run.cancel", AuditActionKind.Run), ("run.abandon", AuditActionKind.Run), ("run.recover-orphan", AuditActionKind.Run),
            ("run.lock-lost", AuditActionKind.Run), ("flux.reconcile", AuditActionKind.Flux), ("flux.reconcile-with-source", AuditActionKind.Flux),
            ("flux.suspend", AuditActionKind.Flux), ("flux.resume", AuditActionKind.Flux), ("flux.resume-and-reconcile", AuditActionKind.Flux),
            ("auth.refused", AuditActionKind.Authorization), ("ratelimit.refused", AuditActionKind.RateLimit),
            ("breakglass.signin", AuditActionKind.BreakGlass), ("breakglass.refused", AuditActionKind.BreakGlass),
            ("breakglass.lockout", AuditActionKind.BreakGlass), ("breakglass.locked", AuditActionKind.BreakGlass),
            ("breakglass.step-up", AuditActionKind.BreakGlass), ("breakglass.signout", AuditActionKind.BreakGlass),
            ("notify.sent", AuditActionKind.Notification), ("notify.suppressed", AuditActionKind.Notification),
            ("pod.log", AuditActionKind.LogRead),
        ];
        Assert.Equal(stored, AuditAction.All.Select(a => (a.Name, a.Kind)));
        Assert.All(stored, s => Assert.Same(AuditAction.All.Single(a => a.Name == s.Name), AuditAction.Find(s.Name)));
        Assert.Equal("run.start", AuditAction.RunStart.ToString());
    }

    [Theory]
    [InlineData("run.unknown")]
    [InlineData("RUN.START")]
    [InlineData("run.start ")]
    [InlineData("flux.")]
    [InlineData("")]
    [InlineData(null)]
    public void A_name_this_version_does_not_write_is_no_action_and_gets_no_event(string? name)
    {
        Assert.Null(AuditAction.Find(name));
        // Before, any "run.*" or "flux.*" text was treated as a run or a Flux action by prefix.
        Assert.Empty(AuditEventSubjects.Of(new AuditEntry { Action = name ?? "", Target = "cluster:safe-reset mini02" }, "homeops-dashboard"));
    }
}
