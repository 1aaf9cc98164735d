using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Operations.Tests.Timeline;

/// <summary>Objects as the API serves them, decoded by the dashboard's own decoders and rules (the verdicts are theirs).</summary>
internal static class TimelineObjects
{
    public const string RepoUrl = "ssh://git@github.com/onedr0p/home-ops.git";

    public static ResourceSnapshot Node(string name, string ready, string bootId, string talos = "v1.9.1", string kubelet = "v1.32.0") =>
        Decode(Kinds.Node, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["uid"] = "uid-" + name, ["resourceVersion"] = "1",
                ["labels"] = new JsonObject { ["node-role.kubernetes.io/control-plane"] = "" } },
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready, ["reason"] = ready == "True" ? "KubeletReady" : "KubeletNotReady" }),
                ["nodeInfo"] = new JsonObject { ["osImage"] = $"Talos ({talos})", ["bootID"] = bootId, ["kubeletVersion"] = kubelet },
            },
        });

    public static ResourceSnapshot GitRepository(string revision, string url = RepoUrl) =>
        Decode(Kinds.GitRepository, new JsonObject
        {
            ["apiVersion"] = "source.toolkit.fluxcd.io/v1", ["kind"] = "GitRepository",
            ["metadata"] = new JsonObject { ["name"] = "flux-system", ["namespace"] = "flux-system", ["uid"] = "uid-git", ["generation"] = 1 },
            ["spec"] = new JsonObject { ["url"] = url },
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = 1,
                ["artifact"] = new JsonObject { ["revision"] = revision },
                ["conditions"] = Ready("True", "Succeeded"),
            },
        });

    public static ResourceSnapshot Kustomization(string name, string ready, string revision, string reason = "ReconciliationSucceeded") =>
        Decode(Kinds.Kustomization, new JsonObject
        {
            ["apiVersion"] = "kustomize.toolkit.fluxcd.io/v1", ["kind"] = "Kustomization",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system", ["uid"] = "uid-ks-" + name, ["generation"] = 1 },
            ["spec"] = new JsonObject { ["sourceRef"] = new JsonObject { ["kind"] = "GitRepository", ["name"] = "flux-system" }, ["path"] = "./kubernetes/apps" },
            ["status"] = new JsonObject { ["observedGeneration"] = 1, ["lastAppliedRevision"] = revision, ["conditions"] = Ready(ready, reason) },
        });

    public static ResourceSnapshot HelmRelease(string name, string chartVersion, string appVersion, string ready = "True") =>
        Decode(Kinds.HelmRelease, new JsonObject
        {
            ["apiVersion"] = "helm.toolkit.fluxcd.io/v2", ["kind"] = "HelmRelease",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["uid"] = "uid-hr-" + name, ["generation"] = 1 },
            ["spec"] = new JsonObject { ["chart"] = new JsonObject { ["spec"] = new JsonObject { ["chart"] = name } } },
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = 1,
                ["history"] = new JsonArray(new JsonObject { ["chartName"] = name, ["chartVersion"] = chartVersion, ["appVersion"] = appVersion, ["status"] = "deployed" }),
                ["conditions"] = Ready(ready, ready == "True" ? "UpgradeSucceeded" : "UpgradeFailed"),
            },
        });

    public static ResourceSnapshot WarningEvent(string uid, string podName, int count, DateTimeOffset lastSeen, string reason = "BackOff") =>
        Decode(Kinds.Event, new JsonObject
        {
            ["apiVersion"] = "events.k8s.io/v1", ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = uid, ["namespace"] = "headlamp", ["uid"] = uid },
            ["type"] = "Warning", ["reason"] = reason, ["note"] = "Back-off pulling image \"ghcr.io/headlamp-k8s/headlamp:v0.0.0-missing\"",
            ["reportingController"] = "kubelet",
            ["regarding"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = "headlamp", ["name"] = podName, ["uid"] = "pod-" + podName },
            ["series"] = new JsonObject { ["count"] = count, ["lastObservedTime"] = lastSeen.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'") },
        });

    /// <summary>A pod of Deployment headlamp/headlamp (through ReplicaSet headlamp-5d8f), running or waiting for a reason.</summary>
    public static ResourceSnapshot DeploymentPod(string name, string? waiting = null) =>
        Decode(Kinds.Pod, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name, ["namespace"] = "headlamp", ["uid"] = "pod-" + name, ["labels"] = new JsonObject { ["pod-template-hash"] = "5d8f" },
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = "headlamp-5d8f", ["uid"] = "rs", ["controller"] = true }),
            },
            ["spec"] = new JsonObject { ["nodeName"] = "mini01", ["containers"] = new JsonArray(new JsonObject { ["name"] = "headlamp", ["image"] = "headlamp" }) },
            ["status"] = new JsonObject
            {
                ["phase"] = waiting is null ? "Running" : "Pending",
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = "headlamp", ["ready"] = waiting is null, ["restartCount"] = 0,
                    ["state"] = waiting is null ? new JsonObject { ["running"] = new JsonObject() }
                        : new JsonObject { ["waiting"] = new JsonObject { ["reason"] = waiting, ["message"] = "Back-off pulling image" } },
                }),
            },
        });

    private static JsonArray Ready(string status, string reason) =>
        new(new JsonObject { ["type"] = "Ready", ["status"] = status, ["reason"] = reason, ["message"] = reason, ["observedGeneration"] = 1 });

    private static ResourceSnapshot Decode(KindInfo kind, JsonObject obj)
    {
        using var doc = JsonDocument.Parse(obj.ToJsonString());
        return ResourceDecoder.Decode(kind, doc.RootElement, DateTimeOffset.UtcNow);
    }
}
