using System.Text;
using HomeOps.Cluster.Talos;

namespace HomeOps.Cluster.Metrics;

/// <summary>
/// The Talos feed's verdicts as Prometheus gauges (docs/metrics.md, "Talos and etcd"). Only a live report gives
/// samples: when Talos cannot be polled, <c>homeops_talos_feed_up</c> is 0 and the other families are empty, so stale
/// values are never scraped as current.
/// </summary>
public static class TalosMetrics
{
    public static IReadOnlyList<MetricFamily> Build(TalosReport report)
    {
        var up = new MetricFamily("homeops_talos_feed_up", MetricType.Gauge,
            "1 when the last Talos poll (talosctl through the workflows' talosconfig) answered, else 0 (not configured, failing or not yet polled).");
        up.Add(report.IsLive ? 1 : 0);
        var members = new MetricFamily("homeops_etcd_members", MetricType.Gauge, "Voting etcd members as etcd lists them (talosctl etcd members).");
        var healthy = new MetricFamily("homeops_etcd_members_healthy", MetricType.Gauge,
            "Voting etcd members that answered talosctl etcd status without error, not a learner, without an alarm.");
        var needed = new MetricFamily("homeops_etcd_quorum_needed", MetricType.Gauge, "Members etcd needs for quorum (members / 2 + 1).");
        var hasLeader = new MetricFamily("homeops_etcd_has_leader", MetricType.Gauge, "1 when the members that answered agree on a leader, else 0.");
        var leader = new MetricFamily("homeops_etcd_leader", MetricType.Gauge, "1 for the etcd leader member.", "member", "hostname");
        var alarm = new MetricFamily("homeops_etcd_alarm", MetricType.Gauge, "1 per active etcd alarm (NOSPACE, CORRUPT).", "member", "alarm");
        var reachable = new MetricFamily("homeops_talos_node_reachable", MetricType.Gauge, "1 when the node's Talos API (apid) answered the last poll.", "node", "ip");
        var stage = new MetricFamily("homeops_talos_node_stage", MetricType.Gauge,
            "1 for the node's Talos machine stage (running, maintenance, booting, …) as last read.", "node", "stage");
        var ok = new MetricFamily("homeops_talos_node_ok", MetricType.Gauge,
            "1 when the node's Talos verdict is Healthy (reachable, running, watched services healthy, Kubernetes Ready).", "node");
        var service = new MetricFamily("homeops_talos_service_healthy", MetricType.Gauge,
            "1 when the Talos service is Running with health OK, else 0.", "node", "service");

        if (report.IsLive)
        {
            foreach (var n in report.Nodes)
            {
                var name = n.Name ?? n.Ip;
                reachable.Add(n.Reachable ? 1 : 0, name, n.Ip);
                ok.Add(n.Verdict.Health == Model.HealthStatus.Healthy ? 1 : 0, name);
                if (!n.Reachable) continue;
                if (n.Stage.Length > 0) stage.Add(1, name, n.Stage);
                foreach (var id in TalosPoll.WatchedServices)
                    if (!n.InMaintenance) service.Add(n.Service(id)?.Healthy == true ? 1 : 0, name, id);
            }
            if (report.Etcd is { Quorum.Known: true } etcd)
            {
                members.Add(etcd.Quorum.Voters);
                healthy.Add(etcd.Quorum.Healthy);
                needed.Add(etcd.Quorum.Needed);
                hasLeader.Add(etcd.Leader is null ? 0 : 1);
                if (etcd.Leader is { } id) leader.Add(1, id, etcd.Members.FirstOrDefault(m => m.Id == id)?.Hostname ?? "");
                foreach (var a in etcd.Alarms) alarm.Add(1, a.Member, a.Alarm);
            }
        }
        return [up, members, healthy, needed, hasLeader, leader, alarm, reachable, stage, ok, service];
    }

    public static string Format(TalosReport report)
    {
        var sb = new StringBuilder(2048);
        foreach (var family in Build(report)) family.WriteTo(sb);
        return sb.ToString();
    }
}
