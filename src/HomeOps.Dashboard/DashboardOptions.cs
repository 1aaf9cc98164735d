namespace HomeOps.Dashboard;

/// <summary>UI settings, bound from the <c>Dashboard</c> configuration section.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    private static readonly string[] HomeOpsNodes = ["mini01", "mini02", "mini03"];

    /// <summary>How long a circuit collects store changes before it renders them (the Aspire dashboard uses about 100 ms).</summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Nodes the cluster is expected to have; a missing one is reported, not silently dropped from "n/total".
    /// Null or empty means the home-ops nodes (binding a configured array must not append to a default one).
    /// </summary>
    public string[]? ExpectedNodes { get; set; }

    /// <summary>Lists longer than this are virtualized.</summary>
    public int VirtualizeThreshold { get; set; } = 60;

    public IReadOnlyList<string> ExpectedNodeNames => ExpectedNodes is { Length: > 0 } e ? e : HomeOpsNodes;
}
