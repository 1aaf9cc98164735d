using HomeOps.Cluster.Model;
using Microsoft.Extensions.Logging;
using HomeOps.Operations.Timeline;
using Microsoft.AspNetCore.Components;

namespace HomeOps.Dashboard.Components.Controls;

/// <summary>
/// For a red object (Failed or Degraded, by its verdict): when it turned red — its latest health entry on the timeline
/// that went to that health, else the verdict's "since" — and every timeline entry of the whole cluster in the
/// <see cref="Window"/> before (up to and including the transition). Reloaded when the object or its health changes.
/// </summary>
public partial class ChangesBeforeRed
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(30);

    [Inject] private ILogger<ChangesBeforeRed> Logger { get; set; } = default!;

    [Parameter] public ResourceSnapshot? Resource { get; set; }
    [Parameter] public DateTimeOffset Now { get; set; }

    private DateTimeOffset? _turnedRedAt;
    private HealthStatus _health;
    private IReadOnlyList<TimelineEntry> _entries = [];
    private string? _error;
    private string? _loadedFor;

    protected override async Task OnParametersSetAsync()
    {
        if (Resource is not { Verdict.Health: HealthStatus.Failed or HealthStatus.Degraded } r)
        {
            _turnedRedAt = null;
            _loadedFor = null;
            return;
        }
        var key = $"{r.Key}|{r.Verdict.Health}";
        if (key == _loadedFor) return;
        _loadedFor = key;
        _health = r.Verdict.Health;
        try
        {
            var own = await Log.QueryAsync(new TimelineQuery(Area: r.Kind.Area.ToString(), Object: r.Meta.DisplayName, Category: TimelineCategory.Health, Take: 50));
            var transition = own.FirstOrDefault(e => e.Kind == r.Kind.Kind && e.Namespace == r.Meta.Namespace && e.Name == r.Meta.Name && e.To == r.Verdict.Health.ToString());
            var at = transition?.At ?? r.Verdict.Since ?? Now;
            _turnedRedAt = at;
            _entries = await Log.QueryAsync(new TimelineQuery(From: at - Window, To: at, Take: 200));
            _error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _turnedRedAt = r.Verdict.Since ?? Now;
            Logger.LogWarning(ex, "Reading the timeline before {Object} turned red failed", r.Meta.DisplayName);
            _error = "The timeline could not be read from the database.";
        }
    }
}
