using System.Collections.Immutable;

namespace HomeOps.Cluster.Model;

// The workload layer, kept small on purpose (a home cluster has a few hundred pods and the benchmarks' large shape many
// more): decoders keep only what the drill-down shows, drop labels, annotations and the raw status of pods and events,
// and resolve ownership once, at decode time.

/// <summary>The Flux object that applied an object, from its ownership labels (Helm: helm-controller; else kustomize-controller).</summary>
public sealed record FluxOwner(string Kind, string Namespace, string Name)
{
    public const string HelmReleaseKind = "HelmRelease";
    public const string KustomizationKind = "Kustomization";

    public override string ToString() => $"{Kind}/{Namespace}/{Name}";
}

/// <summary>The workload (Deployment, DaemonSet, StatefulSet, Job) a pod belongs to, resolved from its ownerReferences.</summary>
public sealed record WorkloadRef(string Kind, string Name);

/// <summary>One container of a pod: readiness, restarts, why it is waiting now and why it last terminated.</summary>
public sealed record ContainerState(
    string Name,
    bool Ready,
    int Restarts,
    string State,
    string Reason,
    string Message,
    string LastTerminationReason,
    int? LastExitCode,
    bool Init = false);

public sealed record PodDetails(
    string Phase,
    string NodeName,
    WorkloadRef? Workload,
    ImmutableArray<ContainerState> Containers,
    string Reason,
    string Message) : IResourceDetails
{
    public int Restarts => Containers.Sum(c => c.Restarts);

    public int ReadyContainers => Containers.Count(c => c.Ready && !c.Init);

    public int AppContainers => Containers.Count(c => !c.Init);

    /// <summary>The most telling last termination reason (OOMKilled before Error, Completed last), or "".</summary>
    public string LastTerminationReason =>
        Containers.Select(c => c.LastTerminationReason).Where(r => r.Length > 0)
            .OrderBy(r => r switch { "OOMKilled" => 0, "Completed" => 2, _ => 1 }).FirstOrDefault() ?? "";

    /// <summary>The names of the containers a log can be read from (init containers included).</summary>
    public IEnumerable<string> ContainerNames => Containers.Select(c => c.Name);
}

/// <summary>A Deployment, DaemonSet or StatefulSet: desired, ready, updated and available replicas, and the rollout.</summary>
public sealed record WorkloadDetails(
    int Desired,
    int Ready,
    int Updated,
    int Available,
    int Unavailable,
    bool GenerationObserved,
    FluxOwner? Flux) : IResourceDetails
{
    public string Replicas => $"{Ready}/{Desired}";
}

public sealed record JobDetails(int Active, int Succeeded, int Failed, int? Completions, FluxOwner? Flux) : IResourceDetails
{
    /// <summary>The CronJob that created this Job (its ownerReference), or null for a Job applied directly.</summary>
    public string? CronJob { get; init; }
}

/// <summary>
/// One object a Kustomization applied, from <c>status.inventory.entries[].id</c> (<c>&lt;namespace&gt;_&lt;name&gt;_&lt;group&gt;_&lt;kind&gt;</c>;
/// the namespace is empty for cluster-scoped objects, the group for the core group). Names, namespaces, groups and
/// kinds cannot contain '_', so the id splits into exactly four parts.
/// </summary>
public sealed record InventoryRef(string? Namespace, string Name, string Group, string Kind)
{
    /// <summary>The kinds the drill-down follows; the rest of an inventory (Services, ConfigMaps, …) is not kept.</summary>
    public static bool IsFollowed(string group, string kind) => (group, kind) is
        ("apps", "Deployment" or "DaemonSet" or "StatefulSet") or ("batch", "Job" or "CronJob") or ("helm.toolkit.fluxcd.io", "HelmRelease");

    /// <summary>The entry of an inventory id, or null when the id is not of that shape.</summary>
    public static InventoryRef? Parse(string id)
    {
        var parts = id.Split('_');
        if (parts.Length != 4 || parts[1].Length == 0 || parts[3].Length == 0) return null;
        return new InventoryRef(parts[0].Length == 0 ? null : parts[0], parts[1], parts[2], parts[3]);
    }
}

/// <summary>An <c>events.k8s.io/v1</c> Warning event: what it is about, why, and how often it was seen.</summary>
public sealed record EventDetails(
    string Type,
    string Reason,
    string Note,
    string RegardingKind,
    string? RegardingNamespace,
    string RegardingName,
    string RegardingUid,
    int Count,
    DateTimeOffset? LastSeen,
    string Controller) : IResourceDetails;
