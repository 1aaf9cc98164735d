using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources.Probes;
using HomeOps.Cluster.State;

namespace HomeOps.Operations.Gates;

/// <summary>
/// <c>ingress-vip-reachable {namespace, name, address?}</c>: the dashboard opened a TCP connection to the address
/// LB-IPAM assigned to the Service (read from the Service's status, the probe's own record), recently and at the
/// address the Service has now. Unknown when there is no fresh probe of that address: an old answer is not evidence.
/// Before each evaluation the gate has the probe connect again (at most every <see cref="MinRefresh"/>), so a step
/// is judged on the network as it is after the step, not on the background probe's last round, which may predate it
/// (a rebuild's phase 6 would otherwise read a probe from before phase 3 made the nodes Ready).
/// </summary>
public sealed class IngressVipReachableGate(ReachabilityBoard? board, IngressVipProbe? probe = null) : IRefreshingGate
{
    /// <summary>A probe younger than this is fresh enough for a re-evaluation (a gate with a wait re-evaluates on every change).</summary>
    public static readonly TimeSpan MinRefresh = TimeSpan.FromSeconds(3);


    public string Name => "ingress-vip-reachable";
    public string Description => "The dashboard reaches Service {namespace}/{name}'s LoadBalancer address with a TCP connect (the probed port).";
    public IReadOnlyList<GateArgument> Arguments { get; } =
    [
        new("namespace", true, "Service namespace"), new("name", true, "Service name"),
        new("address", false, "expected address (LB-IPAM's assignment); any assigned address when omitted"),
    ];

    public async Task RefreshAsync(ClusterState state, IReadOnlyDictionary<string, string> args, CancellationToken cancellationToken)
    {
        if (board is null || probe is null || !board.Options.Enabled) return;
        if (!string.Equals(board.Options.Namespace, args["namespace"], StringComparison.Ordinal) ||
            !string.Equals(board.Options.Service, args["name"], StringComparison.Ordinal)) return;
        if (board.Latest(args["namespace"], args["name"]) is { } latest && probe.Now - latest.At < MinRefresh) return;
        await probe.ProbeOnceAsync(cancellationToken).ConfigureAwait(false);
    }

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now)
    {
        if (board is null) return GateResult.Undecided("no reachability probe runs in this process");
        if (GateData.Staleness(state, now, Kinds.Service) is { } stale) return GateResult.OnStaleData(stale);
        var (ns, name) = (args["namespace"], args["name"]);
        if (!string.Equals(board.Options.Namespace, ns, StringComparison.Ordinal) || !string.Equals(board.Options.Service, name, StringComparison.Ordinal))
            return GateResult.Undecided($"the probe watches {board.Options.Namespace}/{board.Options.Service}, not {ns}/{name} (Cluster:Probes:IngressVip)");
        var svc = GateData.FindNamespaced(state, Kinds.Service, ns, name);
        if (svc is null) return GateResult.Fail($"Service {ns}/{name} does not exist: no address to reach");
        var addresses = svc.Details is ServiceDetails d && d.HasAddress ? d.IngressAddresses : [];
        if (addresses.IsDefaultOrEmpty) return GateResult.Fail($"Service {svc.Meta.DisplayName} has no LoadBalancer address (<pending>): nothing to reach");
        if (args.TryGetValue("address", out var expected) && !addresses.Contains(expected))
            return GateResult.Fail($"Service {svc.Meta.DisplayName} has {string.Join(", ", addresses)}, not {expected}");
        var probe = board.Latest(ns, name);
        if (probe?.Address is null || !addresses.Contains(probe.Address))
            return GateResult.Undecided($"{string.Join(", ", addresses)} has not been probed yet");
        if (now - probe.At > board.Options.MaxAge)
            return GateResult.Undecided($"the last probe of {probe.Address}:{probe.Port} is {(now - probe.At).TotalSeconds:0} s old — cannot decide on a stale probe");
        return probe.Reachable
            ? GateResult.Pass($"{probe.Address}:{probe.Port} reachable from the dashboard: {probe.Detail}")
            : GateResult.Fail($"{probe.Address}:{probe.Port} unreachable from the dashboard: {probe.Detail}");
    }
}
