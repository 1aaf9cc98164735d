namespace HomeOps.Simulator.Identity;

/// <summary>
/// The clock behind auth_time and max_age. Wrapped rather than registered as <see cref="TimeProvider"/> because
/// OpenIddict takes a registered TimeProvider for token lifetimes, which must stay on the system clock.
/// </summary>
internal sealed class SignInClock(TimeProvider time)
{
    public DateTimeOffset Now => time.GetUtcNow();
}
