using HomeOps.Cluster.Model;
using Microsoft.AspNetCore.Components;

namespace HomeOps.Dashboard.Components.Controls;

public partial class ResourceTable<TRow>
{
    [Parameter, EditorRequired] public IReadOnlyList<TRow> Items { get; set; } = [];

    [Parameter, EditorRequired] public Func<TRow, string> Key { get; set; } = default!;

    [Parameter, EditorRequired] public Func<TRow, string> RowTestId { get; set; } = default!;

    /// <summary>Health per row for <c>data-health</c>; rows without a health (e.g. conditions) omit the attribute.</summary>
    [Parameter] public Func<TRow, HealthStatus>? Health { get; set; }

    [Parameter, EditorRequired] public RenderFragment Header { get; set; } = default!;

    [Parameter, EditorRequired] public RenderFragment<TRow> Row { get; set; } = default!;

    [Parameter] public EventCallback<TRow> OnRowClick { get; set; }

    [Parameter] public string? TestId { get; set; }

    [Parameter] public string EmptyText { get; set; } = "Nothing to show.";

    [Parameter] public int VirtualizeAbove { get; set; } = 60;

    /// <summary>
    /// Rows render only when their record changes; a row that shows a relative time ("3 min ago") also needs to move
    /// with the clock. Pages with such columns pass <see cref="RowTick.Of"/>. A page whose template shows a column only
    /// to some users (the Flux page's actions, for operators) moves it when that changes, so every row renders again.
    /// </summary>
    [Parameter] public long Tick { get; set; }

    private HealthStatus? HealthOf(TRow row) => Health?.Invoke(row);

    private bool Virtualized => Items.Count > VirtualizeAbove;

    private List<KeyedRow> _rows = [];

    /// <summary>A row with its render key; duplicates made unique (see <see cref="OnParametersSet"/>).</summary>
    private readonly record struct KeyedRow(TRow Row, string Key);

    /// <summary>
    /// Blazor throws — and the circuit dies — when two siblings share a @key. Keys come from cluster data (a condition's
    /// type, a peer address), which a malformed or hostile object can repeat, so the second and later uses of a key get
    /// an occurrence suffix instead of taking the page down.
    /// </summary>
    protected override void OnParametersSet()
    {
        var rows = new List<KeyedRow>(Items.Count);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in Items)
        {
            var key = Key(row);
            for (var n = 1; !used.Add(key); n++) key = $"{Key(row)}\u0000{n}";
            rows.Add(new KeyedRow(row, key));
        }
        _rows = rows;
    }
}
