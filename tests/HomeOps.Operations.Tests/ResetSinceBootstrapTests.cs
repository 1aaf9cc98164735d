using HomeOps.Operations.Engine;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Tests;

/// <summary>Issue 13 b: the wizard knows the cluster was reset since its last bootstrap run.</summary>
public sealed class ResetSinceBootstrapTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static RunSummary Run(string workflow, RunStatus status, int startedMinutes, bool started = true) =>
        new(Guid.NewGuid(), workflow, workflow, true, status, null, "admin", T0.AddMinutes(startedMinutes - 1),
            started ? T0.AddMinutes(startedMinutes) : null, null, null);

    [Fact]
    public void A_reset_that_started_after_the_last_bootstrap_counts_whatever_its_outcome()
    {
        var bootstrap = Run(WorkflowIds.BootstrapPhased, RunStatus.Succeeded, 0);
        var partial = Run(WorkflowIds.SafeReset, RunStatus.Failed, 30);
        Assert.Equal(partial, ResetSinceBootstrap.Find([partial], bootstrap));
        Assert.Equal(partial, ResetSinceBootstrap.Find([partial], null));
    }

    [Fact]
    public void A_reset_before_the_last_bootstrap_or_never_started_does_not()
    {
        var bootstrap = Run(WorkflowIds.BootstrapPhased, RunStatus.Succeeded, 60);
        Assert.Null(ResetSinceBootstrap.Find([Run(WorkflowIds.SafeReset, RunStatus.Succeeded, 30)], bootstrap));
        Assert.Null(ResetSinceBootstrap.Find([Run(WorkflowIds.SafeReset, RunStatus.Cancelled, 90, started: false)], bootstrap));
        Assert.Null(ResetSinceBootstrap.Find([Run(WorkflowIds.SafeReboot, RunStatus.Succeeded, 90)], bootstrap));
    }
}
