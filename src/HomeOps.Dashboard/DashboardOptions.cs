namespace HomeOps.Dashboard;

/// <summary>UI settings, bound from the <c>Dashboard</c> configuration section.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>How long a circuit collects store changes before it renders them (the Aspire dashboard uses about 100 ms).</summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Lists longer than this are virtualized.</summary>
    public int VirtualizeThreshold { get; set; } = 60;
}
