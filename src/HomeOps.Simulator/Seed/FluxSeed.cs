using System.Text.Json.Nodes;
using static HomeOps.Simulator.Seed.SeedConditions;

namespace HomeOps.Simulator.Seed;

/// <summary>GitRepository, Kustomizations and HelmReleases of the home-ops repository, all reconciled and Ready.</summary>
internal static class FluxSeed
{
    public const string KustomizeApiVersion = "kustomize.toolkit.fluxcd.io/v1";
    public const string HelmApiVersion = "helm.toolkit.fluxcd.io/v2";
    public const string SourceApiVersion = "source.toolkit.fluxcd.io/v1";

    public static IEnumerable<JsonObject> Build(SeedClock clock)
    {
        yield return GitRepository(clock);
        var position = 0;
        foreach (var spec in FluxCatalogue.Kustomizations) yield return Kustomization(clock, spec, position++);
        position = 0;
        foreach (var spec in FluxCatalogue.HelmReleases) yield return HelmRelease(clock, spec, position++);
    }

    private static JsonObject GitRepository(SeedClock clock)
    {
        var fetched = clock.Ago(TimeSpan.FromSeconds(38));
        var revision = FluxCatalogue.Revision;
        var sha = revision[(revision.IndexOf(':') + 1)..];
        return new JsonObject
        {
            ["apiVersion"] = SourceApiVersion,
            ["kind"] = "GitRepository",
            ["metadata"] = Metadata(clock, FluxCatalogue.RootName, HomeOpsTopology.FluxNamespace, generation: 1,
                new JsonObject { ["kustomize.toolkit.fluxcd.io/name"] = "flux-system", ["kustomize.toolkit.fluxcd.io/namespace"] = "flux-system" }),
            ["spec"] = new JsonObject
            {
                ["interval"] = "1m0s",
                ["ref"] = new JsonObject { ["branch"] = "main" },
                ["secretRef"] = new JsonObject { ["name"] = "flux-system" },
                ["timeout"] = "60s",
                ["url"] = "https://github.com/geoffdavis/talos-gitops",
            },
            ["status"] = new JsonObject
            {
                ["artifact"] = new JsonObject
                {
                    ["digest"] = "sha256:" + SeedIds.Hex("artifact/" + revision, 64),
                    ["lastUpdateTime"] = clock.Ago(TimeSpan.FromHours(20)),
                    ["path"] = $"gitrepository/flux-system/flux-system/{sha}.tar.gz",
                    ["revision"] = revision,
                    ["size"] = 1_184_517,
                    ["url"] = $"http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/flux-system/{sha}.tar.gz",
                },
                ["conditions"] = new JsonArray(
                    Condition("Ready", "True", "Succeeded", $"stored artifact for revision '{revision}'", fetched, 1),
                    Condition("ArtifactInStorage", "True", "Succeeded", $"stored artifact for revision '{revision}'", fetched, 1)),
                ["observedGeneration"] = 1,
            },
        };
    }

    private static JsonObject Kustomization(SeedClock clock, KustomizationSpec spec, int position)
    {
        var dependsOn = new JsonArray();
        foreach (var dependency in spec.DependsOn) dependsOn.Add(new JsonObject { ["name"] = dependency });
        var specNode = new JsonObject
        {
            ["interval"] = spec.Interval,
            ["path"] = spec.Path,
            ["prune"] = true,
            ["retryInterval"] = spec.RetryInterval,
            ["sourceRef"] = new JsonObject { ["kind"] = "GitRepository", ["name"] = FluxCatalogue.RootName },
            ["timeout"] = spec.Timeout,
            ["wait"] = true,
        };
        if (spec.DependsOn.Count > 0) specNode["dependsOn"] = dependsOn;
        var labels = spec.Name == FluxCatalogue.RootName
            ? null
            : new JsonObject { ["kustomize.toolkit.fluxcd.io/name"] = "flux-system", ["kustomize.toolkit.fluxcd.io/namespace"] = "flux-system" };
        const long generation = 1;
        return new JsonObject
        {
            ["apiVersion"] = KustomizeApiVersion,
            ["kind"] = "Kustomization",
            ["metadata"] = Metadata(clock, spec.Name, HomeOpsTopology.FluxNamespace, generation, labels),
            ["spec"] = specNode,
            ["status"] = FluxStatus.KustomizationReady(clock.Ago(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(17 * position)), generation),
        };
    }

    private static JsonObject HelmRelease(SeedClock clock, HelmReleaseSpec spec, int position)
    {
        const long generation = 1;
        var chartSpec = new JsonObject
        {
            ["chart"] = spec.Chart,
            ["reconcileStrategy"] = spec.SourceKind == "GitRepository" ? "Revision" : "ChartVersion",
            ["sourceRef"] = new JsonObject { ["kind"] = spec.SourceKind, ["name"] = spec.SourceName, ["namespace"] = "flux-system" },
        };
        if (spec.SourceKind == "HelmRepository") chartSpec["version"] = spec.Version;
        var specNode = new JsonObject
        {
            ["chart"] = new JsonObject { ["spec"] = chartSpec },
            ["interval"] = spec.Interval,
            ["releaseName"] = spec.Name,
        };
        if (spec.Timeout is { } timeout) specNode["timeout"] = timeout;
        if (spec.Retries > 0)
        {
            specNode["install"] = new JsonObject { ["remediation"] = new JsonObject { ["retries"] = spec.Retries } };
            specNode["upgrade"] = new JsonObject { ["remediation"] = new JsonObject { ["retries"] = spec.Retries } };
        }
        var releaseVersion = 2 + position % 4;
        var deployed = clock.Ago(TimeSpan.FromDays(6) + TimeSpan.FromMinutes(23 * position));
        return new JsonObject
        {
            ["apiVersion"] = HelmApiVersion,
            ["kind"] = "HelmRelease",
            ["metadata"] = Metadata(clock, spec.Name, spec.Namespace, generation, null),
            ["spec"] = specNode,
            ["status"] = FluxStatus.HelmReleaseReady(spec, releaseVersion, deployed, clock.Created(TimeSpan.FromMinutes(40 + position)), generation),
        };
    }

    private static JsonObject Metadata(SeedClock clock, string name, string ns, long generation, JsonObject? labels)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["uid"] = SeedIds.Uid($"flux/{ns}/{name}"),
            ["creationTimestamp"] = clock.Created(TimeSpan.FromMinutes(30)),
            ["generation"] = generation,
            ["finalizers"] = new JsonArray("finalizers.fluxcd.io"),
        };
        if (labels is not null) metadata["labels"] = labels;
        return metadata;
    }
}
