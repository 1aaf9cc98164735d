using Microsoft.Extensions.Time.Testing;

namespace HomeOps.Cluster.Tests.Sources;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells how many timers of a given due time are waiting (created, neither
/// fired nor disposed), so a test can move the clock exactly when the code under test is waiting on it.
/// </summary>
internal sealed class PendingTimerClock : TimeProvider
{
    private readonly FakeTimeProvider _fake = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly Lock _gate = new();
    private readonly Dictionary<TimeSpan, int> _pending = [];

    public int Pending(TimeSpan dueTime)
    {
        lock (_gate) return _pending.GetValueOrDefault(dueTime);
    }

    public void Advance(TimeSpan by) => _fake.Advance(by);

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Tracked(this, dueTime);
        lock (_gate) _pending[dueTime] = _pending.GetValueOrDefault(dueTime) + 1;
        timer.Inner = _fake.CreateTimer(s =>
        {
            if (period <= TimeSpan.Zero) timer.Done();
            callback(s);
        }, state, dueTime, period);
        return timer;
    }

    private sealed class Tracked(PendingTimerClock clock, TimeSpan dueTime) : ITimer
    {
        private int _done;

        public ITimer Inner { get; set; } = null!;

        public void Done()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0) return;
            lock (clock._gate) clock._pending[dueTime]--;
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => Inner.Change(dueTime, period);

        public void Dispose()
        {
            Done();
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Done();
            return Inner.DisposeAsync();
        }
    }
}
