using HomeOps.Dashboard.ViewModels;
using HomeOps.Operations.Timeline;
using Microsoft.Extensions.Logging;

namespace HomeOps.Dashboard.Components.Pages;

/// <summary>
/// The change timeline: loads the filtered entries from the database, then adds new ones from the recorder's feed as
/// they are written (filtered by the same rule), so a change shows up without a reload.
/// </summary>
public partial class ChangeTimeline : IDisposable
{
    [Microsoft.AspNetCore.Components.Inject] private ILogger<ChangeTimeline> Logger { get; set; } = default!;

    private readonly TimelineFilter _filter = new();
    private List<TimelineEntry> _entries = [];
    private TimelineQuery _query = new();
    private IDisposable? _feed;
    private string? _error;
    private int _version;

    protected override async Task OnInitializedAsync()
    {
        await ReloadAsync();
        if (RendererInfo.IsInteractive) _feed = Feed.Subscribe(OnEntries);
    }

    private async Task ReloadAsync()
    {
        var version = Interlocked.Increment(ref _version);
        var query = _filter.ToQuery(Time.GetUtcNow());
        try
        {
            var entries = await Log.QueryAsync(query);
            if (version != _version) return;
            _query = query;
            _entries = [.. entries];
            _error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Reading the timeline failed");
            if (version != _version) return;
            _error = "The timeline could not be read from the database; showing what was loaded before.";
        }
        StateHasChanged();
    }

    private void OnEntries(IReadOnlyList<TimelineEntry> entries) => _ = InvokeAsync(() =>
    {
        var added = false;
        // Newest first: the feed delivers in write order, so each one goes on top of the one before. An entry already
        // shown comes again when repeats were merged into it (a higher count): it is replaced where it is.
        foreach (var e in entries.Where(_query.Matches))
        {
            var shown = _entries.FindIndex(x => x.Id == e.Id);
            if (shown >= 0) _entries[shown] = e;
            else _entries.Insert(0, e);
            added = true;
        }
        if (!added) return;
        if (_entries.Count > TimelineFilter.Take) _entries.RemoveRange(TimelineFilter.Take, _entries.Count - TimelineFilter.Take);
        StateHasChanged();
    });

    public void Dispose() => _feed?.Dispose();
}
