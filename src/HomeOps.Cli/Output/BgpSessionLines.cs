using System.Collections.Immutable;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Cli.Output;

/// <summary>
/// The BGP group's session line, from <see cref="BgpStatus.Evaluate"/> — the same report the dashboard's BGP tile,
/// status panel and page use — so the CLI never calls v1 sessions established or stale BGPv2 status live.
/// </summary>
public static class BgpSessionLines
{
    public static IEnumerable<string> For(IEnumerable<ResourceSnapshot> snapshots)
    {
        var report = BgpStatus.Evaluate(StateOf(snapshots));
        if (report.Active == ActiveBgpApi.None) yield break;
        yield return report.SessionStateKnown
            ? $"BGP sessions: {report.Established}/{report.Sessions} established ({report.ActiveApi}; live, from CiliumBGPNodeConfig status)"
            : $"BGP sessions: unknown ({report.ActiveApi}; only the configuration is known)";
        foreach (var warning in report.Warnings) yield return $"BGP warning: {warning}";
    }

    private static ClusterState StateOf(IEnumerable<ResourceSnapshot> snapshots)
    {
        var state = ClusterState.Initial(DateTimeOffset.UnixEpoch);
        foreach (var kind in snapshots.GroupBy(s => s.Kind.Key))
        {
            var slice = state.Slice(kind.First().Kind);
            var items = kind.GroupBy(s => s.Key).ToImmutableDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
            state = state with { Kinds = state.Kinds.SetItem(kind.Key, slice with { Items = items }) };
        }
        return state;
    }
}
