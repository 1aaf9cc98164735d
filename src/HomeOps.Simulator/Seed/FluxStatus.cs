using System.Text.Json.Nodes;
using static HomeOps.Simulator.Seed.SeedConditions;

namespace HomeOps.Simulator.Seed;

/// <summary>
/// The status blocks Flux controllers write, for the seed and for the scenarios that break and heal them
/// (messages as kustomize-controller and helm-controller word them).
/// </summary>
public static class FluxStatus
{
    public static JsonObject KustomizationReady(string transition, long generation) => new()
    {
        ["conditions"] = new JsonArray(
            Condition("Ready", "True", "ReconciliationSucceeded", $"Applied revision: {FluxCatalogue.Revision}", transition, generation),
            Condition("Healthy", "True", "Succeeded", "Health check passed in 2.141s", transition, generation)),
        ["inventory"] = new JsonObject { ["entries"] = new JsonArray() },
        ["lastAppliedRevision"] = FluxCatalogue.Revision,
        ["lastAttemptedRevision"] = FluxCatalogue.Revision,
        ["observedGeneration"] = generation,
    };

    /// <summary>The Kustomization waits for a dependency: Ready=False DependencyNotReady, last applied revision kept.</summary>
    public static JsonObject KustomizationWaiting(string dependency, string transition, long generation) => new()
    {
        ["conditions"] = new JsonArray(
            Condition("Ready", "False", "DependencyNotReady", $"dependency '{HomeOpsTopology.FluxNamespace}/{dependency}' is not ready", transition, generation),
            Condition("Healthy", "True", "Succeeded", "Health check passed in 2.141s", transition, generation)),
        ["inventory"] = new JsonObject { ["entries"] = new JsonArray() },
        ["lastAppliedRevision"] = FluxCatalogue.Revision,
        ["lastAttemptedRevision"] = FluxCatalogue.Revision,
        ["observedGeneration"] = generation,
    };

    /// <summary>A health check of the Kustomization failed (with <c>wait: true</c> every applied object is checked).</summary>
    public static JsonObject KustomizationHealthCheckFailed(string failing, string timeout, string transition, long generation)
    {
        var message = $"health check failed after {timeout}: timeout waiting for: [{failing} status: 'Failed']";
        return new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("Ready", "False", "HealthCheckFailed", message, transition, generation),
                Condition("Healthy", "False", "HealthCheckFailed", message, transition, generation)),
            ["inventory"] = new JsonObject { ["entries"] = new JsonArray() },
            ["lastAppliedRevision"] = FluxCatalogue.Revision,
            ["lastAttemptedRevision"] = FluxCatalogue.Revision,
            ["observedGeneration"] = generation,
        };
    }

    public static JsonObject HelmReleaseReady(HelmReleaseSpec spec, int releaseVersion, string deployed, string firstDeployed, long generation)
    {
        var release = $"{spec.Namespace}/{spec.Name}.v{releaseVersion}";
        var chartName = spec.Chart.StartsWith("./", StringComparison.Ordinal) ? spec.Chart.Split('/')[^1] : spec.Chart;
        var message = $"Helm upgrade succeeded for release {release} with chart {chartName}@{spec.Version}";
        return new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("Ready", "True", "UpgradeSucceeded", message, deployed, generation),
                Condition("Released", "True", "UpgradeSucceeded", message, deployed, generation)),
            ["helmChart"] = $"flux-system/{spec.Namespace}-{spec.Name}",
            ["history"] = new JsonArray(new JsonObject
            {
                ["chartName"] = chartName,
                ["chartVersion"] = spec.Version.TrimStart('v'),
                ["configDigest"] = "sha256:" + SeedIds.Hex($"config/{release}", 64),
                ["digest"] = "sha256:" + SeedIds.Hex($"release/{release}", 64),
                ["firstDeployed"] = firstDeployed,
                ["lastDeployed"] = deployed,
                ["name"] = spec.Name,
                ["namespace"] = spec.Namespace,
                ["status"] = "deployed",
                ["version"] = releaseVersion,
            }),
            ["lastAttemptedConfigDigest"] = "sha256:" + SeedIds.Hex($"config/{release}", 64),
            ["lastAttemptedGeneration"] = generation,
            ["lastAttemptedReleaseAction"] = "upgrade",
            ["lastAttemptedRevision"] = spec.Version.TrimStart('v'),
            ["observedGeneration"] = generation,
            ["storageNamespace"] = spec.Namespace,
        };
    }
}
