using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Components.Dialogs;
using HomeOps.Dashboard.ViewModels.Operations;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Guards;
using Microsoft.AspNetCore.Components;

namespace HomeOps.Dashboard.Components.Controls.Operations;

public partial class RunMonitor
{
    [Parameter, EditorRequired] public Guid RunId { get; set; }

    [Parameter] public bool ShowPreflight { get; set; } = true;

    /// <summary>Raised after the run changed (live or by a command here), for pages that show more of it.</summary>
    [Parameter] public EventCallback<RunView> RunChanged { get; set; }

    private RunFeed? _feed;
    private bool _loaded;
    private bool _busy;
    private List<string> _problems = [];

    protected override IReadOnlyCollection<Area> Areas { get; } = [];

    protected override async Task OnParametersSetAsync()
    {
        if (_feed?.RunId == RunId) return;
        if (_feed is not null) await _feed.DisposeAsync();
        _feed = new RunFeed(Engine, RunId, OnFeedChangedAsync);
        if (RendererInfo.IsInteractive) await _feed.StartAsync();
        else await _feed.RefreshAsync();
        _loaded = true;
    }

    private Task OnFeedChangedAsync() => InvokeAsync(async () =>
    {
        StateHasChanged();
        if (_feed?.Run is { } r) await RunChanged.InvokeAsync(r);
    });

    private async Task CancelAsync()
    {
        var answer = await OperationsDialogs.AskAsync(Dialogs, "Cancel this run?", "A running step's process tree is killed.", null, false, reasonRequired: false, "Cancel run");
        if (answer is null) return;
        await CommandAsync(async actor => await Engine.CancelAsync(RunId, answer.Reason, actor));
    }

    private async Task AbandonAsync()
    {
        var answer = await OperationsDialogs.AskAsync(Dialogs, "Abandon this run?", "It is closed without resuming; nothing runs.", null, false, reasonRequired: true, "Abandon");
        if (answer is null) return;
        await CommandAsync(async actor => await Engine.AbandonAsync(RunId, answer.Reason, actor));
    }

    /// <summary>Resume from the first unfinished step; with <paramref name="forceStep"/>, re-run that completed step too.</summary>
    private async Task ResumeAsync(string? forceStep)
    {
        if (_feed?.Run is not { } run) return;
        var definition = run.Definition;
        string? expected = null;
        var byNames = false;
        if (run.Destructive && definition?.Confirmation is { } c)
        {
            if (!await EnsureFreshSignInAsync(CurrentLocalUrl)) return;
            expected = c.Phrase ?? string.Join(", ", run.Parameters.NodeLists.GetValueOrDefault(c.NodeNamesParameter ?? "") ?? []);
            byNames = c.Phrase is null;
        }
        var title = forceStep is null ? "Resume this run?" : $"Re-run {forceStep} and resume?";
        var summary = forceStep is null
            ? "It continues from the first unfinished step; completed steps are not run again."
            : $"The completed step {forceStep} runs again (recorded as forced), then the run continues.";
        var answer = await OperationsDialogs.AskAsync(Dialogs, title, summary, expected, byNames, reasonRequired: true, forceStep is null ? "Resume" : "Force and resume");
        if (answer is null) return;
        await CommandAsync(async actor => await Engine.ResumeAsync(
            new ResumeRequest(RunId, answer.Reason, answer.Confirmation, forceStep is null ? null : [forceStep]), actor));
    }

    private async Task CommandAsync(Func<Actor, Task<RunCommandResult>> command)
    {
        _busy = true;
        try
        {
            var result = await command(await ActorAsync());
            _problems = result.Accepted ? [] : [.. result.Problems];
            if (_feed is not null) await _feed.RefreshAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    // StoreBoundComponent owns IDisposable (a component with both interfaces only gets DisposeAsync).
    protected override void Dispose(bool disposing)
    {
        if (_feed is not null) _ = _feed.DisposeAsync().AsTask();
    }
}
