using System.Globalization;
using HomeOps.Cluster.State;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Gates;

/// <summary>Gates by name. Definitions may only name registered gates; the loader checks their arguments.</summary>
public sealed class GateRegistry
{
    private readonly Dictionary<string, IGate> _gates = new(StringComparer.Ordinal);

    public GateRegistry(IEnumerable<IGate> gates)
    {
        foreach (var g in gates) Register(g);
    }

    /// <summary>Every built-in gate; <paramref name="reachability"/> feeds <c>ingress-vip-reachable</c>,
    /// <paramref name="etcd"/> feeds <c>etcd-healthy</c> (Unknown without it); with <paramref name="vipProbe"/> the
    /// reachability gate probes again before it decides.</summary>
    public static GateRegistry CreateDefault(HomeOps.Cluster.Sources.Probes.ReachabilityBoard? reachability = null, IEtcdStatusSource? etcd = null,
        HomeOps.Cluster.Sources.Probes.IngressVipProbe? vipProbe = null) => new(
    [
        new NodesReadyGate(), new NodesRegisteredGate(), new NodeReadyGate(), new NodeNotReadyGate(),
        new KustomizationReadyGate(), new AllKustomizationsReadyGate(), new HelmReleaseReadyGate(),
        new BgpPeersEstablishedGate(), new LonghornNodesReadyGate(), new VolumesHealthyGate(),
        new SecretStoreReadyGate(), new ExternalSecretsSyncedGate(), new CiliumAgentsReadyGate(), new LoadBalancerAddressGate(),
        new IngressVipReachableGate(reachability, vipProbe), new EtcdHealthyGate(etcd),
    ]);

    /// <summary>Fetches what a gate reads from outside the health model (etcd status from Talos, a fresh VIP probe) before it is evaluated. Never throws.</summary>
    public async Task RefreshAsync(string name, IReadOnlyDictionary<string, string> args, ClusterState state, CancellationToken ct)
    {
        if (Find(name) is not IRefreshingGate gate || Validate(name, args).Any()) return;
        try { await gate.RefreshAsync(state, args, ct).ConfigureAwait(false); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
        catch (Exception) { /* the gate stays Unknown on no fresh data */ }
    }

    public IReadOnlyCollection<IGate> All => _gates.Values;

    public void Register(IGate gate) => _gates[gate.Name] = gate;

    public IGate? Find(string name) => _gates.GetValueOrDefault(name);

    /// <summary>Problems with a gate reference as written (placeholder values are checked after substitution).</summary>
    public IEnumerable<string> Validate(string name, IReadOnlyDictionary<string, string> args)
    {
        if (Find(name) is not { } gate)
        {
            yield return $"unknown gate '{name}' (known: {string.Join(", ", _gates.Keys.Order(StringComparer.Ordinal))})";
            yield break;
        }
        foreach (var a in gate.Arguments.Where(a => a.Required && !args.ContainsKey(a.Name)))
            yield return $"gate '{name}' needs argument '{a.Name}'";
        foreach (var key in args.Keys.Where(k => gate.Arguments.All(a => a.Name != k)))
            yield return $"gate '{name}' has no argument '{key}'";
        foreach (var a in gate.Arguments.Where(a => a.IsCount && args.ContainsKey(a.Name)))
        {
            var v = args[a.Name];
            if (Placeholders.TryParseWhole(v, out _)) continue;
            if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                yield return $"gate '{name}' argument '{a.Name}' must be a positive integer, got '{v}'";
        }
    }

    /// <summary>Evaluates once with resolved arguments. Never throws: a broken gate is Unknown, not Passed.</summary>
    public GateResult Evaluate(string name, IReadOnlyDictionary<string, string> args, ClusterState state, DateTimeOffset now, bool advisory = false)
    {
        var argText = string.Join(", ", args.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"));
        GateResult raw;
        var problems = Validate(name, args).ToList();
        if (problems.Count > 0)
            raw = GateResult.Undecided(string.Join("; ", problems));
        else
        {
            try { raw = Find(name)!.Evaluate(state, args, now); }
            catch (Exception ex) { raw = GateResult.Undecided($"gate failed to evaluate: {ex.Message}"); }
        }
        return raw with { Gate = name, Arguments = argText, EvaluatedAt = now, Advisory = advisory };
    }
}
