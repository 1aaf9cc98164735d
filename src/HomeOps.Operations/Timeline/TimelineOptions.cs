namespace HomeOps.Operations.Timeline;

/// <summary>The change timeline (<c>Timeline:*</c>), validated at start.</summary>
public sealed class TimelineOptions
{
    public const string Section = "Timeline";

    /// <summary>Whether the dashboard records the timeline at all (<c>Timeline:Enabled</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long entries are kept (<c>Timeline:Retention</c>, default 30 days); older ones are pruned in the background.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often observed changes are written, in one transaction (<c>Timeline:FlushInterval</c>, default 1 s).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often entries older than <see cref="Retention"/> are deleted (<c>Timeline:PruneInterval</c>, default 1 h).</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most this many entries are written per flush; the rest wait for the next (<c>Timeline:MaxBatch</c>, default 500).</summary>
    public int MaxBatch { get; set; } = 500;

    /// <summary>Null when valid, else what is wrong (the start fails with it).</summary>
    public string? Validate()
    {
        if (Retention < TimeSpan.FromHours(1)) return "Timeline:Retention must be at least 1 hour";
        if (FlushInterval <= TimeSpan.Zero || FlushInterval > TimeSpan.FromMinutes(1)) return "Timeline:FlushInterval must be between 0 and 1 minute";
        if (PruneInterval < TimeSpan.FromSeconds(1)) return "Timeline:PruneInterval must be at least 1 second";
        if (MaxBatch is < 1 or > 10_000) return "Timeline:MaxBatch must be between 1 and 10000";
        return null;
    }
}
