using System.Collections.Concurrent;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.State;
using HomeOps.Cluster.Talos;
using HomeOps.Operations.Runners;

namespace HomeOps.Operations.Gates;

/// <summary>A gate whose data is not in the watched health model and must be fetched before it is evaluated.</summary>
public interface IRefreshingGate : IGate
{
    Task RefreshAsync(ClusterState state, IReadOnlyDictionary<string, string> args, CancellationToken cancellationToken);
}

/// <summary>Reads etcd's health from Talos for the given node IPs (etcd on Talos is a Talos service, not a pod).</summary>
public interface IEtcdStatusSource
{
    Task<EtcdHealth> ReadAsync(IReadOnlyList<string> nodeIps, CancellationToken cancellationToken);
}

/// <summary>
/// <c>talosctl etcd status --nodes &lt;all&gt; --endpoints &lt;all&gt;</c> through <see cref="TalosctlStepRunner"/>
/// (the workflows' runner and talosconfig), read by <see cref="EtcdStatusTable"/>.
/// </summary>
public sealed class TalosctlEtcdStatusSource(ITalosctl talosctl) : IEtcdStatusSource
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public TalosctlEtcdStatusSource(Func<IStepRunner?> runner, OperationsOptions options) : this(new TalosctlStepRunner(runner, options))
    {
    }

    public static IReadOnlyList<string> Argv(IReadOnlyList<string> ips) =>
        ["talosctl", "etcd", "status", "--nodes", string.Join(',', ips), "--endpoints", string.Join(',', ips)];

    public async Task<EtcdHealth> ReadAsync(IReadOnlyList<string> nodeIps, CancellationToken cancellationToken)
    {
        var result = await talosctl.RunAsync(Argv(nodeIps).Skip(1).ToList(), Timeout, cancellationToken).ConfigureAwait(false);
        if (result.Failure is { } failure) return new(false, failure, []);
        return EtcdStatusTable.Evaluate(result.Stdout, result.Stderr, result.ExitCode, nodeIps);
    }
}

/// <summary>
/// <c>etcd-healthy {count}</c>: <c>talosctl etcd status</c> of every control-plane node (IPs from the live Node list)
/// says etcd is healthy — each node's member answers, no learner, no alarm, one agreed leader — and there are at
/// least <c>count</c> such members. The status is fetched from Talos before each evaluation (at most every few
/// seconds); without a fresh answer the gate is Unknown.
/// </summary>
public sealed class EtcdHealthyGate(IEtcdStatusSource? source, TimeProvider? time = null) : IRefreshingGate
{
    private static readonly TimeSpan MinRefresh = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (EtcdHealth Health, DateTimeOffset At)> _latest = new(StringComparer.Ordinal);

    public string Name => "etcd-healthy";
    public string Description => "talosctl etcd status: every control-plane node's etcd member answers, no learner or alarm, one leader, at least {count} members.";
    public IReadOnlyList<GateArgument> Arguments { get; } = [new("count", true, "members expected (3 on home-ops)", IsCount: true)];

    private static IReadOnlyList<string> NodeIps(ClusterState state) =>
        GateData.Nodes(state).Where(GateData.IsControlPlane).Select(GateData.InternalIPv4).OfType<string>().Order(StringComparer.Ordinal).ToList();

    public async Task RefreshAsync(ClusterState state, IReadOnlyDictionary<string, string> args, CancellationToken cancellationToken)
    {
        if (source is null) return;
        var ips = NodeIps(state);
        if (ips.Count == 0) return;
        var key = string.Join(',', ips);
        var now = _time.GetUtcNow();
        if (_latest.TryGetValue(key, out var last) && now - last.At < MinRefresh) return;
        var health = await source.ReadAsync(ips, cancellationToken).ConfigureAwait(false);
        _latest[key] = (health, _time.GetUtcNow());
    }

    public GateResult Evaluate(ClusterState state, IReadOnlyDictionary<string, string> args, DateTimeOffset now)
    {
        if (source is null) return GateResult.Undecided("no etcd status source (talosctl) in this process");
        if (GateData.Staleness(state, now, HomeOps.Cluster.Model.Kinds.Node) is { } stale) return GateResult.OnStaleData(stale);
        var ips = NodeIps(state);
        var count = int.Parse(args["count"], System.Globalization.CultureInfo.InvariantCulture);
        if (ips.Count < count) return GateResult.Fail($"{ips.Count} control-plane node(s) with an InternalIP in the live node list, need {count}");
        if (!_latest.TryGetValue(string.Join(',', ips), out var latest)) return GateResult.Undecided($"etcd status of {string.Join(", ", ips)} not read from Talos yet");
        if (now - latest.At > MaxAge) return GateResult.Undecided($"the last etcd status is {(now - latest.At).TotalSeconds:0} s old — cannot decide on stale data");
        if (!latest.Health.Healthy) return GateResult.Fail(latest.Health.Message);
        return latest.Health.Members.Length >= count
            ? GateResult.Pass(latest.Health.Message)
            : GateResult.Fail($"only {latest.Health.Members.Length} etcd members answered, need {count}");
    }
}
