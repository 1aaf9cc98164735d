using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Components.Dialogs;
using HomeOps.Dashboard.ViewModels.Operations;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Guards;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Workflows;

namespace HomeOps.Dashboard.Components.Pages.Operations;

public partial class BootstrapWizard
{
    private const string WorkflowId = WorkflowIds.BootstrapPhased;

    private sealed record PhaseView(StepDefinition Definition, StepView? Recorded, IReadOnlyList<LiveGate> Live, bool IsFirstUnfinished);

    private WorkflowDefinition? _workflow;
    private RunFeed? _feed;
    private IReadOnlyList<PhaseView> _phases = [];
    private List<string> _problems = [];
    private bool _busy;
    private RunSummary? _resetSince;

    protected override IReadOnlyCollection<Area> Areas { get; } = [Area.Nodes, Area.Flux, Area.Longhorn, Area.Bgp];

    private RunView? Run => _feed?.Run;

    protected override async Task OnInitializedAsync()
    {
        await base.OnInitializedAsync();
        _workflow = Engine.Workflows.Find(WorkflowId);
        var latest = (await Engine.ListRunsAsync(new RunQuery(WorkflowId, Take: 1))).FirstOrDefault();
        if (latest is not null) await FollowAsync(latest.Id);
        _resetSince = await ResetSinceBootstrap.FindAsync(Engine, WorkflowId);
        Compute();
    }

    protected override void OnStateChanged() => Compute();

    /// <summary>Recorded state from the run, live gates from the store: recomputed on every relevant store batch.</summary>
    private void Compute()
    {
        if (_workflow is null) return;
        var steps = Run?.Steps ?? [];
        var firstUnfinished = steps.FirstOrDefault(s => s.Status is not (StepStatus.Succeeded or StepStatus.Skipped))?.StepId;
        _phases = _workflow.Steps.Select(d =>
        {
            var recorded = steps.FirstOrDefault(s => s.StepId == d.Id);
            return new PhaseView(d, recorded, LiveGate.Evaluate(Gates, recorded?.Plan, d, State, Now), d.Id == firstUnfinished);
        }).ToList();
    }

    private async Task FollowAsync(Guid runId)
    {
        if (_feed?.RunId == runId) return;
        if (_feed is not null) await _feed.DisposeAsync();
        _feed = new RunFeed(Engine, runId, () => InvokeAsync(() => { Compute(); StateHasChanged(); }));
        if (RendererInfo.IsInteractive) await _feed.StartAsync();
        else await _feed.RefreshAsync();
    }

    private async Task StartAsync()
    {
        if (_workflow is null) return;
        if (!await EnsureFreshSignInAsync(CurrentLocalUrl)) return;
        var afterReset = _resetSince is not null;
        var answer = await OperationsDialogs.AskAsync(Dialogs, afterReset ? "Rebuild after the reset?" : "Start the bootstrap?",
            afterReset
                ? "The cluster was reset since the last bootstrap: first clears the checkout's .bootstrap-state/ markers (task bootstrap:reset --yes), then runs the phases in order, each gated on the live cluster."
                : "Runs the phases in order from the dashboard's home-ops checkout, each gated on the live cluster.",
            _workflow.Confirmation?.Phrase, byNodeNames: false, reasonRequired: true, afterReset ? "Rebuild" : "Start");
        if (answer is null) return;
        await CommandAsync(async actor =>
        {
            var parameters = new Dictionary<string, string?> { ["after-reset"] = afterReset ? "yes" : "no" };
            var result = await Engine.TriggerAsync(new RunRequest(WorkflowId, parameters, answer.Reason, answer.Confirmation), actor);
            if (result.Accepted) _resetSince = null;
            if (result is { Accepted: true, RunId: { } id }) await FollowAsync(id);
            return result;
        });
    }

    private async Task ResumeAsync(string? forceStep)
    {
        if (Run is not { } run || _workflow is null) return;
        if (!await EnsureFreshSignInAsync(CurrentLocalUrl)) return;
        var answer = await OperationsDialogs.AskAsync(Dialogs, forceStep is null ? "Resume the bootstrap?" : $"Re-run {forceStep}?",
            forceStep is null ? "Continues from the first unfinished phase; completed phases are not run again."
                              : $"Runs {forceStep} again (recorded as forced), then continues with the phases after it.",
            _workflow.Confirmation?.Phrase, byNodeNames: false, reasonRequired: true, forceStep is null ? "Resume" : "Force and resume");
        if (answer is null) return;
        await CommandAsync(actor => Engine.ResumeAsync(new ResumeRequest(run.Id, answer.Reason, answer.Confirmation, forceStep is null ? null : [forceStep]), actor));
    }

    /// <summary>
    /// Skip a failed phase (its command or a gate failed) and continue: an operator's decision with a reason, audited by
    /// the engine as run.resume with the skipped step — the UI offers what the API always could.
    /// </summary>
    private async Task SkipAsync(string stepKey)
    {
        if (Run is not { } run || _workflow is null) return;
        if (!await EnsureFreshSignInAsync(CurrentLocalUrl)) return;
        var answer = await OperationsDialogs.AskAsync(Dialogs, $"Skip {stepKey}?",
            $"Marks {stepKey} as skipped by you (recorded with your reason) and continues with the phases after it. Its failed gates stay in the record.",
            _workflow.Confirmation?.Phrase, byNodeNames: false, reasonRequired: true, "Skip and resume");
        if (answer is null) return;
        await CommandAsync(actor => Engine.ResumeAsync(new ResumeRequest(run.Id, answer.Reason, answer.Confirmation, SkipSteps: [stepKey]), actor));
    }

    private async Task CancelAsync()
    {
        if (Run is not { } run) return;
        var answer = await OperationsDialogs.AskAsync(Dialogs, "Cancel the bootstrap run?", "The running phase's process tree is killed; the run can be resumed later.", null, false, reasonRequired: false, "Cancel run");
        if (answer is null) return;
        await CommandAsync(actor => Engine.CancelAsync(run.Id, answer.Reason, actor));
    }

    private async Task CommandAsync(Func<Actor, Task<RunCommandResult>> command)
    {
        _busy = true;
        try
        {
            var result = await command(await ActorAsync());
            _problems = result.Accepted ? [] : [.. result.Problems];
            if (_feed is not null) await _feed.RefreshAsync();
            Compute();
        }
        finally
        {
            _busy = false;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_feed is not null) _ = _feed.DisposeAsync().AsTask();
    }
}
