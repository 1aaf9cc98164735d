using Bunit;
using HomeOps.Dashboard.Components.Pages.Operations;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Guards;
using HomeOps.Operations.Workflows;

namespace HomeOps.Dashboard.Tests.Operations;

public sealed class RunPagesTests : OperationsTestContext
{
    private static readonly Actor Operator = new("admin", ["homeops-operators"], true, DateTimeOffset.UtcNow);

    [Fact]
    public async Task The_run_page_streams_the_log_live_and_ends_with_the_final_status()
    {
        SignInAsViewer();
        RenderProviders();
        var started = await Engine.TriggerAsync(new RunRequest(TestWorkflowId, new Dictionary<string, string?>(), "check the log"), Operator,
            Xunit.TestContext.Current.CancellationToken);
        Assert.True(started.Accepted, started.ToString());
        var cut = Render<RunDetail>(p => p.Add(x => x.RunId, started.RunId!.Value));

        cut.WaitForAssertion(() => Assert.Contains("first-line", cut.Find("[data-testid=run-log-echo]").TextContent), Wait);
        cut.WaitForAssertion(() => Assert.Contains("second-line", cut.Find("[data-testid=run-log-echo]").TextContent), Wait);
        cut.WaitForAssertion(() => Assert.Equal("Succeeded", cut.Find("[data-testid=run-monitor]").GetAttribute("data-status")), Wait);
        var lines = cut.FindAll("[data-testid=run-log-echo] .log-line").Select(l => l.TextContent).ToList();
        Assert.Single(lines, l => l == "first-line"); // stored and live output are not doubled
        Assert.Single(lines, l => l == "second-line");
        Assert.Contains(lines, l => l.StartsWith("▸ exit code 0", StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=run-cancel], [data-testid=run-resume], [data-testid=run-abandon]"));
    }

    [Fact]
    public async Task The_operations_page_lists_the_shipped_workflows_and_recent_runs()
    {
        SignInAsViewer();
        var started = await Engine.TriggerAsync(new RunRequest(TestWorkflowId, new Dictionary<string, string?>()), Operator, Xunit.TestContext.Current.CancellationToken);
        await Engine.WaitUntilStoppedAsync(started.RunId!.Value, Xunit.TestContext.Current.CancellationToken);
        var cut = Render<OperationsIndex>();

        foreach (var id in new[] { WorkflowIds.BootstrapPhased, WorkflowIds.SafeReset, WorkflowIds.SafeReboot, WorkflowIds.EmergencyRecovery, WorkflowIds.DeployCilium })
            Assert.NotNull(cut.Find($"[data-testid='workflow-{id}']"));
        Assert.Equal("/operations/safe-reset", cut.Find("[data-testid='open-cluster:safe-reset']").GetAttribute("href"));
        Assert.Equal("/operations/workflows/cluster%3Asafe-reboot", cut.Find("[data-testid='open-cluster:safe-reboot']").GetAttribute("href"));
        Assert.Equal("Succeeded", cut.Find($"[data-testid=run-row-{started.RunId}]").GetAttribute("data-status"));
    }
}
