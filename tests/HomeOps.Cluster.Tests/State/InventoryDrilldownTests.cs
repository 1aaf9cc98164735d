using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Cluster.Tests.Health;

namespace HomeOps.Cluster.Tests.State;

/// <summary>
/// What a Flux object manages (issue 16): a Kustomization's <c>status.inventory</c> (a real fixture) wins over the
/// ownership labels, which remain the fallback without an inventory; a CronJob's Jobs and their pods are attributed to
/// the Flux object that applied the CronJob (the inventory for a Kustomization, the chart's template labels for a
/// HelmRelease), and a failed Job shows under it.
/// </summary>
public sealed class InventoryDrilldownTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 22, 0, 0, TimeSpan.Zero);
    private const string KarmadaFixture = "flux/kustomization-suspended-lastready-karmada.json";
    private const string Ns = "test-kustomization";

    private static ResourceSnapshot Decode(JsonNode obj) => ResourceDecoder.TryDecode(JsonSerializer.SerializeToElement(obj), Now)!;

    private static JsonObject FixtureNode(string path) => (JsonObject)JsonNode.Parse(File.ReadAllText(Fixtures.PathOf(path)))!;

    private static ClusterState StateOf(params ResourceSnapshot[] objects)
    {
        var store = new ClusterStore();
        foreach (var group in objects.GroupBy(o => o.Kind.Key))
            store.Dispatch(new ResourcesReplaced(group.First().Kind, [.. group], Now));
        return store.Value;
    }

    private static JsonObject Labels(string? kustomization = null, string? helmRelease = null, bool helmTemplate = false, string? instance = null)
    {
        var labels = new JsonObject();
        if (kustomization is not null)
        {
            labels["kustomize.toolkit.fluxcd.io/name"] = kustomization;
            labels["kustomize.toolkit.fluxcd.io/namespace"] = Ns;
        }
        if (helmRelease is not null) labels["helm.toolkit.fluxcd.io/name"] = helmRelease;
        if (helmTemplate)
        {
            labels["app.kubernetes.io/managed-by"] = "Helm";
            labels["app.kubernetes.io/instance"] = instance;
        }
        return labels;
    }

    private static JsonObject Deployment(string ns, string name, JsonObject? labels = null) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["uid"] = $"uid-{name}", ["generation"] = 1, ["labels"] = labels ?? new JsonObject() },
        ["spec"] = new JsonObject { ["replicas"] = 1 },
        ["status"] = new JsonObject { ["observedGeneration"] = 1, ["replicas"] = 1, ["readyReplicas"] = 1, ["updatedReplicas"] = 1, ["availableReplicas"] = 1 },
    };

    private static JsonObject Job(string ns, string name, string? cronJob, bool failed, JsonObject? labels = null) => new()
    {
        ["apiVersion"] = "batch/v1",
        ["kind"] = "Job",
        ["metadata"] = new JsonObject
        {
            ["name"] = name, ["namespace"] = ns, ["uid"] = $"uid-{name}", ["labels"] = labels ?? new JsonObject(),
            ["ownerReferences"] = cronJob is null ? new JsonArray()
                : new JsonArray(new JsonObject { ["apiVersion"] = "batch/v1", ["kind"] = "CronJob", ["name"] = cronJob, ["uid"] = $"uid-{cronJob}", ["controller"] = true }),
        },
        ["spec"] = new JsonObject { ["completions"] = 1, ["backoffLimit"] = 1 },
        ["status"] = failed
            ? new JsonObject
            {
                ["failed"] = 2,
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Failed", ["status"] = "True", ["reason"] = "BackoffLimitExceeded",
                    ["message"] = "Job has reached the specified backoff limit", ["lastTransitionTime"] = "2026-12-07T21:50:00Z",
                }),
            }
            : new JsonObject
            {
                ["succeeded"] = 1,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Complete", ["status"] = "True", ["lastTransitionTime"] = "2026-12-07T21:40:00Z" }),
            },
    };

    private static JsonObject JobPod(string ns, string job) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = $"{job}-x7k2p", ["namespace"] = ns, ["uid"] = $"uid-{job}-pod",
            ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "batch/v1", ["kind"] = "Job", ["name"] = job, ["uid"] = $"uid-{job}", ["controller"] = true }),
        },
        ["spec"] = new JsonObject { ["nodeName"] = "mini01", ["containers"] = new JsonArray(new JsonObject { ["name"] = "backup", ["image"] = "restic:0.17" }) },
        ["status"] = new JsonObject
        {
            ["phase"] = "Failed",
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = "backup", ["ready"] = false, ["restartCount"] = 0,
                ["state"] = new JsonObject { ["terminated"] = new JsonObject { ["reason"] = "Error", ["exitCode"] = 1 } },
            }),
        },
    };

    private static JsonObject WithInventory(JsonObject kustomization, params string[] ids)
    {
        var copy = (JsonObject)kustomization.DeepClone();
        var entries = new JsonArray();
        foreach (var id in ids) entries.Add(new JsonObject { ["id"] = id, ["v"] = "v1" });
        copy["status"]!["inventory"] = new JsonObject { ["entries"] = entries };
        return copy;
    }

    private static JsonObject WithoutInventory(JsonObject kustomization)
    {
        var copy = (JsonObject)kustomization.DeepClone();
        ((JsonObject)copy["status"]!).Remove("inventory");
        return copy;
    }

    [Fact]
    public void The_inventory_of_a_real_kustomization_keeps_its_workload_entries_only()
    {
        var ks = Decode(FixtureNode(KarmadaFixture));
        var details = Assert.IsType<KustomizationDetails>(ks.Details);
        // The fixture lists a Service, a Deployment and a HorizontalPodAutoscaler: only the Deployment is followed.
        Assert.Equal([new InventoryRef(Ns, "podinfo", "apps", "Deployment")], details.Inventory!.Value);
    }

    [Fact]
    public void No_inventory_or_an_empty_one_is_null_and_malformed_ids_are_skipped()
    {
        var karmada = FixtureNode(KarmadaFixture);
        Assert.Null(((KustomizationDetails)Decode(WithoutInventory(karmada)).Details).Inventory);
        Assert.Null(((KustomizationDetails)Decode(WithInventory(karmada)).Details).Inventory);
        Assert.Null(((KustomizationDetails)Decode(FixtureNode("flux/kustomization-ready-docs.json")).Details).Inventory);

        var odd = WithInventory(karmada, "not-an-id", "a_b_c", "ns_name_apps_Deployment_extra", "_cluster-admin_rbac.authorization.k8s.io_ClusterRole", "backup_nightly_batch_CronJob");
        ((JsonArray)odd["status"]!["inventory"]!["entries"]!).Add(JsonValue.Create("a string, not an entry"));
        Assert.Equal([new InventoryRef("backup", "nightly", "batch", "CronJob")], ((KustomizationDetails)Decode(odd).Details).Inventory!.Value);
        Assert.Equal(new InventoryRef(null, "cluster-admin", "rbac.authorization.k8s.io", "ClusterRole"), InventoryRef.Parse("_cluster-admin_rbac.authorization.k8s.io_ClusterRole"));
    }

    [Fact]
    public void A_kustomization_with_an_inventory_manages_what_it_lists_and_without_one_what_carries_its_labels()
    {
        var karmada = FixtureNode(KarmadaFixture);
        var listed = Decode(Deployment(Ns, "podinfo"));                                        // listed, no labels
        var labelled = Decode(Deployment(Ns, "stray", Labels(kustomization: "sample")));     // labels, not listed
        var withInventory = Decode(karmada);

        var report = WorkloadDrilldown.For(StateOf(withInventory, listed, labelled), withInventory);
        Assert.Equal([$"{Ns}/podinfo"], report.Workloads.Select(w => w.Workload.Meta.DisplayName));

        var withoutInventory = Decode(WithoutInventory(karmada));
        var fallback = WorkloadDrilldown.For(StateOf(withoutInventory, listed, labelled), withoutInventory);
        Assert.Equal([$"{Ns}/stray"], fallback.Workloads.Select(w => w.Workload.Meta.DisplayName));
    }

    [Fact]
    public void A_kustomization_lists_a_cron_job_and_its_failed_job_and_pod_show_under_it()
    {
        var ks = Decode(WithInventory(FixtureNode(KarmadaFixture), $"{Ns}_nightly_batch_CronJob", $"{Ns}_podinfo_apps_Deployment"));
        var failed = Decode(Job(Ns, "nightly-29420000", "nightly", failed: true));
        var earlier = Decode(Job(Ns, "nightly-29418560", "nightly", failed: false));
        var other = Decode(Job(Ns, "weekly-29410000", "weekly", failed: true));   // another CronJob, not listed
        var pod = Decode(JobPod(Ns, "nightly-29420000"));
        var state = StateOf(ks, failed, earlier, other, pod, Decode(Deployment(Ns, "podinfo")));

        var report = WorkloadDrilldown.For(state, ks);
        Assert.Equal([$"{Ns}/nightly-29420000", $"{Ns}/nightly-29418560", $"{Ns}/podinfo"], report.Workloads.Select(w => w.Workload.Meta.DisplayName));
        var job = report.Workloads[0];
        Assert.Equal((HealthStatus.Failed, "BackoffLimitExceeded"), (job.Workload.Verdict.Health, job.Workload.Verdict.Reason));
        Assert.Equal([pod.Meta.Name], job.Pods.Select(p => p.Meta.Name));
        Assert.Equal(pod.Meta.Name, report.Cause!.Object.Meta.Name);
    }

    [Fact]
    public void A_helm_release_gets_the_jobs_of_its_charts_cron_job_by_the_template_labels()
    {
        var release = Decode(FixtureNode("flux/helmrelease-ready-testsucceeded-docs.json"));
        var ns = release.Meta.Namespace!;
        var name = release.Meta.Name;
        var cronJobRun = Decode(Job(ns, $"{name}-cleanup-29420000", $"{name}-cleanup", failed: true, Labels(helmTemplate: true, instance: name)));
        var notFromCron = Decode(Job(ns, $"{name}-hook", null, failed: false, Labels(helmTemplate: true, instance: name)));
        var ownLabels = Decode(Deployment(ns, name, Labels(helmRelease: name)));
        var otherRelease = Decode(Job(ns, "other-cleanup-1", "other-cleanup", failed: true, Labels(helmTemplate: true, instance: "other")));

        Assert.Equal(new FluxOwner(FluxOwner.HelmReleaseKind, ns, name), ((JobDetails)cronJobRun.Details).Flux);
        Assert.Null(((JobDetails)notFromCron.Details).Flux); // template labels count only for a CronJob's Jobs

        var report = WorkloadDrilldown.For(StateOf(release, cronJobRun, notFromCron, ownLabels, otherRelease), release);
        Assert.Equal([$"{ns}/{name}-cleanup-29420000", $"{ns}/{name}"], report.Workloads.Select(w => w.Workload.Meta.DisplayName));
        Assert.Equal(HealthStatus.Failed, report.Workloads[0].Workload.Verdict.Health);
    }
}
