namespace HomeOps.Cluster.Sources.Probes;

/// <summary>The answer of one reachability probe: whether a TCP connection opened, and why not when it did not.</summary>
public sealed record ReachabilityAnswer(bool Reachable, string Detail);

/// <summary>
/// Opens (and closes) a TCP connection to <c>address:port</c> within a timeout. Injectable so that the simulator can
/// answer from the simulated network (is the address assigned, announced, served?) and tests can choose the answer.
/// Implementations never throw for a network failure: an unreachable address is an answer, not an error.
/// </summary>
public interface IReachabilityProber
{
    Task<ReachabilityAnswer> ProbeAsync(string address, int port, TimeSpan timeout, CancellationToken cancellationToken);
}
