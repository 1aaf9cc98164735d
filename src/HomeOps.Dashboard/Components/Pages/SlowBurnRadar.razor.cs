using HomeOps.Cluster.Reports;
using HomeOps.Dashboard.Components.Controls;
using HomeOps.Dashboard.ViewModels;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Components.Pages;

/// <summary>
/// <c>/radar</c>: the slow-burn radar (issue 15) — every item with its verdict from <see cref="ExpiryRadar"/>, soonest
/// first, and each source's status (absent, stale and unreadable said plainly). Maps the report to markup; decides nothing.
/// </summary>
public partial class SlowBurnRadar : RadarComponent
{
    private IReadOnlyList<RadarRow> _rows = [];

    [Inject] private IOptions<RadarOptions> Thresholds { get; set; } = default!;

    protected override void OnStateChanged()
    {
        base.OnStateChanged();
        _rows = RadarView.Rows(Radar);
    }
}
