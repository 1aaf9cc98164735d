using HomeOps.Cluster.Model;
using HomeOps.Cluster.Talos;
using HomeOps.Dashboard.ViewModels;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Components.Controls;

/// <summary>
/// Renders the Talos feed's last report (<see cref="TalosFeed.Current"/>) and re-renders after each poll. The verdicts
/// are the feed's (<see cref="TalosRules"/>); this only lays them out. A report older than two intervals plus the
/// command timeouts is shown as stale even if it said live (the poll loop itself could be stuck).
/// </summary>
public partial class TalosPanel : ComponentBase, IDisposable
{
    private TalosFeed? _feed;
    private TalosReport _report = TalosReport.NotConfigured("no Talos feed in this process", DateTimeOffset.UnixEpoch);
    private string _etcdLine = "";
    private string _etcdHealth = "";
    private string? _staleText;
    private bool _overdue;

    [Inject] private IServiceProvider Services { get; set; } = default!;

    private TimeProvider Time => Services.GetService<TimeProvider>() ?? TimeProvider.System;

    /// <summary>The overview tile's form: the etcd line and only the nodes that are not healthy.</summary>
    [Parameter] public bool Compact { get; set; }

    protected override void OnInitialized()
    {
        _feed = Services.GetService<TalosFeed>();
        if (_feed is not null)
        {
            _report = _feed.Current;
            if (RendererInfo.IsInteractive) _feed.Changed += OnChanged;
        }
        Compute();
    }

    private void OnChanged(TalosReport report) =>
        _ = InvokeAsync(() =>
        {
            _report = report;
            Compute();
            StateHasChanged();
        });

    private void Compute()
    {
        var now = Time.GetUtcNow();
        var options = Services.GetService<IOptions<TalosOptions>>()?.Value ?? new TalosOptions();
        var maxAge = options.PollInterval * 2 + options.CommandTimeout * 7;
        _overdue = _report.IsLive && _report.PolledAt is { } at && now - at > maxAge;
        _etcdLine = _report.EtcdLine(now);
        _etcdHealth = _report.Etcd?.Quorum is { Known: true } q && _report.IsLive && !_overdue
            ? (q.HasQuorum ? (q.Healthy == q.Voters && _report.Etcd.Alarms.IsEmpty ? "Healthy" : "Degraded") : "Failed")
            : "Unknown";
        _staleText = _overdue ? $"stale: the last Talos answer is {Freshness.Age(now - _report.PolledAt!.Value)} old (polls every {options.PollInterval.TotalSeconds:0} s)"
            : !_report.IsLive && _report.Freshness.State != FeedState.NotInstalled ? $"Talos {_report.Freshness.Describe(now)}"
            : null;
    }

    private string ApidText(TalosNode n) =>
        n.Reachable ? "reachable"
        : $"unreachable since {Freshness.Age(Time.GetUtcNow() - (n.UnreachableSince ?? Time.GetUtcNow()))}: {Format.Truncate(n.Error, 80)}";

    private static string ServicesText(TalosNode n)
    {
        if (n.InMaintenance) return "maintenance mode: no services configured";
        if (n.Services.IsEmpty) return "—";
        var watched = TalosPoll.WatchedServices.Select(id => n.Service(id) is { } s ? (s.Healthy ? $"{id} ✓" : s.Describe) : $"{id} not listed");
        return string.Join(", ", watched);
    }

    private string MemberText(TalosNode n)
    {
        if (_report.Etcd is not { } etcd || n.Name is null) return "—";
        var member = etcd.Members.FirstOrDefault(m => m.Hostname == n.Name);
        if (member is null) return "not a member";
        var row = etcd.Status.FirstOrDefault(r => r.Member == member.Id);
        var role = member.Id == etcd.Leader ? "leader" : member.Learner ? "learner" : "voter";
        return row is null ? $"{role}, did not answer" : $"{role}, DB {row.DbSize}{(row.Errors.Length > 0 ? $", errors: {row.Errors}" : "")}";
    }

    private static string Dash(string? s) => string.IsNullOrEmpty(s) ? "—" : s;

    public void Dispose()
    {
        if (_feed is not null) _feed.Changed -= OnChanged;
    }
}
