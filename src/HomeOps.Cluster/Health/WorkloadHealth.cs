using System.Collections.Immutable;
using System.Text.Json;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Health;

/// <summary>
/// Decoders and rules of the workload layer: Pods, Deployments/DaemonSets/StatefulSets, Jobs and Warning Events.
/// Bounded on purpose: pods and events keep no labels, annotations, conditions or raw status (a few hundred pods, and
/// far more in the benchmarks' large shape); workloads keep their labels only as the resolved <see cref="FluxOwner"/>.
/// </summary>
public static class WorkloadHealth
{
    public const string HelmNameLabel = "helm.toolkit.fluxcd.io/name";
    public const string HelmNamespaceLabel = "helm.toolkit.fluxcd.io/namespace";
    public const string KustomizeNameLabel = "kustomize.toolkit.fluxcd.io/name";
    public const string KustomizeNamespaceLabel = "kustomize.toolkit.fluxcd.io/namespace";

    public const string WarningType = "Warning";

    /// <summary>Waiting reasons that mean the container will not start without a change.</summary>
    private static readonly HashSet<string> FailingWaitReasons =
    [
        "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError",
        "CreateContainerError", "RunContainerError",
    ];

    /// <summary>Only Warning events are kept; Normal ones are most of the volume and explain nothing red.</summary>
    public static bool IsWarningEvent(JsonElement obj) =>
        obj.ValueKind == JsonValueKind.Object && obj.Prop("type").Str() == WarningType;

    /// <summary>Bounds free text from the cluster (messages, notes) kept per object.</summary>
    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max] + "…";

    private static ObjectMeta Slim(ObjectMeta meta) =>
        meta with { Labels = ObjectMeta.NoLabels, Annotations = ObjectMeta.NoLabels };

    public static ResourceSnapshot DecodePod(KindInfo kind, JsonElement obj)
    {
        var full = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        // Pod conditions are not kept (the container states say more), but a wrongly shaped list is still Malformed.
        _ = status.ArrayAt("conditions", "status.conditions");
        var containers = ImmutableArray.CreateBuilder<ContainerState>();
        foreach (var c in status.Prop("initContainerStatuses").Items()) containers.Add(Container(c, init: true));
        foreach (var c in status.Prop("containerStatuses").Items()) containers.Add(Container(c, init: false));
        // A pod not yet started reports no container statuses: list its containers from the spec so logs can be asked for.
        if (containers.Count == 0)
            foreach (var c in spec.Prop("containers").Items())
                containers.Add(new ContainerState(c.Str("name"), false, 0, "waiting", "", "", "", null));
        var details = new PodDetails(
            Phase: status.Prop("phase").Str("Unknown"),
            NodeName: spec.Prop("nodeName").Str(""),
            Workload: OwnerWorkload(obj, full),
            Containers: containers.ToImmutable(),
            Reason: status.Prop("reason").Str(""),
            Message: Clip(status.Prop("message").Str(""), 500));
        return new ResourceSnapshot(kind, Slim(full), details, PodRule(details), [], "");
    }

    private static ContainerState Container(JsonElement c, bool init)
    {
        var state = c.Prop("state");
        var (name, s) = state.Props().Select(p => (p.Name, (JsonElement?)p.Value)).FirstOrDefault();
        var last = c.At("lastState", "terminated");
        return new ContainerState(
            Name: c.Str("name"),
            Ready: c.Bool("ready"),
            Restarts: (int)Math.Clamp(c.Long("restartCount"), 0, int.MaxValue),
            State: name ?? "",
            Reason: s.Prop("reason").Str(""),
            Message: Clip(s.Prop("message").Str(""), 500),
            LastTerminationReason: last.Prop("reason").Str(""),
            LastExitCode: last.Prop("exitCode").Long() is { } code ? (int)code : null,
            Init: init);
    }

    /// <summary>
    /// The workload that owns a pod: a ReplicaSet owner is its Deployment (the name without the <c>pod-template-hash</c>
    /// suffix, so ReplicaSets need no watch of their own); DaemonSet, StatefulSet and Job owners are themselves.
    /// </summary>
    private static WorkloadRef? OwnerWorkload(JsonElement obj, ObjectMeta meta)
    {
        foreach (var o in obj.At("metadata", "ownerReferences").Items())
        {
            var kind = o.Str("kind");
            var name = o.Str("name");
            if (name.Length == 0) continue;
            switch (kind)
            {
                case "ReplicaSet":
                    var hash = meta.Labels.GetValueOrDefault("pod-template-hash");
                    if (hash is { Length: > 0 } && name.EndsWith("-" + hash, StringComparison.Ordinal))
                        return new WorkloadRef("Deployment", name[..^(hash.Length + 1)]);
                    return new WorkloadRef("ReplicaSet", name);
                case "DaemonSet" or "StatefulSet" or "Job":
                    return new WorkloadRef(kind, name);
            }
        }
        return null;
    }

    /// <summary>
    /// Evicted (status.reason) → Failed. Succeeded → Healthy "Completed". Failed → Failed. A container waiting for a
    /// reason that does not heal by itself (CrashLoopBackOff, ImagePullBackOff, ErrImagePull, …) → Failed with that reason
    /// and its last termination reason (OOMKilled). Pending or Running with unready containers → Progressing. Running and
    /// ready → Healthy, Degraded "Restarted" when its last termination was OOMKilled.
    /// </summary>
    public static Verdict PodRule(PodDetails p)
    {
        if (p.Reason == "Evicted")
            return new Verdict(HealthStatus.Failed, "Evicted", p.Message.Length > 0 ? p.Message : "the pod was evicted");
        if (p.Phase == "Succeeded") return new Verdict(HealthStatus.Healthy, "Completed", "all containers exited successfully");
        foreach (var c in p.Containers)
        {
            if (c.State == "waiting" && FailingWaitReasons.Contains(c.Reason))
            {
                var last = c.LastTerminationReason.Length > 0 ? $" (last terminated: {c.LastTerminationReason}{ExitCode(c)})" : "";
                var message = c.Message.Length > 0 ? $": {c.Message}" : "";
                return new Verdict(HealthStatus.Failed, c.Reason, $"container {c.Name} {c.Reason}{last}, {c.Restarts} restarts{message}");
            }
        }
        if (p.Phase == "Failed")
            return new Verdict(HealthStatus.Failed, p.Reason.Length > 0 ? p.Reason : "PodFailed", p.Message.Length > 0 ? p.Message : "the pod failed");
        if (p.Phase == "Pending")
        {
            var waiting = p.Containers.FirstOrDefault(c => c.Reason.Length > 0);
            return new Verdict(HealthStatus.Progressing, waiting?.Reason ?? "Pending", waiting?.Message is { Length: > 0 } m ? m : "the pod is not running yet");
        }
        if (p.Phase == "Running")
        {
            if (p.ReadyContainers < p.AppContainers)
                return new Verdict(HealthStatus.Progressing, "NotReady", $"{p.ReadyContainers}/{p.AppContainers} containers ready");
            if (p.Containers.FirstOrDefault(c => !c.Init && c.LastTerminationReason == "OOMKilled") is { } oom)
                return new Verdict(HealthStatus.Degraded, "OOMKilled", $"container {oom.Name} was OOMKilled before; {oom.Restarts} restarts");
            return new Verdict(HealthStatus.Healthy, "Running", $"{p.ReadyContainers}/{p.AppContainers} containers ready, {p.Restarts} restarts");
        }
        return Verdict.Unknown(p.Phase.Length > 0 ? p.Phase : "Unknown", "the pod's phase is unknown");
    }

    private static string ExitCode(ContainerState c) => c.LastExitCode is { } code ? $", exit code {code}" : "";

    /// <summary>Deployments, DaemonSets and StatefulSets: their replica counts as each kind reports them.</summary>
    public static ResourceSnapshot DecodeWorkload(KindInfo kind, JsonElement obj)
    {
        var full = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        var conditions = ObjectParts.Conditions(status);
        int N(JsonElement? el, string name, long fallback = 0) => (int)Math.Clamp(el.Prop(name).Long() ?? fallback, 0, int.MaxValue);
        var details = kind.Kind == Kinds.DaemonSet.Kind
            ? new WorkloadDetails(N(status, "desiredNumberScheduled"), N(status, "numberReady"), N(status, "updatedNumberScheduled"),
                N(status, "numberAvailable"), N(status, "numberUnavailable"), Observed(full, status), FluxOwnerOf(full))
            : new WorkloadDetails(N(spec, "replicas", 1), N(status, "readyReplicas"), N(status, "updatedReplicas"),
                N(status, "availableReplicas"), N(status, "unavailableReplicas"), Observed(full, status), FluxOwnerOf(full));
        return new ResourceSnapshot(kind, Slim(full), details, RolloutRule(details, conditions), conditions, "");
    }

    private static bool Observed(ObjectMeta meta, JsonElement? status) =>
        (status.Prop("observedGeneration").Long() ?? 0) >= meta.Generation;

    /// <summary>
    /// Progressing condition ProgressDeadlineExceeded → Failed. Scaled to zero → Healthy. Generation not yet observed,
    /// replicas still being updated, or a new pod not yet available (the old one still serving) → Progressing "RollingOut". No ready replica → Failed "NoReplicasReady". Fewer ready
    /// than desired → Degraded. Otherwise Healthy.
    /// </summary>
    public static Verdict RolloutRule(WorkloadDetails w, ImmutableArray<Condition> conditions)
    {
        if (conditions.Find("Progressing") is { IsFalse: true, Reason: "ProgressDeadlineExceeded" } stuck)
            return new Verdict(HealthStatus.Failed, stuck.Reason, stuck.Message, stuck.LastTransitionTime);
        if (w.Desired == 0) return new Verdict(HealthStatus.Healthy, "ScaledToZero", "0 replicas desired");
        if (w.Ready >= w.Desired && w.Updated >= w.Desired && w.Unavailable == 0 && w.GenerationObserved)
            return new Verdict(HealthStatus.Healthy, "Available", $"{w.Ready}/{w.Desired} ready");
        if (w.Ready == 0) return new Verdict(HealthStatus.Failed, "NoReplicasReady", $"0/{w.Desired} ready, {w.Updated} updated");
        if (!w.GenerationObserved || w.Updated < w.Desired || w.Unavailable > 0)
            return new Verdict(HealthStatus.Progressing, "RollingOut", $"{w.Ready}/{w.Desired} ready, {w.Updated}/{w.Desired} updated");
        return new Verdict(HealthStatus.Degraded, "ReplicasNotReady", $"{w.Ready}/{w.Desired} ready");
    }

    public static ResourceSnapshot DecodeJob(KindInfo kind, JsonElement obj)
    {
        var full = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        var conditions = ObjectParts.Conditions(status);
        var cronJob = obj.At("metadata", "ownerReferences").Items()
            .Where(o => o.Str("kind") == "CronJob" && o.Str("name").Length > 0).Select(o => o.Str("name")).FirstOrDefault();
        // A CronJob's Jobs carry its jobTemplate's labels, never the Flux labels of the CronJob itself; a chart's
        // template labels (managed-by Helm, instance = the release) name the HelmRelease in the same namespace.
        var flux = FluxOwnerOf(full) ?? (cronJob is null ? null : HelmTemplateOwnerOf(full));
        var details = new JobDetails((int)(status.Prop("active").Long() ?? 0), (int)(status.Prop("succeeded").Long() ?? 0),
            (int)(status.Prop("failed").Long() ?? 0), spec.Prop("completions").Long() is { } c ? (int)c : null, flux)
        {
            CronJob = cronJob,
        };
        return new ResourceSnapshot(kind, Slim(full), details, JobRule(details, conditions), conditions, "");
    }

    /// <summary>Failed condition True → Failed; Complete → Healthy; running → Progressing.</summary>
    public static Verdict JobRule(JobDetails j, ImmutableArray<Condition> conditions)
    {
        if (conditions.Find("Failed") is { IsTrue: true } failed)
            return new Verdict(HealthStatus.Failed, failed.Reason.Length > 0 ? failed.Reason : "JobFailed", failed.Message, failed.LastTransitionTime);
        if (conditions.Find("Complete") is { IsTrue: true } done)
            return new Verdict(HealthStatus.Healthy, "Complete", $"{j.Succeeded} succeeded", done.LastTransitionTime);
        return new Verdict(HealthStatus.Progressing, "Running", $"{j.Active} active, {j.Succeeded} succeeded, {j.Failed} failed");
    }

    public static ResourceSnapshot DecodeEvent(KindInfo kind, JsonElement obj)
    {
        var meta = Slim(ObjectParts.Meta(obj));
        // Events have no status; one that is there must still be an object, as for every kind.
        var status = ObjectParts.Status(obj);
        _ = status.ArrayAt("conditions", "status.conditions");
        var regarding = obj.Prop("regarding");
        var count = obj.At("series", "count").Long() ?? obj.Prop("deprecatedCount").Long() ?? 1;
        var lastSeen = obj.At("series", "lastObservedTime").Time() ?? obj.Prop("eventTime").Time()
            ?? obj.Prop("deprecatedLastTimestamp").Time() ?? meta.CreatedAt;
        var details = new EventDetails(
            Type: obj.Prop("type").Str(""),
            Reason: obj.Prop("reason").Str(""),
            Note: Clip(obj.Prop("note").Str(""), 1000),
            RegardingKind: regarding.Prop("kind").Str(""),
            RegardingNamespace: ObjectParts.NullIfEmpty(regarding.Prop("namespace").Str()),
            RegardingName: regarding.Prop("name").Str(""),
            RegardingUid: regarding.Prop("uid").Str(""),
            Count: (int)Math.Clamp(count, 1, int.MaxValue),
            LastSeen: lastSeen,
            Controller: obj.Prop("reportingController").Str(""));
        return new ResourceSnapshot(kind, meta, details, EventRule(details), [], "");
    }

    /// <summary>A Warning event is Degraded with its reason and note; any other type (not kept by informers) is Healthy.</summary>
    public static Verdict EventRule(EventDetails e)
    {
        var reason = e.Reason.Length > 0 ? e.Reason : "Event";
        return e.Type == WarningType
            ? new Verdict(HealthStatus.Degraded, reason, e.Note, e.LastSeen)
            : new Verdict(HealthStatus.Healthy, reason, e.Note, e.LastSeen);
    }

    /// <summary>
    /// A HelmRelease named by Helm's own template labels (<c>app.kubernetes.io/managed-by: Helm</c> and
    /// <c>app.kubernetes.io/instance</c>), assumed in the object's namespace with the release's name (Flux's default
    /// release name; a HelmRelease with another <c>releaseName</c> or a target namespace is not found this way).
    /// </summary>
    public static FluxOwner? HelmTemplateOwnerOf(ObjectMeta meta) =>
        meta.Labels.GetValueOrDefault("app.kubernetes.io/managed-by") == "Helm"
        && meta.Labels.GetValueOrDefault("app.kubernetes.io/instance") is { Length: > 0 } release && meta.Namespace is { Length: > 0 } ns
            ? new FluxOwner(FluxOwner.HelmReleaseKind, ns, release)
            : null;

    /// <summary>The Flux object that applied an object: helm-controller's labels first, then kustomize-controller's.</summary>
    public static FluxOwner? FluxOwnerOf(ObjectMeta meta)
    {
        if (meta.Labels.GetValueOrDefault(HelmNameLabel) is { Length: > 0 } release)
            return new FluxOwner(FluxOwner.HelmReleaseKind, meta.Labels.GetValueOrDefault(HelmNamespaceLabel) ?? meta.Namespace ?? "", release);
        if (meta.Labels.GetValueOrDefault(KustomizeNameLabel) is { Length: > 0 } ks)
            return new FluxOwner(FluxOwner.KustomizationKind, meta.Labels.GetValueOrDefault(KustomizeNamespaceLabel) ?? "", ks);
        return null;
    }
}
