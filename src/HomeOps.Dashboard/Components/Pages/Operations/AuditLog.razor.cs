using HomeOps.Cluster.Model;
using HomeOps.Dashboard.ViewModels.Operations;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using Microsoft.AspNetCore.Components;

namespace HomeOps.Dashboard.Components.Pages.Operations;

public partial class AuditLog
{
    [SupplyParameterFromQuery(Name = "runId")] public Guid? RunIdFilter { get; set; }

    private static readonly string[] KnownActions =
    [
        AuditAction.RunCreate.Name, AuditAction.RunStart.Name, AuditAction.RunResume.Name, AuditAction.RunCancel.Name, AuditAction.RunAbandon.Name,
        AuditAction.AuthRefused.Name, AuditAction.FluxReconcile.Name, AuditAction.FluxReconcileWithSource.Name, AuditAction.FluxSuspend.Name,
        AuditAction.FluxResume.Name, AuditAction.FluxResumeAndReconcile.Name,
        AuditAction.BreakGlassSignIn.Name, AuditAction.BreakGlassRefused.Name, AuditAction.BreakGlassLockout.Name,
        AuditAction.BreakGlassLocked.Name, AuditAction.BreakGlassStepUp.Name, AuditAction.BreakGlassSignOut.Name,
        AuditAction.PodLogRead.Name,
    ];

    private readonly AuditFilter _filter = new();
    private IReadOnlyList<AuditEntry> _entries = [];
    private IDisposable? _events;
    private int _version;

    protected override IReadOnlyCollection<Area> Areas { get; } = [];

    private string OutcomeText
    {
        get => _filter.Outcome?.ToString() ?? "";
        set => _filter.Outcome = Enum.TryParse<AuditOutcome>(value, out var o) ? o : null;
    }

    protected override async Task OnInitializedAsync()
    {
        await base.OnInitializedAsync();
        _filter.RunId = RunIdFilter;
        await ReloadAsync();
        if (RendererInfo.IsInteractive)
            _events = Engine.Events.SubscribeAll(e => { if (e is RunStatusChanged) _ = InvokeAsync(ReloadAsync); });
    }

    private async Task ReloadAsync()
    {
        var version = Interlocked.Increment(ref _version);
        var entries = await Audit.QueryAsync(_filter.ToQuery());
        if (version != _version) return;
        _entries = entries;
        StateHasChanged();
    }

    private async Task ClearAsync()
    {
        _filter.User = null;
        _filter.Action = null;
        _filter.Outcome = null;
        _filter.From = null;
        _filter.To = null;
        await ReloadAsync();
    }

    private async Task ClearRunAsync()
    {
        _filter.RunId = null;
        await ReloadAsync();
    }

    protected override void Dispose(bool disposing) => _events?.Dispose();
}
