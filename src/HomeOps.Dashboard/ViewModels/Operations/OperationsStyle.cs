using HomeOps.Operations.Audit;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Guards;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Workflows;
using MudBlazor;

namespace HomeOps.Dashboard.ViewModels.Operations;

/// <summary>Colour + icon per run, step, gate, pre-flight and audit state (never colour alone).</summary>
public static class OperationsStyle
{
    public static Color ColorOf(RunStatus s) => s switch
    {
        RunStatus.Succeeded => Color.Success,
        RunStatus.Running => Color.Info,
        RunStatus.Failed => Color.Error,
        RunStatus.Interrupted or RunStatus.Partial => Color.Warning,
        RunStatus.AwaitingConfirmation or RunStatus.Pending => Color.Primary,
        _ => Color.Default,
    };

    public static string IconOf(RunStatus s) => s switch
    {
        RunStatus.Succeeded => Icons.Material.Filled.CheckCircle,
        RunStatus.Running => Icons.Material.Filled.PlayCircle,
        RunStatus.Failed => Icons.Material.Filled.Error,
        RunStatus.Interrupted => Icons.Material.Filled.PauseCircle,
        RunStatus.Partial => Icons.Material.Filled.Warning,
        RunStatus.AwaitingConfirmation => Icons.Material.Filled.HowToReg,
        RunStatus.Cancelled => Icons.Material.Filled.Cancel,
        _ => Icons.Material.Filled.Schedule,
    };

    public static Color ColorOf(StepStatus s) => s switch
    {
        StepStatus.Succeeded => Color.Success,
        StepStatus.Running => Color.Info,
        StepStatus.Failed => Color.Error,
        StepStatus.Interrupted or StepStatus.Partial => Color.Warning,
        StepStatus.Skipped => Color.Secondary,
        _ => Color.Default,
    };

    public static string IconOf(StepStatus s) => s switch
    {
        StepStatus.Succeeded => Icons.Material.Filled.CheckCircle,
        StepStatus.Running => Icons.Material.Filled.PlayCircle,
        StepStatus.Failed => Icons.Material.Filled.Error,
        StepStatus.Interrupted => Icons.Material.Filled.PauseCircle,
        StepStatus.Cancelled => Icons.Material.Filled.Cancel,
        StepStatus.Skipped => Icons.Material.Filled.SkipNext,
        StepStatus.Partial => Icons.Material.Filled.Warning,
        _ => Icons.Material.Filled.RadioButtonUnchecked,
    };

    public static Color ColorOf(GateOutcome o) => o switch
    {
        GateOutcome.Passed => Color.Success,
        GateOutcome.Failed => Color.Error,
        GateOutcome.Unknown => Color.Warning,
        _ => Color.Default,
    };

    public static string IconOf(GateOutcome o) => o switch
    {
        GateOutcome.Passed => Icons.Material.Filled.CheckCircle,
        GateOutcome.Failed => Icons.Material.Filled.Cancel,
        GateOutcome.Unknown => Icons.Material.Filled.Help,
        _ => Icons.Material.Filled.VisibilityOff,
    };

    public static Severity AlertOf(PreflightSeverity s) => s switch
    {
        PreflightSeverity.Blocking => Severity.Error,
        PreflightSeverity.Warning => Severity.Warning,
        _ => Severity.Info,
    };

    public static Color ColorOf(AuditOutcome o) => o switch
    {
        AuditOutcome.Succeeded => Color.Success,
        AuditOutcome.Accepted or AuditOutcome.Started => Color.Info,
        AuditOutcome.Refused or AuditOutcome.Failed => Color.Error,
        AuditOutcome.Interrupted => Color.Warning,
        _ => Color.Default,
    };

    /// <summary>Where a workflow is run from in the UI: its own page for the bootstrap and safe reset, the generic page otherwise.</summary>
    public static string PageOf(string workflowId) => workflowId switch
    {
        WorkflowIds.BootstrapPhased => "/operations/bootstrap",
        WorkflowIds.SafeReset => "/operations/safe-reset",
        _ => "/operations/workflows/" + Uri.EscapeDataString(workflowId),
    };

    public static string RunPage(Guid runId) => $"/operations/runs/{runId}";
}
