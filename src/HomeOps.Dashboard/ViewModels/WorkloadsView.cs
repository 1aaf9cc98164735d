using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;

namespace HomeOps.Dashboard.ViewModels;

public sealed record WorkloadRow(string Key, string Kind, string Name, string Namespace, HealthStatus Health, string Reason, string Replicas,
    string Message)
{
    public string TestId => RowIds.For(Kind.ToLowerInvariant(), Name);
}

public sealed record PodRow(string Key, string Namespace, string Name, string Workload, string Phase, string Ready, int Restarts,
    string Reason, string LastTermination, string Node, HealthStatus Health, string Message, IReadOnlyList<string> Containers)
{
    public string TestId => RowIds.For("pod", Name);
}

public sealed record WarningRow(string Key, string Reason, string Note, string Object, int Count, DateTimeOffset? LastSeen)
{
    public string TestId => $"warning-{Reason}-{Key}";
}

/// <summary>The drill-down of one Flux object as rows: its workloads, their pods, the Warning events and the cause line.</summary>
public sealed record WorkloadsSummary(IReadOnlyList<WorkloadRow> Workloads, IReadOnlyList<PodRow> Pods, IReadOnlyList<WarningRow> Warnings, string? Cause)
{
    public static readonly WorkloadsSummary Empty = new([], [], [], null);
}

/// <summary>
/// Maps <see cref="WorkloadDrilldown"/>'s report (computed once in HomeOps.Cluster) to rows. Decides no health: each row
/// carries its object's verdict.
/// </summary>
public static class WorkloadsView
{
    public static WorkloadsSummary For(ClusterState state, ResourceSnapshot flux)
    {
        var report = WorkloadDrilldown.For(state, flux);
        if (report.Workloads.Length == 0 && report.Warnings.Length == 0) return WorkloadsSummary.Empty;
        var workloads = report.Workloads.Select(w => Workload(w.Workload)).ToList();
        var pods = report.Workloads.SelectMany(w => w.Pods.Select(p => Pod(p, $"{w.Workload.Kind.Kind}/{w.Workload.Meta.Name}"))).ToList();
        var warnings = report.Warnings.Select((w, i) => new WarningRow(i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            w.Reason, w.Note, w.Object, w.Count, w.LastSeen)).ToList();
        return new WorkloadsSummary(workloads, pods, warnings, report.Cause?.Describe());
    }

    private static WorkloadRow Workload(ResourceSnapshot w) => new(w.Key, w.Kind.Kind, w.Meta.Name, w.Meta.Namespace ?? "",
        w.Verdict.Health, w.Verdict.Reason, w.Details switch
        {
            WorkloadDetails d => d.Replicas,
            JobDetails j => $"{j.Succeeded}/{j.Completions ?? 1}",
            _ => "—",
        }, w.Verdict.Message);

    private static PodRow Pod(ResourceSnapshot p, string workload)
    {
        var d = p.Details as PodDetails;
        return new PodRow(p.Key, p.Meta.Namespace ?? "", p.Meta.Name, workload, d?.Phase ?? "Unknown",
            d is null ? "—" : $"{d.ReadyContainers}/{d.AppContainers}", d?.Restarts ?? 0,
            p.Verdict.Health == HealthStatus.Healthy ? "" : p.Verdict.Reason, d?.LastTerminationReason ?? "", d?.NodeName ?? "",
            p.Verdict.Health, p.Verdict.Message, d is null ? [] : [.. d.ContainerNames]);
    }
}
