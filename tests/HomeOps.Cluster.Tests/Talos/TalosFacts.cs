using System.Collections.Immutable;
using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Cluster.Talos;

namespace HomeOps.Cluster.Tests.Talos;

/// <summary>
/// Hand-built Talos reports for three control-plane nodes (mini01–03), each node's and etcd's verdict computed by the
/// real rules (<see cref="TalosRules"/>), and the Kubernetes Nodes they describe decoded by the real decoder.
/// </summary>
internal static class TalosFacts
{
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    public static readonly string[] Names = ["mini01", "mini02", "mini03"];

    public static string Ip(int i) => $"172.29.51.{11 + i}";

    public static string MemberId(int i) => $"a49c021e76e707d{i}";

    public static TalosNode Node(int i, bool reachable = true, string stage = "running", string kubernetesReady = "True", bool etcdRunning = true)
    {
        var services = stage == "maintenance" ? ImmutableArray<TalosService>.Empty : [.. TalosPoll.WatchedServices.Select(id =>
            id == "etcd" && !etcdRunning ? new TalosService(Ip(i), id, "Preparing", "?", "Running pre state") : new TalosService(Ip(i), id, "Running", "OK", ""))];
        var n = new TalosNode(Ip(i), Names[i], reachable, reachable ? null : "connection refused", Now.AddMinutes(reachable ? 0 : -3),
            reachable ? null : Now.AddMinutes(-2), stage, stage == "running", "v1.11.5", "6.12.57-talos", services, kubernetesReady,
            Verdict.Unknown("Pending", ""));
        return n with { Verdict = TalosRules.Node(n, Now) };
    }

    /// <summary>etcd with three voting members; <paramref name="unhealthy"/> did not answer etcd status.</summary>
    public static EtcdView Etcd(int[]? unhealthy = null, params EtcdAlarm[] alarms)
    {
        var members = Enumerable.Range(0, 3).Select(i => new EtcdMember(MemberId(i), Names[i], $"https://{Ip(i)}:2380", false)).ToImmutableArray();
        var rows = Enumerable.Range(0, 3).Where(i => unhealthy?.Contains(i) != true)
            .Select(i => new EtcdMemberRow(Ip(i), MemberId(i), "21 MB", "12 MB (57.14%)", MemberId(0), false, "")).ToImmutableArray();
        var healthy = members.Where(m => rows.Any(r => r.Member == m.Id) && alarms.All(a => a.Member != m.Id)).Select(m => m.Hostname).ToImmutableArray();
        var message = $"{healthy.Length} of 3 voting etcd members healthy (quorum needs 2)";
        return new EtcdView(members, rows, rows.IsEmpty ? null : MemberId(0), [.. alarms], new EtcdQuorum(true, 3, healthy.Length, healthy, message));
    }

    public static TalosReport Live(IEnumerable<TalosNode> nodes, EtcdView etcd)
    {
        var list = nodes.ToImmutableArray();
        return new TalosReport(new Freshness(FeedState.Live, true, Now, Now, 0, null, Now.AddMinutes(-10), Polled: true), Now, list, etcd,
            TalosRules.Cluster(list, etcd, []));
    }

    public static TalosReport AllHealthy() => Live([Node(0), Node(1), Node(2)], Etcd());

    /// <summary>The store after the Node list (mini0N Ready as given) and the Talos report were published.</summary>
    public static ClusterState StoreWith(TalosReport? talos, params string[] ready)
    {
        var state = ClusterState.Initial(Now.AddMinutes(-10));
        var nodes = Enumerable.Range(0, 3).Select(i => KubernetesNode(i, ready.Length > i ? ready[i] : "True")).ToList();
        state = ClusterReducers.Reduce(state, new ResourcesReplaced(Kinds.Node, nodes, Now.AddMinutes(-5)));
        state = ClusterReducers.Reduce(state, new FreshnessChanged(Kinds.Node, state.Slice(Kinds.Node).Freshness with { State = FeedState.Live }));
        if (talos is not null)
            foreach (var action in TalosSnapshots.Actions(talos, Now)) state = ClusterReducers.Reduce(state, action);
        return state;
    }

    public static ResourceSnapshot KubernetesNode(int i, string ready)
    {
        using var doc = JsonDocument.Parse($$$"""
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{Names[i]}}}","uid":"uid-{{{Names[i]}}}","resourceVersion":"1",
              "labels":{"node-role.kubernetes.io/control-plane":""}},
             "status":{"addresses":[{"type":"InternalIP","address":"{{{Ip(i)}}}"}],
              "conditions":[{"type":"Ready","status":"{{{ready}}}","reason":"KubeletReady","message":"","lastTransitionTime":"2026-12-07T11:00:00Z"}],
              "nodeInfo":{"osImage":"Talos (v1.11.5)","kernelVersion":"6.12.57-talos","kubeletVersion":"v1.34.1","containerRuntimeVersion":"containerd://2.1.4"} } }
            """);
        return ResourceDecoder.Decode(Kinds.Node, doc.RootElement, Now);
    }
}
