using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Components.Dialogs;
using HomeOps.Dashboard.ViewModels.Operations;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Workflows;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;

namespace HomeOps.Dashboard.Components.Controls.Operations;

public partial class WorkflowLauncher
{
    [Parameter, EditorRequired] public string WorkflowId { get; set; } = "";

    /// <summary>Raised when a run was started here.</summary>
    [Parameter] public EventCallback<Guid> Started { get; set; }

    private WorkflowDefinition? _workflow;
    private IReadOnlyList<NodeChoice> _nodes = [];
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _nodeValues = new(StringComparer.Ordinal);
    private RunPreview? _preview;
    private List<string> _problems = [];
    private string? _reason;
    private Guid? _runId;
    private bool _busy;
    private bool _touched;
    private int _previewVersion;

    protected override IReadOnlyCollection<Area> Areas { get; } = [Area.Nodes, Area.Flux, Area.Longhorn, Area.Bgp];

    private bool CanLaunch => _preview is { Valid: true } p && p.Preflight?.IsBlocked != true;

    protected override void OnStateChanged()
    {
        _nodes = NodeChoice.FromLive(State);
        // The pre-flight follows the live cluster (a node going NotReady changes the quorum verdict).
        if (_workflow is not null && ShowsControls && _runId is null) _ = RefreshPreviewAsync(render: true);
    }

    protected override async Task OnInitializedAsync()
    {
        await base.OnInitializedAsync();
        _workflow = Engine.Workflows.Find(WorkflowId);
        if (_workflow is null) return;
        foreach (var p in _workflow.Parameters.Where(p => !p.IsNodeKind && p.Default is not null)) _values[p.Name] = p.Default;
        RestoreFromQuery();
        if (ShowsControls) await RefreshPreviewAsync(render: false);
    }

    /// <summary>After a step-up sign-in the page comes back with the choices in its query; node names only from the live list.</summary>
    private void RestoreFromQuery()
    {
        var query = QueryHelpers.ParseQuery(new Uri(Navigation.Uri).Query);
        foreach (var p in _workflow!.Parameters)
        {
            if (!query.TryGetValue(p.Name, out var v) || string.IsNullOrEmpty(v)) continue;
            if (p.IsNodeKind) _nodeValues[p.Name] = NodeChoice.Sanitize(v.ToString().Split(','), _nodes);
            else if (p.Type != ParameterType.Enum || p.Values.Contains(v.ToString())) _values[p.Name] = v.ToString();
            _touched = true;
        }
    }

    private IReadOnlyCollection<string> NodesOf(string name) => _nodeValues.GetValueOrDefault(name) ?? [];

    private string? Value(ParameterDefinition p) => _values.GetValueOrDefault(p.Name);

    private async Task SetNodesAsync(string name, IReadOnlyList<string> names)
    {
        _nodeValues[name] = names;
        _touched = true;
        await RefreshPreviewAsync(render: false);
    }

    private async Task SetValueAsync(string name, string? value)
    {
        _values[name] = value;
        _touched = true;
        await RefreshPreviewAsync(render: false);
    }

    private Dictionary<string, string?> Parameters()
    {
        var all = new Dictionary<string, string?>(_values, StringComparer.Ordinal);
        foreach (var (k, v) in _nodeValues) all[k] = v.Count == 0 ? null : string.Join(",", v);
        return all;
    }

    private async Task RefreshPreviewAsync(bool render)
    {
        var version = Interlocked.Increment(ref _previewVersion);
        try
        {
            var preview = await Engine.PreviewAsync(new RunRequest(WorkflowId, Parameters()), await ActorAsync());
            if (version != _previewVersion) return; // a newer preview is on its way
            _preview = preview;
            if (render) await InvokeAsync(StateHasChanged);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _problems = [$"the preview failed: {ex.Message}"];
        }
    }

    /// <summary>
    /// Steps the enum parameter's current value drops without replacement: a step conditioned on another value of it
    /// while no step is conditioned on this one (backup=skip drops `task maintenance:backup`; scope=partial swaps one
    /// reset step for another and drops nothing).
    /// </summary>
    private IReadOnlyList<StepDefinition> LeftOut(ParameterDefinition p)
    {
        if (_workflow is null || p.Type != ParameterType.Enum || Value(p) is not { } value) return [];
        var conditioned = _workflow.Steps.Where(s => s.When is { } w && w.Parameter == p.Name).ToList();
        if (conditioned.Count == 0 || conditioned.Any(s => s.When!.Value == value)) return [];
        return conditioned;
    }

    private IEnumerable<StepDefinition> AllLeftOut() =>
        _workflow?.Parameters.SelectMany(LeftOut) ?? [];

    /// <summary>The choices as they stand, nodes included (they decide e.g. that a full-cluster reset, or a reset of the dashboard's own node, is station-only).</summary>
    private Dictionary<string, string> WhereParameters() =>
        Parameters().Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.Ordinal);

    private async Task LaunchAsync() => await LaunchAsync(apiUnreachable: false);

    /// <param name="apiUnreachable">
    /// The last-resort override: the pre-flight blocks only because the Node/Volume data is stale. The operator types the
    /// override's own phrase; the engine decides again and records what it could not check.
    /// </param>
    private async Task LaunchAsync(bool apiUnreachable)
    {
        if (_workflow is null || _preview is not { Valid: true } preview) return;
        _problems = [];
        RunConfirmation? answer;
        if (_workflow.Destructive)
        {
            // Step-up first: a stale sign-in goes to the identity provider and comes back here with the same choices.
            var back = Navigation.GetUriWithQueryParameters(Parameters().ToDictionary(kv => kv.Key, kv => (object?)kv.Value));
            if (!await EnsureFreshSignInAsync("/" + Navigation.ToBaseRelativePath(back))) return;
            var c = _workflow.Confirmation;
            var summary = $"{_workflow.Title}" + (preview.Preflight is { Targets.Length: > 0 } pf ? $" on {string.Join(", ", pf.Targets)}" : "")
                          + (preview.Preflight is { } p && p.Warnings.Any() ? $" — {p.Warnings.Count()} warning(s) in the pre-flight" : "")
                          + (AllLeftOut().ToList() is { Count: > 0 } left ? $" — NOT run by your choice: {string.Join("; ", left.Select(s => s.Title))} (say why in the reason)" : "");
            answer = apiUnreachable
                ? await OperationsDialogs.AskAsync(Dialogs, "Override: the Kubernetes API is unreachable",
                    summary + " — the pre-flight could NOT check: " + string.Join("; ", preview.Preflight!.Blocking.Select(b => b.Message)),
                    preview.ApiUnreachableConfirmation, byNodeNames: false, reasonRequired: true, "Run without the checks")
                : await OperationsDialogs.AskAsync(Dialogs, "Confirm a destructive run", summary, preview.ExpectedConfirmation,
                    byNodeNames: c?.Phrase is null && c?.NodeNamesParameter is not null, reasonRequired: true, "Run now");
            if (answer is null) return;
        }
        else answer = new RunConfirmation(null, string.IsNullOrWhiteSpace(_reason) ? null : _reason.Trim());

        _busy = true;
        try
        {
            var result = await Engine.TriggerAsync(new RunRequest(WorkflowId, Parameters(), answer.Reason, answer.Confirmation), await ActorAsync());
            if (!result.Accepted || result.RunId is not { } id)
            {
                _problems = [.. result.Problems];
                return;
            }
            _runId = id;
            await Started.InvokeAsync(id);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task NewRun()
    {
        _runId = null;
        _problems = [];
        await RefreshPreviewAsync(render: false);
    }
}
