namespace HomeOps.Simulator.Faults;

/// <summary>How dense a generated <see cref="FaultSchedule"/> is. The defaults keep one schedule short (a second or two).</summary>
public sealed class FaultScheduleOptions
{
    /// <summary>Requests of a kind after this many are never faulted, so every schedule lets the client make progress.</summary>
    public int FaultyRequestsPerKind { get; set; } = 12;

    /// <summary>Chance that a list or watch request is answered with an error instead of data.</summary>
    public double RequestFaultRate { get; set; } = 0.25;

    /// <summary>Chance that a given line of a watch stream is damaged.</summary>
    public double LineFaultRate { get; set; } = 0.12;

    /// <summary>Lines per watch stream that may be damaged (later lines pass untouched).</summary>
    public int PlannedLinesPerStream { get; set; } = 40;

    /// <summary>Share of 429 and 500 answers that carry a <c>Retry-After</c> header.</summary>
    public double RetryAfterShare { get; set; } = 0.25;

    /// <summary>The <c>Retry-After</c> value (HTTP allows whole seconds only; kube-apiserver sends 1).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Number of writes the schedule's write stream makes (used to place API restarts).</summary>
    public int Writes { get; set; } = 30;

    /// <summary>Chance that a schedule includes an API restart with a resourceVersion reset.</summary>
    public double RestartRate { get; set; } = 0.25;
}
