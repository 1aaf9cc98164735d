using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Seed;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Scenarios;

/// <summary>
/// A chart upgrade brings an image that cannot be pulled: a Renovate bump moves HelmRelease headlamp/headlamp to chart
/// 0.40.1 (its spec, and a new failed release at the head of <c>status.history</c>: the revision change), its
/// Deployment rolls out a new pod that stays in ImagePullBackOff (the old pod keeps serving), the rollout passes its
/// progress deadline, helm-controller gives up with UpgradeFailed, and kubelet reports the Warning events
/// (<c>Failed</c>, <c>BackOff</c>) on the new pod, as <c>events.k8s.io/v1</c> Events. A Normal <c>Pulling</c> event is
/// written too: the dashboard must keep only the Warnings. Recovery rolls back: the pod and its events go away.
/// </summary>
internal sealed class ImagePullFailsScenario : IScenario
{
    public const string ReleaseNamespace = "headlamp";
    public const string Release = "headlamp";
    public const string BadVersion = "0.40.1";
    public const string BadImage = "ghcr.io/home-ops/headlamp:" + BadVersion;

    public string Name => "image-pull-fails";

    /// <summary>The pod that cannot pull its image (stable, so tests and screenshots can name it).</summary>
    public static string FailingPod => $"{Release}-{WorkloadSeed.TemplateHash(ReleaseNamespace, Release, BadImage)}-{SeedIds.Hex("pull/" + Release, 5)}";

    public bool IsApplicable(ScenarioContext context) =>
        context.Exists(Kinds.HelmRelease, ReleaseNamespace, Release) && context.Exists(Kinds.Deployment, ReleaseNamespace, Release);

    public IReadOnlyList<ObjectRef> Trigger(ScenarioContext context)
    {
        var now = context.Timestamp;
        var clock = new SeedClock(context.Now);
        var touched = new List<ObjectRef>();
        var hash = WorkloadSeed.TemplateHash(ReleaseNamespace, Release, BadImage);
        var container = WorkloadSeed.ContainerName(Release);

        var pod = WorkloadSeed.Pod(clock, ReleaseNamespace, FailingPod, container, BadImage,
            new WorkloadSeed.WorkloadOwner("ReplicaSet", $"{Release}-{hash}", hash), "mini02",
            WorkloadSeed.Waiting("ImagePullBackOff", $"Back-off pulling image \"{BadImage}\""), context.Now - TimeSpan.FromMinutes(11));
        if (!context.Exists(Kinds.Pod, ReleaseNamespace, FailingPod)) context.Cluster.Create(pod);
        touched.Add(new ObjectRef(Kinds.Pod, ReleaseNamespace, FailingPod));

        context.Cluster.Update(Kinds.Deployment, ReleaseNamespace, Release, d =>
        {
            d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = BadImage;
            d["status"] = WorkloadSeed.DeploymentStatus(1, ready: 1, updated: 1, unavailable: 1, new JsonArray(
                new JsonObject { ["type"] = "Available", ["status"] = "True", ["reason"] = "MinimumReplicasAvailable", ["message"] = "Deployment has minimum availability.", ["lastTransitionTime"] = now },
                new JsonObject
                {
                    ["type"] = "Progressing", ["status"] = "False", ["reason"] = "ProgressDeadlineExceeded",
                    ["message"] = $"ReplicaSet \"{Release}-{hash}\" has timed out progressing.", ["lastTransitionTime"] = now,
                }));
        });
        touched.Add(new ObjectRef(Kinds.Deployment, ReleaseNamespace, Release));

        var message = $"Helm upgrade failed for release {ReleaseNamespace}/{Release} with chart {Release}@{BadVersion}: context deadline exceeded";
        context.Cluster.Update(Kinds.HelmRelease, ReleaseNamespace, Release, release =>
        {
            // The revision change comes first, as in the real failure: a Renovate merge bumped the chart version in Git,
            // kustomize-controller applied it (a spec change: the store bumps generation, which helm-controller observed),
            // and helm-controller recorded the attempted upgrade as a new, failed release at the head of its history.
            if (release["spec"]!["chart"]!["spec"]!["version"]?.GetValue<string>() != BadVersion)
            {
                release["spec"]!["chart"]!["spec"]!["version"] = BadVersion;
                release["status"]!["observedGeneration"] = (release.Generation() ?? 1) + 1;
            }
            if (release["status"]!["history"] is JsonArray history && history.Count > 0 && history[0] is JsonObject deployed
                && deployed["chartVersion"]?.GetValue<string>() != BadVersion)
            {
                var failed = (JsonObject)deployed.DeepClone();
                failed["chartVersion"] = BadVersion;
                failed["status"] = "failed";
                failed["version"] = ReleaseVersion(deployed) + 1;
                failed["firstDeployed"] = now;
                failed["lastDeployed"] = now;
                history.Insert(0, failed);
            }
            Conditions.Set(release, "Ready", "False", "UpgradeFailed", message, now);
            Conditions.Set(release, "Released", "False", "UpgradeFailed", message, now);
            release["status"]!["lastAttemptedRevision"] = BadVersion;
            release["status"]!["failures"] = 1;
            release["status"]!["upgradeFailures"] = 1;
        });
        touched.Add(new ObjectRef(Kinds.HelmRelease, ReleaseNamespace, Release));

        foreach (var (reason, type, note, count) in Events())
        {
            var name = $"{FailingPod}.{SeedIds.Hex($"event/{reason}/{note}", 16)}";
            if (context.Exists(Kinds.Event, ReleaseNamespace, name)) continue;
            context.Cluster.Create(Event(name, reason, type, note, count, context.Now, container));
            touched.Add(new ObjectRef(Kinds.Event, ReleaseNamespace, name));
        }
        return touched;
    }

    private static IEnumerable<(string Reason, string Type, string Note, int Count)> Events() =>
    [
        ("Pulling", "Normal", $"Pulling image \"{BadImage}\"", 5),
        ("Failed", "Warning", $"Failed to pull image \"{BadImage}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{BadImage}\": failed to resolve reference \"{BadImage}\": {BadImage}: not found", 5),
        ("Failed", "Warning", "Error: ErrImagePull", 5),
        ("BackOff", "Warning", $"Back-off pulling image \"{BadImage}\"", 42),
        ("Failed", "Warning", "Error: ImagePullBackOff", 42),
    ];

    private static JsonObject Event(string name, string reason, string type, string note, int count, DateTimeOffset now, string container) => new()
    {
        ["apiVersion"] = "events.k8s.io/v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ReleaseNamespace, ["uid"] = SeedIds.Uid("event/" + name) },
        ["eventTime"] = null,
        ["reason"] = reason,
        ["type"] = type,
        ["note"] = note,
        ["action"] = reason == "BackOff" ? "BackOff" : "Pulling",
        ["reportingController"] = "kubelet",
        ["reportingInstance"] = "mini02",
        ["regarding"] = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["namespace"] = ReleaseNamespace,
            ["name"] = FailingPod,
            ["uid"] = SeedIds.Uid($"pod/{ReleaseNamespace}/{FailingPod}"),
            ["fieldPath"] = $"spec.containers{{{container}}}",
        },
        ["deprecatedSource"] = new JsonObject { ["component"] = "kubelet", ["host"] = "mini02" },
        ["deprecatedFirstTimestamp"] = ObjectJson.Timestamp(now - TimeSpan.FromMinutes(11)),
        ["deprecatedLastTimestamp"] = ObjectJson.Timestamp(now),
        ["deprecatedCount"] = count,
    };

    /// <summary>A history entry's Helm release number, however the number is held (parsed, int or long).</summary>
    private static long ReleaseVersion(JsonNode? entry) =>
        entry?["version"] is JsonValue v && long.TryParse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 1;

    public IReadOnlyList<ObjectRef> Recover(ScenarioContext context)
    {
        var now = context.Timestamp;
        var touched = new List<ObjectRef>();
        foreach (var e in context.Cluster.List(Kinds.Event, ReleaseNamespace).Items.Where(e => e["regarding"].String("name") == FailingPod).ToList())
        {
            context.Cluster.Delete(Kinds.Event, ReleaseNamespace, e.Name());
            touched.Add(new ObjectRef(Kinds.Event, ReleaseNamespace, e.Name()));
        }
        if (context.Exists(Kinds.Pod, ReleaseNamespace, FailingPod))
        {
            context.Cluster.Delete(Kinds.Pod, ReleaseNamespace, FailingPod);
            touched.Add(new ObjectRef(Kinds.Pod, ReleaseNamespace, FailingPod));
        }
        var spec = FluxCatalogue.HelmReleases.First(h => h.Namespace == ReleaseNamespace && h.Name == Release);
        context.Cluster.Update(Kinds.Deployment, ReleaseNamespace, Release, d =>
        {
            d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = $"ghcr.io/home-ops/{Release}:{spec.Version}";
            d["status"] = WorkloadSeed.DeploymentStatus(1, ready: 1, updated: 1, unavailable: 0);
        });
        touched.Add(new ObjectRef(Kinds.Deployment, ReleaseNamespace, Release));
        context.Cluster.Update(Kinds.HelmRelease, ReleaseNamespace, Release, release =>
        {
            var message = $"Helm rollback to previous release {ReleaseNamespace}/{Release} with chart {Release}@{spec.Version} succeeded";
            Conditions.Set(release, "Ready", "True", "RollbackSucceeded", message, now);
            Conditions.Set(release, "Released", "True", "RollbackSucceeded", message, now);
            release["status"]!["lastAttemptedRevision"] = spec.Version;
            // The bump is reverted in Git (the chart version goes back: a spec change, observed at once).
            if (release["spec"]!["chart"]!["spec"]!["version"]?.GetValue<string>() != spec.Version)
            {
                release["spec"]!["chart"]!["spec"]!["version"] = spec.Version;
                release["status"]!["observedGeneration"] = (release.Generation() ?? 1) + 1;
            }
            if (release["status"] is JsonObject status)
            {
                // The rollback is a new release of the previous chart at the head of the history (the Git bump stays).
                if (status["history"] is JsonArray history && history.Count > 1 && history[1] is JsonObject previous)
                {
                    var rolledBack = (JsonObject)previous.DeepClone();
                    rolledBack["version"] = ReleaseVersion(history[0]) + 1;
                    rolledBack["lastDeployed"] = now;
                    history.Insert(0, rolledBack);
                    while (history.Count > 5) history.RemoveAt(history.Count - 1);
                }
                status.Remove("failures");
                status.Remove("upgradeFailures");
            }
        });
        touched.Add(new ObjectRef(Kinds.HelmRelease, ReleaseNamespace, Release));
        return touched;
    }
}
