namespace HomeOps.Cluster.Model;

/// <summary>The one vocabulary every view, the CLI and the metrics share.</summary>
public enum HealthStatus
{
    Healthy,
    Progressing,
    Degraded,
    Failed,
    Suspended,
    Unknown,
}

/// <summary>What a health rule says about one object: the status, a machine reason, a human message, and since when.</summary>
public sealed record Verdict(HealthStatus Health, string Reason, string Message, DateTimeOffset? Since = null)
{
    public static Verdict Unknown(string reason, string message) => new(HealthStatus.Unknown, reason, message);

    /// <summary>Healthy or Suspended: states that need no operator action (the CLI's exit-code rule).</summary>
    public bool IsOk => Health is HealthStatus.Healthy or HealthStatus.Suspended;
}
