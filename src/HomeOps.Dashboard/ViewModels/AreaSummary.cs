using HomeOps.Cluster.Model;

namespace HomeOps.Dashboard.ViewModels;

/// <summary>What every overview tile shows: its worst health, the "n/total" count and how fresh the data is.</summary>
public interface IAreaSummary
{
    HealthStatus Health { get; }

    /// <summary>Exactly "n/total", e.g. "3/3" (the <c>tile-&lt;area&gt;-count</c> contract).</summary>
    string Count { get; }

    Freshness Freshness { get; }
}
