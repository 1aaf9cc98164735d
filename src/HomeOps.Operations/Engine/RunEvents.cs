using System.Collections.Concurrent;
using System.Threading.Channels;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Runners;

namespace HomeOps.Operations.Engine;

/// <summary>Something that happened in a run, streamed live to the page and the hub.</summary>
public abstract record RunEvent(Guid RunId, DateTimeOffset At);

public sealed record RunStatusChanged(Guid RunId, DateTimeOffset At, RunStatus Status, int? CurrentStep, string? Message) : RunEvent(RunId, At);

public sealed record StepStatusChanged(Guid RunId, DateTimeOffset At, int Ordinal, string StepKey, StepStatus Status, int? ExitCode, string? Message) : RunEvent(RunId, At);

/// <summary>
/// One output line. <see cref="LineNumber"/> counts per step across attempts, so a viewer that first loads the stored
/// output (<c>StepView.OutputLineCount</c>) can drop live lines it already has.
/// </summary>
public sealed record StepOutput(Guid RunId, DateTimeOffset At, int Ordinal, long LineNumber, OutputStream Stream, string Text) : RunEvent(RunId, At);

public sealed record GateEvaluated(Guid RunId, DateTimeOffset At, int Ordinal, string Phase, GateResult Result) : RunEvent(RunId, At);

/// <summary>Live run events: per run or for all runs, as callbacks or as a bounded channel.</summary>
public interface IRunEvents
{
    /// <summary>Calls <paramref name="handler"/> for every event of one run, on the producing thread: keep it short (enqueue).</summary>
    IDisposable Subscribe(Guid runId, Action<RunEvent> handler);

    /// <summary>Every event of every run (for a runs list or the hub).</summary>
    IDisposable SubscribeAll(Action<RunEvent> handler);

    /// <summary>A channel of one run's events; when a slow reader lets it fill, the oldest events are dropped. Completes when <paramref name="ct"/> fires.</summary>
    ChannelReader<RunEvent> Watch(Guid runId, CancellationToken ct, int capacity = 4096);
}

internal sealed class RunEventHub : IRunEvents
{
    private readonly ConcurrentDictionary<Guid, ImmutableHandlers> _byRun = new();
    private ImmutableHandlers _all = ImmutableHandlers.Empty;
    private readonly Lock _gate = new();

    public IDisposable Subscribe(Guid runId, Action<RunEvent> handler)
    {
        lock (_gate) _byRun[runId] = _byRun.GetValueOrDefault(runId, ImmutableHandlers.Empty).Add(handler);
        return new Unsubscribe(() =>
        {
            lock (_gate)
            {
                var next = _byRun.GetValueOrDefault(runId, ImmutableHandlers.Empty).Remove(handler);
                if (next.IsEmpty) _byRun.TryRemove(runId, out _);
                else _byRun[runId] = next;
            }
        });
    }

    public IDisposable SubscribeAll(Action<RunEvent> handler)
    {
        lock (_gate) _all = _all.Add(handler);
        return new Unsubscribe(() => { lock (_gate) _all = _all.Remove(handler); });
    }

    public ChannelReader<RunEvent> Watch(Guid runId, CancellationToken ct, int capacity = 4096)
    {
        var channel = Channel.CreateBounded<RunEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var sub = Subscribe(runId, e => channel.Writer.TryWrite(e));
        ct.Register(() =>
        {
            sub.Dispose();
            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    public void Publish(RunEvent e)
    {
        foreach (var h in _byRun.GetValueOrDefault(e.RunId, ImmutableHandlers.Empty).Items) Safe(h, e);
        foreach (var h in _all.Items) Safe(h, e);
    }

    private static void Safe(Action<RunEvent> h, RunEvent e)
    {
        try { h(e); }
        catch (Exception) { /* a failing viewer must not break the run */ }
    }

    private sealed record ImmutableHandlers(Action<RunEvent>[] Items)
    {
        public static readonly ImmutableHandlers Empty = new([]);
        public bool IsEmpty => Items.Length == 0;
        public ImmutableHandlers Add(Action<RunEvent> h) => new([.. Items, h]);
        public ImmutableHandlers Remove(Action<RunEvent> h) => new(Items.Where(x => x != h).ToArray());
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) action();
        }
    }
}
