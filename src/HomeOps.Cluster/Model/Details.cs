using System.Collections.Immutable;

namespace HomeOps.Cluster.Model;

// One record per kind. Every field is optional in the source JSON: decoders fill defaults, never throw.
// Sizes are bytes (long); Longhorn numbers can arrive as "1.1e+12" and are rounded.

public sealed record NodeAddress(string Type, string Address);

public sealed record Taint(string Key, string? Value, string Effect);

public sealed record NodeDetails(
    ImmutableArray<NodeAddress> Addresses,
    ImmutableArray<Taint> Taints,
    ImmutableArray<string> Roles,
    bool Unschedulable,
    string OsImage,
    string TalosVersion,
    string KernelVersion,
    string KubeletVersion,
    string ContainerRuntimeVersion,
    string CpuCapacity,
    string MemoryCapacity) : IResourceDetails
{
    public const string ControlPlaneRole = "control-plane";

    /// <summary><c>status.nodeInfo.bootID</c>: changes when the node reboots (the change timeline records it); "" when absent.</summary>
    public string BootId { get; init; } = "";

    /// <summary>The node's Ready condition, found by type (never a substring: "NotReady" contains "Ready"); null when it has none.</summary>
    public Condition? ReadyCondition { get; init; }

    /// <summary>Ready means the Ready condition's status is the string "True".</summary>
    public bool Ready => ReadyCondition?.IsTrue == true;

    /// <summary>The Ready condition's status (<c>True</c>, <c>False</c>, <c>Unknown</c>); "Unknown" when the node has none.</summary>
    public string ReadyStatus => ReadyCondition?.Status ?? "Unknown";

    /// <summary>"Ready=False (KubeletNotReady)", "Ready=Unknown (NodeStatusUnknown)", "no Ready condition".</summary>
    public string DescribeReady => ReadyCondition switch
    {
        null => "no Ready condition",
        { Reason.Length: > 0 } c => $"Ready={c.Status} ({c.Reason})",
        var c => $"Ready={c.Status}",
    };

    /// <summary>A control-plane node (role <c>control-plane</c>, or the legacy <c>master</c>).</summary>
    public bool ControlPlane => Roles.Any(r => r is ControlPlaneRole or "master");

    /// <summary>The node's IPv4 InternalIP (dual-stack nodes have two InternalIP entries: this is the v4 one); null when none.</summary>
    public string? InternalIPv4
    {
        get
        {
            foreach (var a in Addresses)
            {
                if (a.Type == "InternalIP" && System.Net.IPAddress.TryParse(a.Address, out var ip)
                    && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                    return ip.ToString();
            }
            return null;
        }
    }
}

public sealed record DependencyRef(string Namespace, string Name);

public sealed record SourceRef(string Kind, string Namespace, string Name);

public sealed record KustomizationDetails(
    string Path,
    bool Suspended,
    ImmutableArray<DependencyRef> DependsOn,
    SourceRef? Source,
    string LastAppliedRevision,
    string LastAttemptedRevision,
    long ObservedGeneration,
    string Interval) : IResourceDetails
{
    /// <summary>
    /// What it applied, from <c>status.inventory</c>: only the entries the drill-down follows (workloads, CronJobs,
    /// HelmReleases). Null when the status carries no inventory, or an empty one (nothing applied yet): the drill-down
    /// then falls back to kustomize-controller's ownership labels.
    /// </summary>
    public ImmutableArray<InventoryRef>? Inventory { get; init; }
}

public sealed record HelmReleaseDetails(
    string Chart,
    string ChartVersion,
    bool Suspended,
    ImmutableArray<DependencyRef> DependsOn,
    SourceRef? Source,
    string LastAttemptedRevision,
    string HistoryStatus,
    long InstallFailures,
    long UpgradeFailures,
    long ObservedGeneration) : IResourceDetails
{
    /// <summary>The app version of the latest release in <c>status.history</c>; "" when absent.</summary>
    public string AppVersion { get; init; } = "";
}

public sealed record GitRepositoryDetails(
    string Url,
    string Branch,
    bool Suspended,
    string ArtifactRevision,
    DateTimeOffset? ArtifactUpdatedAt,
    long ObservedGeneration) : IResourceDetails;

public sealed record VolumeWorkload(string PodName, string PodStatus, string WorkloadName, string WorkloadType);

public sealed record LonghornVolumeDetails(
    string State,
    string Robustness,
    int NumberOfReplicas,
    long SizeBytes,
    long ActualSizeBytes,
    string StorageClass,
    string PvcNamespace,
    string PvcName,
    string NodeId,
    string LastBackup,
    DateTimeOffset? LastBackupAt,
    DateTimeOffset? LastDegradedAt,
    ImmutableArray<VolumeWorkload> Workloads,
    ImmutableArray<string> RecurringJobGroups,
    // recurring-job.longhorn.io/<job>: enabled — jobs a volume joins directly, not through a group.
    ImmutableArray<string> RecurringJobs = default) : IResourceDetails;

public sealed record LonghornDisk(
    string Name,
    string Path,
    ImmutableArray<string> Tags,
    bool AllowScheduling,
    long StorageReservedBytes,
    long StorageMaximumBytes,
    long StorageAvailableBytes,
    long StorageScheduledBytes,
    bool Ready,
    bool Schedulable,
    string Problem)
{
    public long UsedBytes => Math.Max(0, StorageMaximumBytes - StorageAvailableBytes);
    public double UsedFraction => StorageMaximumBytes <= 0 ? 0 : (double)UsedBytes / StorageMaximumBytes;
}

public sealed record LonghornNodeDetails(
    bool Ready,
    bool Schedulable,
    ImmutableArray<LonghornDisk> Disks) : IResourceDetails;

public sealed record LonghornBackupDetails(
    string State,
    string VolumeName,
    int Progress,
    long SizeBytes,
    DateTimeOffset? CreatedAt,
    string Error) : IResourceDetails;

/// <summary>
/// A Longhorn BackupTarget (<c>longhorn.io/v1beta2</c>, Longhorn ≥ 1.8): <c>spec.backupTargetURL</c>, <c>credentialSecret</c>
/// (a Secret's name, not a secret), <c>pollInterval</c>; <c>status.available</c> and the <c>Unavailable</c> condition's message.
/// </summary>
public sealed record LonghornBackupTargetDetails(
    string Url,
    string CredentialSecret,
    string PollInterval,
    bool Available,
    string Message,
    DateTimeOffset? LastSyncedAt) : IResourceDetails;

/// <summary>A Longhorn RecurringJob: task (backup, snapshot, …), cron, the groups that select volumes, retain and concurrency.</summary>
public sealed record LonghornRecurringJobDetails(
    string Task,
    string Cron,
    ImmutableArray<string> Groups,
    int Retain,
    int Concurrency) : IResourceDetails
{
    /// <summary><c>backup</c> and <c>backup-force-create</c> upload to the backup target; the snapshot tasks do not.</summary>
    public bool IsBackup => Task is "backup" or "backup-force-create";
}

/// <summary>
/// One volume's backup deadline, evaluated by <see cref="Health.BackupPolicy"/>: the group (or directly assigned job) whose
/// backup job sets its <see cref="MaxAge"/> (null: no backup policy), its last successful backup and when the next one is due.
/// </summary>
public sealed record VolumeBackupDetails(
    string Volume,
    string PvcNamespace,
    string PvcName,
    string? Group,
    string? Job,
    DateTimeOffset? LastBackupAt,
    TimeSpan? MaxAge,
    DateTimeOffset? DueAt,
    bool MaxAgeConfigured) : IResourceDetails;

/// <summary>A BGP neighbour as configured (v1 policy) or as reported (v2 node config).</summary>
public sealed record BgpPeer(
    string Node,
    long LocalAsn,
    long PeerAsn,
    string PeerAddress,
    string SessionState,
    DateTimeOffset? EstablishedAt,
    long RoutesReceived,
    long RoutesAdvertised)
{
    public bool Established => string.Equals(SessionState, "established", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Which BGP control-plane API a BGP object belongs to.</summary>
public enum BgpApi
{
    /// <summary>CiliumBGPPeeringPolicy: configuration only, no session state in the API.</summary>
    V1PeeringPolicy,
    /// <summary>CiliumBGPClusterConfig/NodeConfig/PeerConfig/Advertisement: session state in CiliumBGPNodeConfig.status.</summary>
    V2,
}

public sealed record BgpDetails(
    BgpApi Api,
    ImmutableArray<BgpPeer> Peers,
    string Summary) : IResourceDetails;

public sealed record IpPoolDetails(
    ImmutableArray<string> Blocks,
    string ServiceSelector,
    bool Disabled,
    long? IpsTotal,
    long? IpsAvailable) : IResourceDetails;

public sealed record OutpostInstance(
    string Uid,
    string Hostname,
    DateTimeOffset? LastSeen,
    string Version,
    string VersionShould,
    bool VersionOutdated);

public sealed record AuthentikOutpostDetails(
    string Pk,
    string Type,
    bool Embedded,
    ImmutableArray<long> Providers,
    ImmutableArray<OutpostInstance> Instances,
    DateTimeOffset? LastSeen) : IResourceDetails;

public sealed record AuthentikTokenDetails(
    string Identifier,
    string Intent,
    string User,
    bool Expiring,
    DateTimeOffset? Expires,
    string Description) : IResourceDetails;

/// <summary>A <c>type: LoadBalancer</c> Service as LB-IPAM sees it: the pool it asks for (label vs annotation) and what it got.</summary>
public sealed record ServiceDetails(
    string Type,
    ImmutableArray<string> IngressAddresses,
    string PoolLabel,
    string PoolAnnotation,
    string RequestedAddresses,
    string LoadBalancerClass,
    ImmutableArray<string> Ports) : IResourceDetails
{
    public bool HasAddress => !IngressAddresses.IsDefaultOrEmpty;
}

/// <summary>
/// An Ingress, slim: its class, the distinct hosts of its rules, the hosts its TLS section covers, and the addresses the
/// controller published (<c>status.loadBalancer.ingress[].ip</c>). Read only to know which hosts users reach.
/// </summary>
public sealed record IngressDetails(
    string IngressClassName,
    ImmutableArray<string> Hosts,
    ImmutableArray<string> TlsHosts,
    ImmutableArray<string> Addresses) : IResourceDetails
{
    /// <summary>How a user reaches the host: https when the TLS section covers it, else http.</summary>
    public string SchemeOf(string host) => TlsHosts.Contains(host, StringComparer.OrdinalIgnoreCase) ? "https" : "http";
}

/// <summary>A (Cluster)SecretStore: which provider it reads from and what it may do.</summary>
public sealed record SecretStoreDetails(
    string Provider,
    string Endpoint,
    ImmutableArray<string> Vaults,
    string Capabilities) : IResourceDetails;

/// <summary>An ExternalSecret: its store, the Secret it writes, and when it last synced.</summary>
public sealed record ExternalSecretDetails(
    string StoreKind,
    string StoreName,
    string TargetSecret,
    string RefreshInterval,
    DateTimeOffset? RefreshTime,
    string SyncedResourceVersion,
    int Keys) : IResourceDetails;

/// <summary>
/// A cert-manager Certificate (<c>cert-manager.io/v1</c>): the Secret it writes, its names, and the times cert-manager
/// reports in its status. Never key material: the decoder reads spec and status only.
/// </summary>
public sealed record CertificateDetails(
    string SecretName,
    ImmutableArray<string> DnsNames,
    string IssuerName,
    DateTimeOffset? NotBefore,
    DateTimeOffset? NotAfter,
    DateTimeOffset? RenewalTime,
    string ReadyMessage) : IResourceDetails;

/// <summary>One node's usage from <c>metrics.k8s.io</c> (v1beta1 NodeMetrics): CPU in millicores, memory in bytes.</summary>
public sealed record NodeMetricsDetails(
    long CpuMillicores,
    long MemoryBytes,
    DateTimeOffset? Timestamp = null,
    TimeSpan? Window = null) : IResourceDetails;

/// <summary>Details for an object that could not be decoded; the verdict says why.</summary>
public sealed record NoDetails : IResourceDetails
{
    public static readonly NoDetails Instance = new();
}
