using System.Text.Json.Nodes;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Seed;

/// <summary>
/// The workload layer of home-ops, healthy: one Deployment per HelmRelease (labelled by helm-controller as Flux does),
/// the Cilium agent DaemonSet on the three nodes, the 1Password Connect Deployment (applied by the
/// infrastructure-onepassword Kustomization) and the external Authentik proxy outpost (2 replicas), each with its pods.
/// Events start empty: the scenarios write the Warning events kubelet would.
/// </summary>
internal static class WorkloadSeed
{
    public static IEnumerable<JsonObject> Build(SeedClock clock)
    {
        foreach (var hr in FluxCatalogue.HelmReleases)
        {
            var labels = HelmLabels(hr.Namespace, hr.Name);
            var image = $"ghcr.io/home-ops/{hr.Chart.TrimStart('.', '/').Replace('/', '-')}:{hr.Version}";
            foreach (var o in Deployment(clock, hr.Namespace, hr.Name, image, labels, replicas: 1)) yield return o;
        }
        var cilium = KustomizeLabels("infrastructure-cilium");
        yield return DaemonSet(clock, "kube-system", "cilium", cilium, HomeOpsTopology.NodeNames.Count);
        foreach (var (node, i) in HomeOpsTopology.NodeNames.Select((n, i) => (n, i)))
            yield return Pod(clock, "kube-system", $"cilium-{SeedIds.Hex("cilium/" + node, 5)}", "cilium-agent", "quay.io/cilium/cilium:v1.17.6",
                new WorkloadOwner("DaemonSet", "cilium", null), node, Running());
        foreach (var o in Deployment(clock, "onepassword-connect", "onepassword-connect", "1password/connect-api:1.7.3",
                     KustomizeLabels("infrastructure-onepassword"), replicas: 1)) yield return o;
        foreach (var o in Deployment(clock, "authentik-proxy", "authentik-proxy", "ghcr.io/goauthentik/proxy:2025.12.4",
                     KustomizeLabels("infrastructure-authentik-proxy"), replicas: 2)) yield return o;
    }

    public static JsonObject HelmLabels(string ns, string name) => new()
    {
        ["app.kubernetes.io/managed-by"] = "Helm",
        ["helm.toolkit.fluxcd.io/name"] = name,
        ["helm.toolkit.fluxcd.io/namespace"] = ns,
    };

    public static JsonObject KustomizeLabels(string kustomization) => new()
    {
        ["kustomize.toolkit.fluxcd.io/name"] = kustomization,
        ["kustomize.toolkit.fluxcd.io/namespace"] = HomeOpsTopology.FluxNamespace,
    };

    /// <summary>The pod-template-hash of a Deployment's template: stable per image, as the real hash is per template.</summary>
    public static string TemplateHash(string ns, string name, string image) => SeedIds.Hex($"rs/{ns}/{name}/{image}", 9);

    public static IEnumerable<JsonObject> Deployment(SeedClock clock, string ns, string name, string image, JsonObject labels, int replicas)
    {
        yield return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = Meta(clock, ns, name, labels, generation: 1),
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app.kubernetes.io/name"] = name } },
                ["template"] = Template(name, image),
            },
            ["status"] = DeploymentStatus(replicas, ready: replicas, updated: replicas, unavailable: 0),
        };
        var hash = TemplateHash(ns, name, image);
        for (var i = 0; i < replicas; i++)
            yield return Pod(clock, ns, $"{name}-{hash}-{SeedIds.Hex($"pod/{ns}/{name}/{i}", 5)}", ContainerName(name), image,
                new WorkloadOwner("ReplicaSet", $"{name}-{hash}", hash), HomeOpsTopology.NodeNames[i % HomeOpsTopology.NodeNames.Count], Running());
    }

    public static string ContainerName(string workload) => workload.Length <= 40 ? workload : workload[..40];

    public static JsonObject DeploymentStatus(int replicas, int ready, int updated, int unavailable, JsonArray? conditions = null)
    {
        var status = new JsonObject
        {
            ["observedGeneration"] = 1,
            ["replicas"] = replicas + unavailable,
            ["readyReplicas"] = ready,
            ["updatedReplicas"] = updated,
            ["availableReplicas"] = ready,
        };
        if (unavailable > 0) status["unavailableReplicas"] = unavailable;
        status["conditions"] = conditions ?? new JsonArray(
            new JsonObject { ["type"] = "Available", ["status"] = "True", ["reason"] = "MinimumReplicasAvailable", ["message"] = "Deployment has minimum availability." },
            new JsonObject { ["type"] = "Progressing", ["status"] = "True", ["reason"] = "NewReplicaSetAvailable", ["message"] = "ReplicaSet has successfully progressed." });
        return status;
    }

    private static JsonObject DaemonSet(SeedClock clock, string ns, string name, JsonObject labels, int nodes) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "DaemonSet",
        ["metadata"] = Meta(clock, ns, name, labels, generation: 1),
        ["spec"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["k8s-app"] = name } },
            ["template"] = Template(name, "quay.io/cilium/cilium:v1.17.6"),
        },
        ["status"] = new JsonObject
        {
            ["observedGeneration"] = 1,
            ["currentNumberScheduled"] = nodes,
            ["desiredNumberScheduled"] = nodes,
            ["numberAvailable"] = nodes,
            ["numberMisscheduled"] = 0,
            ["numberReady"] = nodes,
            ["updatedNumberScheduled"] = nodes,
        },
    };

    private static JsonObject Template(string name, string image) => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app.kubernetes.io/name"] = name } },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = ContainerName(name), ["image"] = image }) },
    };

    private static JsonObject Meta(SeedClock clock, string ns, string name, JsonObject labels, long? generation)
    {
        var meta = new JsonObject
        {
            ["creationTimestamp"] = clock.Created(TimeSpan.FromMinutes(20)),
            ["labels"] = labels.DeepClone(),
            ["name"] = name,
            ["namespace"] = ns,
            ["uid"] = SeedIds.Uid($"workload/{ns}/{name}"),
        };
        if (generation is { } g) meta["generation"] = g;
        return meta;
    }

    /// <summary>Who owns a pod: its ReplicaSet (with the template hash), DaemonSet, StatefulSet or Job.</summary>
    public sealed record WorkloadOwner(string Kind, string Name, string? TemplateHash);

    /// <summary>A container state and readiness, as kubelet reports them.</summary>
    public sealed record ContainerStatus(bool Ready, JsonObject State, int Restarts = 0, JsonObject? LastTerminated = null);

    public static ContainerStatus Running() => new(true, new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2025-10-01T00:00:00Z" } });

    public static ContainerStatus Waiting(string reason, string message) =>
        new(false, new JsonObject { ["waiting"] = new JsonObject { ["reason"] = reason, ["message"] = message } });

    public static JsonObject Pod(SeedClock clock, string ns, string name, string container, string image, WorkloadOwner owner, string node,
        ContainerStatus state, DateTimeOffset? created = null)
    {
        var labels = new JsonObject { ["app.kubernetes.io/name"] = owner.Name };
        if (owner.TemplateHash is { } hash) labels["pod-template-hash"] = hash;
        var status = new JsonObject
        {
            ["phase"] = state.Ready || state.State.ContainsKey("running") ? "Running" : "Pending",
            ["hostIP"] = HomeOpsTopology.NodeIPv4(node),
            ["startTime"] = ObjectJson.Timestamp(created ?? clock.ClusterCreated + TimeSpan.FromMinutes(21)),
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "Ready", ["status"] = state.Ready ? "True" : "False" },
                new JsonObject { ["type"] = "PodScheduled", ["status"] = "True" }),
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = container,
                ["image"] = image,
                ["ready"] = state.Ready,
                ["restartCount"] = state.Restarts,
                ["started"] = state.Ready,
                ["state"] = state.State.DeepClone(),
                ["lastState"] = state.LastTerminated is { } last ? new JsonObject { ["terminated"] = last.DeepClone() } : new JsonObject(),
            }),
        };
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["creationTimestamp"] = ObjectJson.Timestamp(created ?? clock.ClusterCreated + TimeSpan.FromMinutes(21)),
                ["labels"] = labels,
                ["name"] = name,
                ["namespace"] = ns,
                ["uid"] = SeedIds.Uid($"pod/{ns}/{name}"),
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = owner.Kind == "Job" ? "batch/v1" : "apps/v1",
                    ["kind"] = owner.Kind,
                    ["name"] = owner.Name,
                    ["uid"] = SeedIds.Uid($"owner/{ns}/{owner.Kind}/{owner.Name}"),
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node,
                ["containers"] = new JsonArray(new JsonObject { ["name"] = container, ["image"] = image }),
            },
            ["status"] = status,
        };
    }
}
