namespace HomeOps.Dashboard.Security;

/// <summary>
/// Section "RateLimits": how many requests a caller may make per fixed window. Defaults are generous for a person and
/// tight for a script hammering the server: an operator clicking through a drill needs far fewer than 10 actions a
/// minute, and a sign-in is two requests (/login and the OIDC callback).
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>State-changing operator actions (operations and Flux POSTs, operator hub methods), per signed-in user.</summary>
    public WindowLimit Actions { get; set; } = new() { PermitLimit = 10, WindowSeconds = 60 };

    /// <summary>/login, /login/step-up, the OIDC callback and the break-glass posts, per client IP (the forwarded one from a known proxy).</summary>
    public WindowLimit SignIn { get; set; } = new() { PermitLimit = 20, WindowSeconds = 60 };
}

/// <summary>A fixed window: at most <see cref="PermitLimit"/> requests per <see cref="WindowSeconds"/>, no queueing.</summary>
public sealed class WindowLimit
{
    public int PermitLimit { get; set; }
    public double WindowSeconds { get; set; }

    /// <summary>Out-of-range settings fall back to the safe default rather than turning the limit off.</summary>
    public WindowLimit OrDefault(WindowLimit fallback) => new()
    {
        PermitLimit = PermitLimit > 0 ? PermitLimit : fallback.PermitLimit,
        WindowSeconds = WindowSeconds > 0 ? WindowSeconds : fallback.WindowSeconds,
    };

    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);
}
