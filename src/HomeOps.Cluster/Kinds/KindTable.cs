using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Talos;

namespace HomeOps.Cluster.Model;

/// <summary>How the dashboard reads a kind: one informer (watch), one poller (no watch in the API), or the Authentik API.</summary>
public enum KindFeed
{
    Watched,
    Polled,
    Authentik,
    /// <summary>Observed by the dashboard itself (probes, Prometheus): no Kubernetes decoder, a poller builds the snapshots.</summary>
    Observed,
}

/// <summary>Decodes one normalised Kubernetes object of a kind into a snapshot with its verdict (the rule is applied inside).</summary>
public delegate ResourceSnapshot KindDecoder(KindInfo kind, JsonElement obj);

/// <summary>
/// One row of <see cref="KindTable"/>: the kind (group, version, plural, area), the versions it is read at best first,
/// how it is fed, its decoder and the health rule that decoder applies.
/// </summary>
/// <param name="Decode">The Kubernetes decoder; null for Authentik kinds, which <see cref="DecoderName"/> names instead
/// (<see cref="AuthentikDecoder"/> reads API responses, not Kubernetes objects).</param>
/// <param name="DecoderName">The decoder, as Type.Method (checked by the compiler through nameof).</param>
/// <param name="Rule">The health rule the decoder applies, as Type.Method (checked by the compiler through nameof).</param>
public sealed record KindEntry(
    KindInfo Kind,
    IReadOnlyList<string> Versions,
    KindFeed Feed,
    KindDecoder? Decode,
    string DecoderName,
    string Rule)
{
    public Area Area => Kind.Area;
}

/// <summary>
/// Every kind the dashboard reads, in one place: kind → API group/versions → decoder → health rule → area. The order here
/// is the order views list them in. <see cref="Kinds"/> keeps the named <see cref="KindInfo"/>s; its lists, the
/// preferred versions and <see cref="ResourceDecoder"/>'s decoders all come from this table.
/// Adding a kind: a <see cref="KindInfo"/> in <see cref="Kinds"/>, a row here, its decoder and rule in
/// <c>Health/&lt;Kind&gt;Health.cs</c>, and its view (docs/architecture.md, "Adding a kind").
/// </summary>
public static class KindTable
{
    // Versions best first: discovery picks the first one the API serves the kind at, so the newest schema wins where
    // several are served (Cilium ≥ 1.18 serves the BGPv2 kinds at v2 and v2alpha1); a version not listed is used only
    // when none of these is served (the decoders read every field tolerantly).
    private static readonly string[] Core = ["v1"];
    private static readonly string[] FluxSource = ["v1", "v1beta2"];
    private static readonly string[] FluxKustomize = ["v1", "v1beta2"];
    private static readonly string[] FluxHelm = ["v2", "v2beta2", "v2beta1"];
    private static readonly string[] Longhorn = ["v1beta2"];
    private static readonly string[] Cilium = ["v2", "v2alpha1"];
    private static readonly string[] ExternalSecrets = ["v1", "v1beta1"];
    private static readonly string[] CertManager = ["v1"];
    private static readonly string[] Apps = ["v1"];
    private static readonly string[] Networking = ["v1"];
    private static readonly string[] Batch = ["v1"];
    private static readonly string[] EventsApi = ["v1"];
    private static readonly string[] MetricsApi = ["v1beta1"];
    private static readonly string[] AuthentikApi = ["v3"];
    private static readonly string[] ObservedV1 = ["v1"];

    public static readonly IReadOnlyList<KindEntry> Entries =
    [
        new(Kinds.Node, Core, KindFeed.Watched, NodeHealth.Decode,
            $"{nameof(NodeHealth)}.{nameof(NodeHealth.Decode)}", $"{nameof(NodeHealth)}.{nameof(NodeHealth.Rule)}"),
        new(Kinds.GitRepository, FluxSource, KindFeed.Watched, FluxHealth.DecodeGitRepository,
            $"{nameof(FluxHealth)}.{nameof(FluxHealth.DecodeGitRepository)}", $"{nameof(FluxRule)}.{nameof(FluxRule.Evaluate)}"),
        new(Kinds.Kustomization, FluxKustomize, KindFeed.Watched, FluxHealth.DecodeKustomization,
            $"{nameof(FluxHealth)}.{nameof(FluxHealth.DecodeKustomization)}", $"{nameof(FluxRule)}.{nameof(FluxRule.Evaluate)}"),
        new(Kinds.HelmRelease, FluxHelm, KindFeed.Watched, FluxHealth.DecodeHelmRelease,
            $"{nameof(FluxHealth)}.{nameof(FluxHealth.DecodeHelmRelease)}", $"{nameof(FluxRule)}.{nameof(FluxRule.Evaluate)}"),

        new(Kinds.LonghornVolume, Longhorn, KindFeed.Watched, LonghornHealth.DecodeVolume,
            $"{nameof(LonghornHealth)}.{nameof(LonghornHealth.DecodeVolume)}", $"{nameof(LonghornHealth)}.{nameof(LonghornHealth.VolumeRule)}"),
        new(Kinds.LonghornNode, Longhorn, KindFeed.Watched, LonghornHealth.DecodeNode,
            $"{nameof(LonghornHealth)}.{nameof(LonghornHealth.DecodeNode)}", $"{nameof(LonghornHealth)}.{nameof(LonghornHealth.NodeRule)}"),
        new(Kinds.LonghornBackup, Longhorn, KindFeed.Watched, LonghornHealth.DecodeBackup,
            $"{nameof(LonghornHealth)}.{nameof(LonghornHealth.DecodeBackup)}", $"{nameof(LonghornHealth)}.{nameof(LonghornHealth.BackupRule)}"),
        new(Kinds.LonghornBackupTarget, Longhorn, KindFeed.Watched, LonghornBackupHealth.DecodeBackupTarget,
            $"{nameof(LonghornBackupHealth)}.{nameof(LonghornBackupHealth.DecodeBackupTarget)}", $"{nameof(LonghornBackupHealth)}.{nameof(LonghornBackupHealth.BackupTargetRule)}"),
        new(Kinds.LonghornRecurringJob, Longhorn, KindFeed.Watched, LonghornBackupHealth.DecodeRecurringJob,
            $"{nameof(LonghornBackupHealth)}.{nameof(LonghornBackupHealth.DecodeRecurringJob)}", $"{nameof(LonghornBackupHealth)}.{nameof(LonghornBackupHealth.RecurringJobRule)}"),

        new(Kinds.BgpPeeringPolicy, Cilium, KindFeed.Watched, BgpHealth.DecodePeeringPolicy,
            $"{nameof(BgpHealth)}.{nameof(BgpHealth.DecodePeeringPolicy)}", $"{nameof(BgpHealth)}.{nameof(BgpHealth.DecodePeeringPolicy)}"),
        new(Kinds.BgpNodeConfig, Cilium, KindFeed.Watched, BgpHealth.DecodeNodeConfig,
            $"{nameof(BgpHealth)}.{nameof(BgpHealth.DecodeNodeConfig)}", $"{nameof(BgpHealth)}.{nameof(BgpHealth.NodeConfigRule)}"),
        new(Kinds.BgpClusterConfig, Cilium, KindFeed.Watched, BgpHealth.DecodeClusterConfig,
            $"{nameof(BgpHealth)}.{nameof(BgpHealth.DecodeClusterConfig)}", $"{nameof(BgpHealth)}.{nameof(BgpHealth.DecodeClusterConfig)}"),
        new(Kinds.BgpPeerConfig, Cilium, KindFeed.Watched, BgpHealth.DecodePeerConfig,
            $"{nameof(BgpHealth)}.{nameof(BgpHealth.DecodePeerConfig)}", $"{nameof(BgpHealth)}.{nameof(BgpHealth.DecodePeerConfig)}"),
        new(Kinds.BgpAdvertisement, Cilium, KindFeed.Watched, BgpHealth.DecodeAdvertisement,
            $"{nameof(BgpHealth)}.{nameof(BgpHealth.DecodeAdvertisement)}", $"{nameof(BgpHealth)}.{nameof(BgpHealth.DecodeAdvertisement)}"),
        new(Kinds.LoadBalancerIPPool, Cilium, KindFeed.Watched, IpPoolHealth.Decode,
            $"{nameof(IpPoolHealth)}.{nameof(IpPoolHealth.Decode)}", $"{nameof(IpPoolHealth)}.{nameof(IpPoolHealth.Rule)}"),
        new(Kinds.Service, Core, KindFeed.Watched, ServiceHealth.Decode,
            $"{nameof(ServiceHealth)}.{nameof(ServiceHealth.Decode)}", $"{nameof(ServiceHealth)}.{nameof(ServiceHealth.Rule)}"),
        new(Kinds.Ingress, Networking, KindFeed.Watched, IngressHealth.Decode,
            $"{nameof(IngressHealth)}.{nameof(IngressHealth.Decode)}", $"{nameof(IngressHealth)}.{nameof(IngressHealth.Rule)}"),

        new(Kinds.ClusterSecretStore, ExternalSecrets, KindFeed.Watched, SecretsHealth.DecodeStore,
            $"{nameof(SecretsHealth)}.{nameof(SecretsHealth.DecodeStore)}", $"{nameof(SecretsHealth)}.{nameof(SecretsHealth.ReadyRule)}"),
        new(Kinds.ExternalSecret, ExternalSecrets, KindFeed.Watched, SecretsHealth.DecodeExternalSecret,
            $"{nameof(SecretsHealth)}.{nameof(SecretsHealth.DecodeExternalSecret)}", $"{nameof(SecretsHealth)}.{nameof(SecretsHealth.ReadyRule)}"),
        new(Kinds.Certificate, CertManager, KindFeed.Watched, CertificateHealth.Decode,
            $"{nameof(CertificateHealth)}.{nameof(CertificateHealth.Decode)}", $"{nameof(SecretsHealth)}.{nameof(SecretsHealth.ReadyRule)}"),

        new(Kinds.Pod, Core, KindFeed.Watched, WorkloadHealth.DecodePod,
            $"{nameof(WorkloadHealth)}.{nameof(WorkloadHealth.DecodePod)}", $"{nameof(WorkloadHealth)}.{nameof(WorkloadHealth.PodRule)}"),
        new(Kinds.Deployment, Apps, KindFeed.Watched, WorkloadHealth.DecodeWorkload,
            $"{nameof(WorkloadHealth)}.{nameof(WorkloadHealth.DecodeWorkload)}", $"{nameof(WorkloadHealth)}.{nameof(WorkloadHealth.RolloutRule)}"),
        new(Kinds.DaemonSet, Apps, KindFeed.Watched, WorkloadHealth.DecodeWorkload,
            $"{nameof(WorkloadHealth)}.{nameof(WorkloadHealth.DecodeWorkload)}", $"{nameof(WorkloadHealth)}.{nameof(WorkloadHealth.RolloutRule)}"),
        new(Kinds.StatefulSet, Apps, KindFeed.Watched, WorkloadHealth.DecodeWorkload,
            $"{nameof(WorkloadHealth)}.{nameof(WorkloadHealth.DecodeWorkload)}", $"{nameof(WorkloadHealth)}.{nameof(WorkloadHealth.RolloutRule)}"),
        new(Kinds.Job, Batch, KindFeed.Watched, WorkloadHealth.DecodeJob,
            $"{nameof(WorkloadHealth)}.{nameof(WorkloadHealth.DecodeJob)}", $"{nameof(WorkloadHealth)}.{nameof(WorkloadHealth.JobRule)}"),
        new(Kinds.Event, EventsApi, KindFeed.Watched, WorkloadHealth.DecodeEvent,
            $"{nameof(WorkloadHealth)}.{nameof(WorkloadHealth.DecodeEvent)}", $"{nameof(WorkloadHealth)}.{nameof(WorkloadHealth.EventRule)}"),

        new(Kinds.NodeMetrics, MetricsApi, KindFeed.Polled, NodeMetricsHealth.Decode,
            $"{nameof(NodeMetricsHealth)}.{nameof(NodeMetricsHealth.Decode)}", $"{nameof(NodeMetricsHealth)}.{nameof(NodeMetricsHealth.Decode)}"),

        new(Kinds.AuthentikOutpost, AuthentikApi, KindFeed.Authentik, null,
            $"{nameof(AuthentikDecoder)}.{nameof(AuthentikDecoder.DecodeOutpost)}", $"{nameof(AuthentikDecoder)}.{nameof(AuthentikDecoder.OutpostRule)}"),
        new(Kinds.AuthentikToken, AuthentikApi, KindFeed.Authentik, null,
            $"{nameof(AuthentikDecoder)}.{nameof(AuthentikDecoder.DecodeToken)}", $"{nameof(AuthentikDecoder)}.{nameof(AuthentikDecoder.TokenRule)}"),

        new(Kinds.ProbeTarget, ObservedV1, KindFeed.Observed, null,
            $"{nameof(ProbeHealth)}.{nameof(ProbeHealth.Snapshot)}", $"{nameof(ProbeHealth)}.{nameof(ProbeHealth.Rule)}"),
        new(Kinds.BgpSession, ObservedV1, KindFeed.Observed, null,
            $"{nameof(BgpSessionMetrics)}.{nameof(BgpSessionMetrics.Parse)}", $"{nameof(BgpSessionMetrics)}.{nameof(BgpSessionMetrics.Rule)}"),
        new(Kinds.TalosNode, ObservedV1, KindFeed.Observed, null,
            $"{nameof(TalosSnapshots)}.{nameof(TalosSnapshots.Node)}", $"{nameof(TalosRules)}.{nameof(TalosRules.Node)}"),
        new(Kinds.Etcd, ObservedV1, KindFeed.Observed, null,
            $"{nameof(TalosSnapshots)}.{nameof(TalosSnapshots.Etcd)}", $"{nameof(TalosRules)}.{nameof(TalosRules.Etcd)}"),
        new(Kinds.VolumeBackup, ObservedV1, KindFeed.Observed, null,
            $"{nameof(BackupPolicy)}.{nameof(BackupPolicy.Snapshots)}", $"{nameof(BackupPolicy)}.{nameof(BackupPolicy.Rule)}"),
    ];

    /// <summary>Kubernetes kinds that have one informer each.</summary>
    public static readonly IReadOnlyList<KindInfo> Watched = [.. Entries.Where(e => e.Feed == KindFeed.Watched).Select(e => e.Kind)];

    /// <summary>Kubernetes kinds whose API cannot be watched; one poller each.</summary>
    public static readonly IReadOnlyList<KindInfo> Polled = [.. Entries.Where(e => e.Feed == KindFeed.Polled).Select(e => e.Kind)];

    /// <summary>Every Kubernetes kind (watched or polled): what API discovery is asked about.</summary>
    public static readonly IReadOnlyList<KindInfo> Kubernetes = [.. Watched, .. Polled];

    /// <summary>Every kind: Kubernetes, Authentik, and what the dashboard observes itself.</summary>
    public static readonly IReadOnlyList<KindInfo> All =
        [.. Kubernetes, .. Entries.Where(e => e.Feed is KindFeed.Authentik or KindFeed.Observed).Select(e => e.Kind)];

    private static readonly Dictionary<string, KindEntry> ByKey = Entries.ToDictionary(e => e.Kind.Key, StringComparer.Ordinal);

    /// <summary>
    /// The decoders by (group, kind): the served version does not matter (see <see cref="KindInfo.Key"/>), and a lookup
    /// costs no allocation, unlike building <see cref="KindInfo.Key"/> strings on every call.
    /// </summary>
    internal static readonly Dictionary<(string Group, string Kind), KindDecoder> Decoders =
        Entries.Where(e => e.Decode is not null).ToDictionary(e => (e.Kind.Group, e.Kind.Kind), e => e.Decode!);

    /// <summary>The row of a kind (any served version), or null for a kind the dashboard does not read.</summary>
    public static KindEntry? Find(KindInfo kind) => ByKey.GetValueOrDefault(kind.Key);

    public static KindEntry? FindByKey(string key) => ByKey.GetValueOrDefault(key);
}
