using HomeOps.Cluster.Model;
using HomeOps.Simulator.Seed;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Scenarios;

/// <summary>
/// The Longhorn chart upgrade fails: HelmRelease longhorn-system/longhorn goes Ready=False UpgradeFailed, its
/// Kustomization infrastructure-longhorn fails its health check, and every Kustomization that depends on it
/// (directly or through others) waits with DependencyNotReady naming its first dependency that is not ready —
/// as kustomize-controller words it. Recovery heals them in dependency order.
/// </summary>
internal sealed class HelmReleaseFailsScenario : IScenario
{
    private const string ReleaseNamespace = "longhorn-system";
    private const string Release = "longhorn";
    private const string Owner = "infrastructure-longhorn";
    private const string Flux = HomeOpsTopology.FluxNamespace;

    public string Name => "helmrelease-fails";

    public bool IsApplicable(ScenarioContext context) =>
        context.Exists(Kinds.HelmRelease, ReleaseNamespace, Release) && context.Exists(Kinds.Kustomization, Flux, Owner);

    public IReadOnlyList<ObjectRef> Trigger(ScenarioContext context)
    {
        var now = context.Timestamp;
        var touched = new List<ObjectRef>();
        var chart = context.Cluster.Get(Kinds.HelmRelease, ReleaseNamespace, Release)?["spec"]?["chart"]?["spec"];
        var message = $"Helm upgrade failed for release {ReleaseNamespace}/{Release} with chart {chart.String("chart") ?? Release}@{chart.String("version") ?? "1.10.1"}: context deadline exceeded";
        context.Cluster.Update(Kinds.HelmRelease, ReleaseNamespace, Release, release =>
        {
            Conditions.Set(release, "Ready", "False", "UpgradeFailed", message, now);
            Conditions.Set(release, "Released", "False", "UpgradeFailed", message, now);
            release["status"]!["failures"] = 1;
            release["status"]!["upgradeFailures"] = 1;
        });
        touched.Add(new ObjectRef(Kinds.HelmRelease, ReleaseNamespace, Release));

        var timeout = FluxCatalogue.Kustomizations.FirstOrDefault(k => k.Name == Owner)?.Timeout ?? "20m";
        var healthMessage = $"health check failed after {timeout}0s: timeout waiting for: [HelmRelease/{ReleaseNamespace}/{Release} status: 'Failed']";
        context.Cluster.Update(Kinds.Kustomization, Flux, Owner, k =>
        {
            Conditions.Set(k, "Ready", "False", "HealthCheckFailed", healthMessage, now);
            Conditions.Set(k, "Healthy", "False", "HealthCheckFailed", healthMessage, now);
        });
        touched.Add(new ObjectRef(Kinds.Kustomization, Flux, Owner));

        var failing = FluxCatalogue.DependentsOf(Owner).Select(k => k.Name).Append(Owner).ToHashSet();
        foreach (var dependent in FluxCatalogue.DependentsOf(Owner))
        {
            if (!context.Exists(Kinds.Kustomization, Flux, dependent.Name)) continue;
            var blocker = dependent.DependsOn.First(failing.Contains);
            context.Cluster.Update(Kinds.Kustomization, Flux, dependent.Name, k =>
                Conditions.Set(k, "Ready", "False", "DependencyNotReady", $"dependency '{Flux}/{blocker}' is not ready", now));
            touched.Add(new ObjectRef(Kinds.Kustomization, Flux, dependent.Name));
        }
        return touched;
    }

    public IReadOnlyList<ObjectRef> Recover(ScenarioContext context)
    {
        var now = context.Timestamp;
        var touched = new List<ObjectRef>();
        context.Cluster.Update(Kinds.HelmRelease, ReleaseNamespace, Release, release =>
        {
            var history = release["status"]?["history"]?[0];
            var version = (history?["version"]?.GetValue<int>() ?? 1) + 1;
            if (history is not null) history["version"] = version;
            var chart = history.String("chartName") ?? Release;
            var message = $"Helm upgrade succeeded for release {ReleaseNamespace}/{Release}.v{version} with chart {chart}@{history.String("chartVersion")}";
            Conditions.Set(release, "Ready", "True", "UpgradeSucceeded", message, now);
            Conditions.Set(release, "Released", "True", "UpgradeSucceeded", message, now);
            if (release["status"] is System.Text.Json.Nodes.JsonObject status)
            {
                status.Remove("failures");
                status.Remove("upgradeFailures");
            }
        });
        touched.Add(new ObjectRef(Kinds.HelmRelease, ReleaseNamespace, Release));

        foreach (var name in FluxCatalogue.DependentsOf(Owner).Select(k => k.Name).Prepend(Owner))
        {
            if (!context.Exists(Kinds.Kustomization, Flux, name)) continue;
            context.Cluster.Update(Kinds.Kustomization, Flux, name, k =>
            {
                Conditions.Set(k, "Ready", "True", "ReconciliationSucceeded", $"Applied revision: {FluxCatalogue.Revision}", now);
                Conditions.Set(k, "Healthy", "True", "Succeeded", "Health check passed in 2.141s", now);
            });
            touched.Add(new ObjectRef(Kinds.Kustomization, Flux, name));
        }
        return touched;
    }
}
