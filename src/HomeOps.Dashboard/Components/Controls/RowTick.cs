namespace HomeOps.Dashboard.Components.Controls;

/// <summary>
/// The clock as table rows see it. Rows re-render only when their record changes; one that shows a relative time
/// ("3 min ago", an uptime) must also move with the clock, but not on every batch (that would re-render every row
/// again). Ten seconds matches the coarsest step such texts show once they are past the first minute.
/// </summary>
public static class RowTick
{
    public static long Of(DateTimeOffset now) => now.ToUnixTimeSeconds() / 10;
}
