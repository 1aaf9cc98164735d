using System.Globalization;
using System.Runtime.CompilerServices;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using HomeOps.Dashboard.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Components.Controls;

/// <summary>
/// A view of the store: a snapshot at once, then coalesced batches (Dashboard:BatchWindow, about 100 ms).
/// Renders only when a batch concerns it (<see cref="Concerns"/>: by default one of <see cref="Areas"/>), pauses while the tab is hidden,
/// and drops its subscription with the component. Prerendering subscribes to nothing (it is a one-shot render).
/// </summary>
public abstract class StoreBoundComponent : ComponentBase, IDisposable
{
    private CoalescingSubscription? _subscription;
    private bool _disposed;

    [Inject] protected ClusterStore Store { get; set; } = default!;

    [Inject] protected IOptions<DashboardOptions> Options { get; set; } = default!;

    [Inject] private IOptions<ClusterOptions> ClusterOptions { get; set; } = default!;

    [Inject] private PageVisibility Visibility { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The state this component last rendered from. Replaced (never mutated) on each relevant batch.</summary>
    protected ClusterState State { get; private set; } = default!;

    /// <summary>The areas whose changes re-render this component.</summary>
    protected abstract IReadOnlyCollection<Area> Areas { get; }

    /// <summary>
    /// Whether a batch concerns this component: by default, it touches one of <see cref="Areas"/>. A view that reads a
    /// few kinds across areas (the radar) names them instead, so that other changes in those areas cost it nothing.
    /// </summary>
    protected virtual bool Concerns(ChangeSet changes, ClusterState state) => Areas.Any(a => changes.Touches(a, state));

    protected DateTimeOffset Now => Store.Time.GetUtcNow();

    /// <summary><c>Cluster:ExpectedNodes</c>: the Nodes rollup reports an absent one.</summary>
    protected IReadOnlyList<string> ExpectedNodes => ClusterOptions.Value.ExpectedNodeNames;

    /// <summary>
    /// The object a deep link (<see cref="ProblemLinks"/>: <c>?kind=…&amp;object=…</c>) asks to open in the detail drawer,
    /// when it is in the current state; null otherwise.
    /// </summary>
    protected Selection? LinkedSelection()
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(Navigation.Uri).Query);
        if (!query.TryGetValue(ProblemLinks.KindParameter, out var kindKey) || !query.TryGetValue(ProblemLinks.ObjectParameter, out var key))
            return null;
        var kind = Kinds.FindByKey(kindKey.ToString());
        return kind is not null && State.Slice(kind).Items.TryGetValue(key.ToString(), out var s) ? Selection.Of(s) : null;
    }

    /// <summary>How often this component itself rendered (not its children): tests check that ticks and other areas cost nothing.</summary>
    internal int OwnRenders { get; private set; }

    protected override void OnInitialized()
    {
        State = Store.Value;
        OnStateChanged();
        if (!RendererInfo.IsInteractive) return;
        _subscription = Store.SubscribeCoalesced(OnBatchAsync, Options.Value.BatchWindow);
        _subscription.Paused = Visibility.IsHidden;
        Visibility.Changed += OnVisibilityChanged;
    }

    /// <summary>Recompute view models from <see cref="State"/>; called before each render caused by the store.</summary>
    protected virtual void OnStateChanged()
    {
    }

    private Task OnBatchAsync(ClusterState state, ChangeSet changes)
    {
        if (_disposed || !Concerns(changes, state)) return Task.CompletedTask;
        return InvokeAsync(() =>
        {
            if (_disposed) return;
            State = state;
            OnStateChanged();
            StateHasChanged();
            // Outside an event handler the render runs inside StateHasChanged and hands its batch to the circuit's
            // connection before returning: this is when the batch leaves (benchmarks only; see LiveTrace).
            if (LiveTrace.Log.IsEnabled())
                LiveTrace.Log.Sent(RuntimeHelpers.GetHashCode(Visibility).ToString("x8", CultureInfo.InvariantCulture), GetType().Name, state, changes);
        });
    }

    protected override void OnAfterRender(bool firstRender) => OwnRenders++;

    private void OnVisibilityChanged(bool hidden)
    {
        if (_subscription is { } s) s.Paused = hidden;
    }

    public void Dispose()
    {
        _disposed = true;
        Visibility.Changed -= OnVisibilityChanged;
        _subscription?.Dispose();
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
