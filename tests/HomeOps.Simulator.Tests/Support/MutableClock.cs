namespace HomeOps.Simulator.Tests.Support;

/// <summary>A simulation clock the test moves by hand (only "what time is it"; timers stay real).</summary>
internal sealed class MutableClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
