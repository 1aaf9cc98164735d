namespace HomeOps.Simulator.Faults;

/// <summary>
/// Thrown by a <see cref="WatchStreamTap"/> to end the watch stream it damaged (an <see cref="IOException"/>, so the
/// watch handler ends it the way it ends a stream whose client went away).
/// </summary>
internal sealed class StreamEndedByFault(string fault) : IOException($"watch stream ended by an injected fault: {fault}")
{
    public string Fault { get; } = fault;
}
