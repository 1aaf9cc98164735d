using HomeOps.Cluster.Model;
using static HomeOps.Cluster.Model.HealthStatus;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>
/// The expected verdict of every fixture, decided by reading each file against FIELDS.md (not by running the code).
/// A new fixture must be added here: <see cref="FixtureVerdictTests.EveryFixtureFileIsClassified"/> fails otherwise.
/// </summary>
internal static class FixtureVerdictTable
{
    /// <summary>"Now" for time-dependent rules: a minute after the synthetic outpost health samples.</summary>
    public static readonly DateTimeOffset Now = DateTimeOffset.Parse("2025-10-21T09:15:00Z");

    /// <param name="File">Path under tests/fixtures.</param>
    /// <param name="Item">metadata.name of the item in a List file; null for a single object.</param>
    /// <param name="HeldBack">Kept back for acceptance checks (SOURCES.md); checked when present, skipped when absent.</param>
    public sealed record ObjectRow(string File, string? Item, KindInfo Kind, HealthStatus Health, string Reason, bool HeldBack = false)
    {
        public string Id => Item is null ? File : $"{File}#{Item}";
    }

    public static readonly ObjectRow[] KubernetesObjects =
    [
        // talos-node — Ready found by type; Ready=Unknown is unreachable (Failed), not NotReady.
        new("talos-node/node-ready-talos-v1.7.2-dualstack-synth.json", null, Kinds.Node, Healthy, "KubeletReady"),
        new("talos-node/node-notready-runtime-down-talos-v1.9.0-synth.json", null, Kinds.Node, Failed, "KubeletNotReady"),
        new("talos-node/node-unreachable-status-unknown-talos-synth.json", null, Kinds.Node, Failed, "NodeStatusUnknown", HeldBack: true),

        // flux — suspend wins over Ready=True; Stalled → Failed; DependencyNotReady → Degraded (waiting).
        new("flux/kustomization-ready-docs.json", null, Kinds.Kustomization, Healthy, "ReconciliationSucceeded"),
        new("flux/kustomization-suspended-lastready-karmada.json", null, Kinds.Kustomization, Suspended, "Suspended"),
        new("flux/kustomization-artifactfailed-reconciling-docs.json", null, Kinds.Kustomization, Failed, "ArtifactFailed"),
        new("flux/kustomization-healthcheckfailed-synth.json", null, Kinds.Kustomization, Failed, "HealthCheckFailed"),
        new("flux/kustomization-buildfailed-synth.json", null, Kinds.Kustomization, Failed, "BuildFailed"),
        new("flux/kustomization-dependencynotready-status-fragment.json", null, Kinds.Kustomization, Degraded, "DependencyNotReady", HeldBack: true),
        new("flux/kustomization-reconciliationfailed-forbidden-fragment.json", null, Kinds.Kustomization, Failed, "ReconciliationFailed", HeldBack: true),
        new("flux/gitrepository-ready-docs.json", null, Kinds.GitRepository, Healthy, "Succeeded"),
        new("flux/gitrepository-ready-karmada.json", null, Kinds.GitRepository, Suspended, "Suspended"),
        new("flux/gitrepository-gitoperationfailed-docs.json", null, Kinds.GitRepository, Failed, "GitOperationFailed"),
        new("flux/gitrepository-list-failed-ready-unknown-flux2-testdata.json", "gr-failed", Kinds.GitRepository, Failed, "GitOperationFailed"),
        new("flux/gitrepository-list-failed-ready-unknown-flux2-testdata.json", "gr-ready", Kinds.GitRepository, Healthy, "GitOperationSucceed"),
        new("flux/gitrepository-list-failed-ready-unknown-flux2-testdata.json", "gr-unknown", Kinds.GitRepository, Progressing, "Progressing"),
        new("flux/helmrelease-ready-testsucceeded-docs.json", null, Kinds.HelmRelease, Healthy, "TestSucceeded"),
        new("flux/helmrelease-testfailed-stalled-docs.json", null, Kinds.HelmRelease, Failed, "RetriesExceeded"),
        // History only, no conditions: the rule says Unknown, even though history[0] is "deployed".
        new("flux/helmrelease-history-upgrade-docs.json", null, Kinds.HelmRelease, Unknown, "NoConditions"),
        new("flux/helmrelease-ready-flux2-trace-testdata.json", null, Kinds.HelmRelease, Healthy, "ReconciliationSucceeded"),
        new("flux/helmrelease-upgradefailed-v2beta1-fragment.json", null, Kinds.HelmRelease, Failed, "UpgradeFailed", HeldBack: true),

        // longhorn — detached+unknown is idle; faulted is Failed; float sizes parse.
        new("longhorn/volume-attached-healthy.json", null, Kinds.LonghornVolume, Healthy, "Attached"),
        new("longhorn/volume-attached-degraded-replicaschedulingfailure.json", null, Kinds.LonghornVolume, Degraded, "ReplicaSchedulingFailure", HeldBack: true),
        new("longhorn/volume-detached-faulted-with-lastbackup-synth.json", null, Kinds.LonghornVolume, Failed, "Faulted", HeldBack: true),
        new("longhorn/node-ready-schedulable.json", null, Kinds.LonghornNode, Healthy, "Ready"),
        new("longhorn/node-diskstatus-diskpressure-fragment.json", null, Kinds.LonghornNode, Degraded, "DiskPressure", HeldBack: true),
        new("longhorn/backup-completed-synth.json", null, Kinds.LonghornBackup, Healthy, "Completed"),
        new("longhorn/backup-error-synth.json", null, Kinds.LonghornBackup, Failed, "Error"),
        // backup target: status.available decides; unavailable carries Longhorn's Unavailable condition.
        new("longhorn/backuptarget-available-synth.json", null, Kinds.LonghornBackupTarget, Healthy, "Available"),
        new("longhorn/backuptarget-unavailable-synth.json", null, Kinds.LonghornBackupTarget, Failed, "Unavailable"),
        new("longhorn/recurringjob-weekly-backup-synth.json", null, Kinds.LonghornRecurringJob, Healthy, "Scheduled"),

        // cilium — configuration kinds without status are ConfigOnly; NodeConfig carries the sessions.
        new("cilium/bgppeeringpolicy-v2alpha1-docs.json", null, Kinds.BgpPeeringPolicy, Healthy, "ConfigOnly"),
        new("cilium/bgpnodeconfig-established-v2alpha1-docs.json", null, Kinds.BgpNodeConfig, Healthy, "Established"),
        new("cilium/bgpnodeconfig-established-v2-bfd-devbranch.json", null, Kinds.BgpNodeConfig, Healthy, "Established", HeldBack: true),
        new("cilium/bgpnodeconfig-peer-active-synth.json", null, Kinds.BgpNodeConfig, Failed, "SessionNotEstablished"),
        new("cilium/bgpclusterconfig-docs.json", null, Kinds.BgpClusterConfig, Healthy, "ConfigOnly"),
        new("cilium/bgpclusterconfig-homelab.json", null, Kinds.BgpClusterConfig, Healthy, "ConfigOnly"),
        // cilium.io/MissingAuthSecret=False AuthSecretValidated: negative polarity, so this is the healthy value.
        new("cilium/bgppeerconfig-status-authsecret-ok-devbranch.json", null, Kinds.BgpPeerConfig, Healthy, "Valid"),
        new("cilium/bgpadvertisement-podcidr-docs.json", null, Kinds.BgpAdvertisement, Healthy, "ConfigOnly"),
        new("cilium/bgpadvertisement-service-lbip-homelab.json", null, Kinds.BgpAdvertisement, Healthy, "ConfigOnly"),

        // cert-manager — the object's verdict is Ready (the radar judges the dates).
        new("cert-manager/certificate-ready-synth.json", null, Kinds.Certificate, Healthy, "Ready"),
        new("cert-manager/certificate-notready-synth.json", null, Kinds.Certificate, Failed, "DoesNotExist"),

        // workloads — a running pod whose container was OOMKilled before is Degraded; a Warning event is Degraded.
        new("workloads/pod-running-restarted-synth.json", null, Kinds.Pod, Degraded, "OOMKilled"),
        new("workloads/event-warning-imagepull-synth.json", null, Kinds.Event, Degraded, "Failed"),
    ];

    /// <summary>Files that hold no Kubernetes object of a kind we read, and why.</summary>
    public static readonly Dictionary<string, string> NotClassified = new(StringComparer.Ordinal)
    {
        ["talos-node/kubectl-get-nodes-wide-talos-clustertemplate1500.json"] = "CLI capture (kubectl get nodes -o wide text)",
        ["cilium/cli-cilium-bgp-peers-active-docs.json"] = "CLI capture",
        ["cilium/cli-cilium-bgp-peers-established-docs.json"] = "CLI capture",
        ["cilium/cli-cilium-bgp-routes-available-docs.json"] = "CLI capture",
        ["cilium/cli-cilium-dbg-bgp-peers-active-issue39861.json"] = "CLI capture (held back)",
        ["longhorn/backupvolume-rest-api-v1-fragment.json"] = "Longhorn REST API response, not a Kubernetes object",
        ["longhorn/backupvolume-synth.json"] = "UnreadKind: BackupVolume is not in Kinds (backup freshness comes from Volume.lastBackupAt)",
        ["authentik/core-users-me-synth.json"] = "Authentik REST: token validity probe, no health verdict",
        ["authentik/oidc-discovery-authentik-2026.5.json"] = "OIDC discovery document",
        ["authentik/oidc-idtoken-claims-kubelogin.json"] = "ID-token claims",
    };

    /// <summary>Outposts from the list file combined with each health response (the list file itself is covered here).</summary>
    public sealed record OutpostRow(string OutpostsFile, string OutpostName, string HealthFile, HealthStatus Health, string Reason, bool HeldBack = false)
    {
        public string Id => $"{OutpostsFile}#{OutpostName}+{HealthFile}";
    }

    public static readonly OutpostRow[] Outposts =
    [
        new("authentik/outposts-instances-list-synth.json", "ldap", "authentik/outpost-health-ok-synth.json", Healthy, "Connected"),
        new("authentik/outposts-instances-list-synth.json", "ldap", "authentik/outpost-health-outdated-synth.json", Degraded, "VersionOutdated"),
        new("authentik/outposts-instances-list-synth.json", "ldap", "authentik/outpost-health-empty-synth.json", Failed, "NoInstanceReporting", HeldBack: true),
        // Brief §10.10: the embedded outpost must carry no providers in home-ops (they moved to the external one).
        new("authentik/outposts-instances-list-synth.json", "authentik Embedded Outpost", "authentik/outpost-health-ok-synth.json", Degraded, "EmbeddedHasProviders"),
    ];

    public sealed record TokenRow(string File, string Identifier, HealthStatus Health, string Reason)
    {
        public string Id => $"{File}#{Identifier}";
    }

    public static readonly TokenRow[] Tokens =
    [
        // expires 2025-10-21T09:44:05Z, 29 minutes after Now.
        new("authentik/core-tokens-list-synth.json", "ops-dashboard", Degraded, "ExpiringSoon"),
        // expiring=false: expires is ignored.
        new("authentik/core-tokens-list-synth.json", "service-account-backup-password", Healthy, "NonExpiring"),
    ];

    /// <summary>Every file some table mentions.</summary>
    public static IEnumerable<string> ListedFiles =>
        KubernetesObjects.Select(r => r.File)
            .Concat(NotClassified.Keys)
            .Concat(Outposts.SelectMany(o => new[] { o.OutpostsFile, o.HealthFile }))
            .Concat(Tokens.Select(t => t.File))
            .Distinct(StringComparer.Ordinal);

    public static readonly HashSet<string> HeldBackFiles = new(
        KubernetesObjects.Where(r => r.HeldBack).Select(r => r.File)
            .Concat(Outposts.Where(o => o.HeldBack).Select(o => o.HealthFile))
            .Append("cilium/cli-cilium-dbg-bgp-peers-active-issue39861.json"),
        StringComparer.Ordinal);
}
