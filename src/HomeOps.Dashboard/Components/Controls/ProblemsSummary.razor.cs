using HomeOps.Cluster.Model;
using HomeOps.Cluster.Reports;
using Microsoft.AspNetCore.Components;

namespace HomeOps.Dashboard.Components.Controls;

public partial class ProblemsSummary
{
    /// <summary>Problems shown before "Show all": enough for a phone screen, the tiles follow.</summary>
    public const int Collapsed = 6;

    // The state's one shared report (ProblemReport.Of): a circuit holds a reference, never its own copy of the problems.
    private ProblemReport _report = default!;
    private HealthStatus _worst;
    private Freshness _freshness = default!;
    private bool _all;
    private ITimer? _timer;

    [Inject] private ProblemClock Clock { get; set; } = default!;

    protected override IReadOnlyCollection<Area> Areas { get; } = Enum.GetValues<Area>();

    private IEnumerable<Problem> Shown => _all ? _report.Problems : _report.Problems.Take(Collapsed);

    protected override void OnInitialized()
    {
        base.OnInitialized();
        // "for 4 min" moves with the clock; ten seconds is as fine as the text gets past the first minute.
        if (RendererInfo.IsInteractive)
            _timer = Store.Time.CreateTimer(_ => _ = InvokeAsync(StateHasChanged), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
    }

    protected override void OnStateChanged()
    {
        _report = ProblemReport.Of(State, ExpectedNodes, Now);
        _worst = Enum.Parse<HealthStatus>(_report.Worst);
        _freshness = ProblemReport.FreshnessOf(State, ExpectedNodes);
    }

    /// <summary>The report this circuit renders (tests check that circuits share it).</summary>
    internal ProblemReport Report => _report;

    private string Age(Problem p) => (p.Since ?? Clock.SinceOf(p)) is { } since ? $"for {Freshness.Age(Now - since)}" : "just now";

    protected override void Dispose(bool disposing) => _timer?.Dispose();
}
