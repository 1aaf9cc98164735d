using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Areas;

/// <summary>How bad a health status is, for "worst first" sorting and a tile's worst health.</summary>
public static class HealthOrder
{
    public static int Severity(HealthStatus health) => health switch
    {
        HealthStatus.Failed => 5,
        HealthStatus.Degraded => 4,
        HealthStatus.Unknown => 3,
        HealthStatus.Progressing => 2,
        HealthStatus.Suspended => 1,
        HealthStatus.Healthy => 0,
        _ => 3,
    };

    /// <summary>Needs an operator's eye: anything but Healthy and Suspended (the CLI's exit-code rule).</summary>
    public static bool IsProblem(HealthStatus health) => health is not (HealthStatus.Healthy or HealthStatus.Suspended);

    public static HealthStatus Worst(IEnumerable<HealthStatus> statuses, HealthStatus whenEmpty = HealthStatus.Healthy)
    {
        var worst = (HealthStatus?)null;
        foreach (var s in statuses)
            if (worst is null || Severity(s) > Severity(worst.Value)) worst = s;
        return worst ?? whenEmpty;
    }

    public static HealthStatus Worst(HealthStatus a, HealthStatus b) => Severity(a) >= Severity(b) ? a : b;

    /// <summary>Worst first, then by the given name (stable for equal severities).</summary>
    public static IReadOnlyList<T> WorstFirst<T>(IEnumerable<T> rows, Func<T, HealthStatus> health, Func<T, string> name) =>
        rows.OrderByDescending(r => Severity(health(r)))
            .ThenBy(name, StringComparer.Ordinal)
            .ToList();
}
