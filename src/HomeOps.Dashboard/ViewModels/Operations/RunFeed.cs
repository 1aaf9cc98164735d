using HomeOps.Operations.Engine;
using HomeOps.Operations.Persistence;

namespace HomeOps.Dashboard.ViewModels.Operations;

/// <summary>
/// One run as a page shows it: loaded from the engine, then kept current from its live events (status, steps, gate
/// results, output). Subscribes before loading and replays what arrived meanwhile, so no line is lost or doubled.
/// <see cref="Changed"/> is raised at most every <c>throttle</c> (a noisy step must not re-render the page per line).
/// </summary>
public sealed class RunFeed : IAsyncDisposable
{
    private readonly IOperationsEngine _engine;
    private readonly Lock _gate = new();
    private readonly List<RunEvent> _pending = [];
    private readonly Dictionary<int, RunLogBuffer> _logs = [];
    private readonly int _lineCapacity;
    private readonly TimeSpan _throttle;
    private IDisposable? _subscription;
    private ITimer? _timer;
    private bool _loaded;
    private int _dirty;
    private bool _disposed;

    public RunFeed(IOperationsEngine engine, Guid runId, Func<Task> changed, int lineCapacity = 1000, TimeSpan? throttle = null)
    {
        _engine = engine;
        RunId = runId;
        Changed = changed;
        _lineCapacity = lineCapacity;
        _throttle = throttle ?? TimeSpan.FromMilliseconds(150);
    }

    public Guid RunId { get; }

    public Func<Task> Changed { get; }

    public RunView? Run { get; private set; }

    /// <summary>Status as the live events last reported it (the stored view is re-read when a step or the run changes state).</summary>
    public RunStatus? Status => Run?.Status;

    public RunLogBuffer Log(int ordinal)
    {
        lock (_gate)
        {
            if (!_logs.TryGetValue(ordinal, out var log)) _logs[ordinal] = log = new RunLogBuffer(_lineCapacity);
            return log;
        }
    }

    /// <summary>The ordinal of the step that is running now, or the last one that ran.</summary>
    public int? ActiveOrdinal => Run?.Steps.Where(s => s.Status != StepStatus.Pending).Select(s => (int?)s.Ordinal).LastOrDefault();

    public async Task StartAsync(CancellationToken ct = default)
    {
        _subscription = _engine.Events.Subscribe(RunId, OnEvent);
        await ReloadAsync(ct).ConfigureAwait(false);
        List<RunEvent> replay;
        lock (_gate)
        {
            _loaded = true;
            replay = [.. _pending];
            _pending.Clear();
        }
        foreach (var e in replay) Apply(e);
        _timer = TimeProvider.System.CreateTimer(_ => _ = FlushAsync(), null, _throttle, _throttle);
    }

    private async Task ReloadAsync(CancellationToken ct = default)
    {
        var run = await _engine.GetRunAsync(RunId, ct).ConfigureAwait(false);
        lock (_gate)
        {
            Run = run;
            if (run is null) return;
            foreach (var step in run.Steps)
            {
                if (!_logs.TryGetValue(step.Ordinal, out var log)) _logs[step.Ordinal] = log = new RunLogBuffer(_lineCapacity);
                log.Merge(step.Output, step.OutputLineCount);
            }
        }
    }

    private void OnEvent(RunEvent e)
    {
        lock (_gate)
        {
            if (!_loaded)
            {
                _pending.Add(e);
                return;
            }
        }
        Apply(e);
    }

    private void Apply(RunEvent e)
    {
        switch (e)
        {
            case StepOutput o:
                var log = Log(o.Ordinal);
                if (!log.Add(o.LineNumber, o.Stream, o.Text)) break;
                // A gap (lines written after the last flush but before this page subscribed): merge the stored output again.
                if (log.HasGap) Interlocked.Exchange(ref _dirty, 2);
                else Interlocked.CompareExchange(ref _dirty, 1, 0);
                break;
            case StepStatusChanged or RunStatusChanged or GateEvaluated:
                // State changes are rare: re-read the stored view so steps, gates and messages are exact.
                Interlocked.Exchange(ref _dirty, 2);
                break;
        }
    }

    private async Task FlushAsync()
    {
        var dirty = Interlocked.Exchange(ref _dirty, 0);
        if (dirty == 0 || _disposed) return;
        try
        {
            if (dirty == 2) await ReloadAsync().ConfigureAwait(false);
            await Changed().ConfigureAwait(false);
        }
        catch (ObjectDisposedException) { }
        catch (Exception) { /* a failed refresh is retried on the next event; the page must not crash */ }
    }

    /// <summary>Re-reads the run now (after a command the page itself issued).</summary>
    public async Task RefreshAsync()
    {
        await ReloadAsync().ConfigureAwait(false);
        await Changed().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        _subscription?.Dispose();
        if (_timer is not null) await _timer.DisposeAsync().ConfigureAwait(false);
    }
}
