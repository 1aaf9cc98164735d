using System.Collections.Immutable;
using System.Globalization;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cluster.Talos;

/// <summary>One node as Talos reported it in the last poll (<see cref="Kinds.TalosNode"/>).</summary>
public sealed record TalosNodeDetails(TalosNode Node) : IResourceDetails;

/// <summary>etcd as Talos reported it in the last poll (<see cref="Kinds.Etcd"/>).</summary>
public sealed record EtcdDetails(EtcdView Etcd) : IResourceDetails;

/// <summary>
/// The Talos feed's report as store objects, so that the Talos and etcd facts are part of the one Nodes verdict
/// (<see cref="Areas.NodesRollup"/>): the tile, <c>/api/v1/health</c>, the hub, the problem list, the CLI and /metrics
/// read them from the store like every other kind. The verdicts are <see cref="TalosRules"/>' — computed once, in the poll.
/// </summary>
public static class TalosSnapshots
{
    public const string EtcdName = "etcd";

    /// <summary>One snapshot per node Talos was asked about, plus the etcd object when etcd was read.</summary>
    public static IReadOnlyList<ResourceSnapshot> Nodes(TalosReport report) => [.. report.Nodes.Select(n => Node(n, report.PolledAt))];

    public static IReadOnlyList<ResourceSnapshot> EtcdObjects(TalosReport report) =>
        report.Etcd is { } e ? [Etcd(e, report.PolledAt)] : [];

    /// <summary>
    /// The store actions for one report (the dashboard's feed dispatches them, the CLI reduces them into its state): a
    /// live poll replaces the Talos objects; a failed one keeps them — the nodes' verdicts say "not read" since the feed
    /// failed, etcd's becomes the feed's Unknown (quorum is not judged from a poll that did not happen) — and both slices
    /// get the feed's freshness, never live while it fails.
    /// </summary>
    public static IReadOnlyList<object> Actions(TalosReport report, DateTimeOffset at)
    {
        IReadOnlyList<ResourceSnapshot> etcd = report.IsLive || report.Etcd is null
            ? EtcdObjects(report)
            : [Etcd(report.Etcd, report.PolledAt) with { Verdict = report.Verdict }];
        return
        [
            new ResourcesReplaced(Kinds.TalosNode, Nodes(report), at),
            new ResourcesReplaced(Kinds.Etcd, etcd, at),
            new FreshnessChanged(Kinds.TalosNode, report.Freshness),
            new FreshnessChanged(Kinds.Etcd, report.Freshness),
        ];
    }

    public static ResourceSnapshot Node(TalosNode node, DateTimeOffset? polledAt) =>
        new(Kinds.TalosNode, Meta($"talos/{node.Ip}", node.Name ?? node.Ip, polledAt), new TalosNodeDetails(node), node.Verdict, [], "");

    public static ResourceSnapshot Etcd(EtcdView etcd, DateTimeOffset? polledAt) =>
        new(Kinds.Etcd, Meta("talos/etcd", EtcdName, polledAt), new EtcdDetails(etcd), TalosRules.Etcd(etcd), [], "");

    private static ObjectMeta Meta(string uid, string name, DateTimeOffset? at) =>
        new(uid, name, null, (at ?? DateTimeOffset.UnixEpoch).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), 0, null,
            ObjectMeta.NoLabels, ImmutableDictionary<string, string>.Empty);
}
