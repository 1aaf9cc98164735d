using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Seed;

/// <summary>The seed's sense of time: the cluster was rebuilt some weeks before "now" (second precision).</summary>
internal sealed class SeedClock(DateTimeOffset now)
{
    public DateTimeOffset Now { get; } = new(now.UtcDateTime.Ticks - now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    /// <summary>When the cluster was (re)built — after the August 2025 emergency recovery, the brief's last rebuild.</summary>
    public DateTimeOffset ClusterCreated => Now - TimeSpan.FromDays(41) - TimeSpan.FromHours(3);

    public string Ago(TimeSpan span) => ObjectJson.Timestamp(Now - span);

    public string Created(TimeSpan afterBuild) => ObjectJson.Timestamp(ClusterCreated + afterBuild);
}
