using HomeOps.Operations.Engine;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Tests.Support;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Tests;

/// <summary>
/// Issue 13 a and b in the engine: a forced re-run runs the step's forceArgv (a Task phase whose status would skip it
/// needs `task bootstrap:force-phase PHASE=N`, not the same command again), and a step with `when` is planned only for
/// that parameter value (clearing the checkout's state only when rebuilding after a reset).
/// </summary>
public sealed class ForceAndConditionalStepTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_forced_step_runs_its_force_command_and_a_normal_run_does_not()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        h.Touch("fail-two");
        var run = await h.Engine.TriggerAsync(new RunRequest("test:force", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        Assert.Equal(RunStatus.Failed, (await h.Settle(run.RunId!.Value)).Status);
        Assert.Equal(["one", "two"], h.RunsLog());
        h.Delete("fail-two");

        var forced = await h.Engine.ResumeAsync(new ResumeRequest(run.RunId!.Value, "marker says done, cluster says no", ForceSteps: ["one"]), Actors.Operator("alice"), Ct);
        Assert.True(forced.Accepted, forced.ToString());
        var done = await h.Settle(run.RunId!.Value);
        Assert.Equal(RunStatus.Succeeded, done.Status);
        Assert.Equal(["one", "two", "force-one", "two"], h.RunsLog());
        Assert.Contains("$ /bin/sh step.sh force-one", done.Steps[0].Output);
    }

    [Fact]
    public async Task A_conditional_step_is_planned_only_for_its_parameter_value()
    {
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        var plain = await h.Engine.PreviewAsync(new RunRequest("test:force", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        Assert.Equal(["one", "two"], plain.Steps.Select(s => s.Key));
        var fresh = await h.Engine.PreviewAsync(new RunRequest("test:force", new Dictionary<string, string?> { ["fresh"] = "yes" }, null), Actors.Operator(), Ct);
        Assert.Equal(["clear", "one", "two"], fresh.Steps.Select(s => s.Key));
    }

    [Fact]
    public void When_and_forceArgv_are_validated()
    {
        var loader = new WorkflowLoader(GateRegistry.CreateDefault());
        var e = Assert.Throws<WorkflowDefinitionException>(() => loader.Parse("""
            workflows:
              - id: t:x
                title: X
                parameters: [{name: n, type: string}]
                steps:
                  - {id: a, title: A, argv: [task, x], when: {parameter: n, value: "1"}}
                  - {id: b, title: B, argv: [task, y], forceArgv: [task, "{n}"]}
                  - {id: c, title: C, argv: [talosctl, version], forceArgv: [talosctl, reset, --nodes, 1.2.3.4]}
            """, "bad.yaml"));
        Assert.Contains("when must name an enum parameter", e.Message);
        Assert.Contains("forceArgv takes literal arguments only", e.Message);
        Assert.Contains("forceArgv:", e.Message);
    }

    [Fact]
    public async Task A_command_that_exits_0_with_a_partial_verdict_ends_the_run_as_partial_not_succeeded()
    {
        // Issue 13 h: a full reset that leaves 1–2 of 3 nodes in maintenance exits 0 with "PARTIAL RESET SUCCESS".
        await using var h = await EngineHarness.CreateAsync(TestWorkflows.Yaml);
        var run = await h.Engine.TriggerAsync(new RunRequest("test:partial", TestWorkflows.NoParameters, null), Actors.Operator(), Ct);
        var done = await h.Settle(run.RunId!.Value);
        Assert.Equal(RunStatus.Partial, done.Status);
        Assert.Equal(StepStatus.Partial, done.Steps[0].Status);
        Assert.Equal(0, done.Steps[0].ExitCode);
        Assert.Contains("reported a partial result: \"⚠ PARTIAL RESET SUCCESS\"", done.Steps[0].Message);
        Assert.Equal(StepStatus.Pending, done.Steps[1].Status);
        Assert.Empty(h.RunsLog());
    }

    [Fact]
    public void The_full_cluster_reset_reads_the_tasks_partial_verdict()
    {
        var reset = new WorkflowCatalog(GateRegistry.CreateDefault()).Find(WorkflowIds.SafeReset)!;
        var full = reset.Steps.Single(s => s.When == new StepCondition("scope", "full-cluster"));
        Assert.Equal("PARTIAL RESET SUCCESS", full.PartialWhenOutput);
        Assert.Null(reset.Steps.Single(s => s.When == new StepCondition("scope", "partial")).PartialWhenOutput);
    }
}
