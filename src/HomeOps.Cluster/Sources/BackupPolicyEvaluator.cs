using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// Keeps the store's <see cref="Kinds.VolumeBackup"/> slice current: runs <see cref="BackupPolicy.Snapshots"/> when a
/// Longhorn volume, Backup or RecurringJob changes, and every <c>Cluster:Backups:EvaluationInterval</c> (a backup ages
/// while nothing changes). It dispatches only when a verdict or a deadline changed, so an idle cluster causes no churn.
/// Change-triggered runs are at least <see cref="MinSpacing"/> apart: the policy reads every volume, and under volume
/// churn (a rebuild, or the benchmarks' 100 changes/s over 2,000 volumes) back-to-back runs would take the core the
/// circuits render on, for verdicts measured in days.
/// </summary>
public sealed class BackupPolicyEvaluator : BackgroundService
{
    private readonly ClusterStore _store;
    private readonly BackupOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BackupPolicyEvaluator> _logger;
    private readonly SemaphoreSlim _changed = new(0, 1);
    private IDisposable? _subscription;

    /// <summary>The least time between two evaluations triggered by changes (the interval tick is not delayed).</summary>
    public static readonly TimeSpan MinSpacing = TimeSpan.FromSeconds(2);

    public BackupPolicyEvaluator(ClusterStore store, IOptions<BackupOptions> options, TimeProvider time, ILogger<BackupPolicyEvaluator> logger)
    {
        _logger = logger;
        _store = store;
        _options = options.Value;
        _time = time;
    }

    /// <summary>Evaluates now and dispatches when anything changed; returns whether it dispatched.</summary>
    public bool EvaluateOnce()
    {
        var state = _store.Value;
        var now = _time.GetUtcNow();
        var snapshots = BackupPolicy.Snapshots(state, _options, now);
        var slice = state.Slice(Kinds.VolumeBackup);
        var same = slice.Freshness.State == FeedState.Live && slice.Items.Count == snapshots.Count &&
                   snapshots.All(s => slice.Items.TryGetValue(s.Key, out var old) && old.Details.Equals(s.Details) && old.Verdict == s.Verdict);
        if (same) return false;
        _store.Dispatch(new ResourcesReplaced(Kinds.VolumeBackup, snapshots, now));
        // Derived from watched slices, so it is as live as they are (their own freshness speaks for the area); not "polled".
        var fresh = _store.Value.Slice(Kinds.VolumeBackup).Freshness;
        if (fresh.State != FeedState.Live || fresh.Polled)
            _store.Dispatch(new FreshnessChanged(Kinds.VolumeBackup, fresh with { State = FeedState.Live, Polled = false, Since = now, LastError = null }));
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _subscription = _store.Subscribe(change =>
        {
            if (InputsChanged(change.Previous, change.Current) && _changed.CurrentCount == 0)
            {
                try { _changed.Release(); } catch (SemaphoreFullException) { /* already signalled */ }
            }
        });
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                EvaluateOnce();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A bug here must not stop the dashboard; the slice keeps its last verdicts and the next round tries again.
                _logger.LogError(e, "Backup policy evaluation failed");
            }
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(_options.EvaluationInterval, _time, tick.Token);
            var signal = _changed.WaitAsync(tick.Token);
            try
            {
                await Task.WhenAny(delay, signal).ConfigureAwait(false);
            }
            finally
            {
                await tick.CancelAsync().ConfigureAwait(false);
            }
            // A signal that arrived together with the tick is consumed here, or by the next wait (at most one extra run).
            try { await Task.WhenAll(delay, signal).ConfigureAwait(false); } catch (OperationCanceledException) { }
            // Woken by a change: let further changes gather before reading every volume again.
            if (!delay.IsCompletedSuccessfully && !stoppingToken.IsCancellationRequested)
            {
                try { await Task.Delay(MinSpacing, _time, stoppingToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
            }
        }
    }

    private static bool InputsChanged(ClusterState before, ClusterState after) =>
        !ReferenceEquals(before.Slice(Kinds.LonghornVolume).Items, after.Slice(Kinds.LonghornVolume).Items) ||
        !ReferenceEquals(before.Slice(Kinds.LonghornBackup).Items, after.Slice(Kinds.LonghornBackup).Items) ||
        !ReferenceEquals(before.Slice(Kinds.LonghornRecurringJob).Items, after.Slice(Kinds.LonghornRecurringJob).Items);

    public override void Dispose()
    {
        _subscription?.Dispose();
        _changed.Dispose();
        base.Dispose();
    }
}
