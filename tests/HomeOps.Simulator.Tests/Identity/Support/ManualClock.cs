namespace HomeOps.Simulator.Tests.Identity.Support;

/// <summary>A clock the test moves by hand, so a sign-in can age past max_age without sleeping.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    /// <summary>Starts an hour in the past, so auth_time never lies in the future of the real clock.</summary>
    public ManualClock() : this(DateTimeOffset.UtcNow.AddHours(-1))
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public long UnixSeconds => GetUtcNow().ToUnixTimeSeconds();
}
