namespace HomeOps.Reliability.Tests.Support;

/// <summary>What one fault schedule did and how the informers came out of it.</summary>
internal sealed record ScheduleOutcome(
    int Seed,
    IReadOnlyList<string> Kinds,
    IReadOnlyDictionary<string, long> Injected,
    int Writes,
    int ObjectsCompared,
    int Lost,
    int Phantom,
    int Stale,
    double ConvergedMs,
    double MaxLiveLagMs,
    int LivePeriods,
    int Requests,
    int Sessions,
    long UnreadableLines,
    double DurationMs,
    string? Failure)
{
    public bool Passed => Failure is null;
}
