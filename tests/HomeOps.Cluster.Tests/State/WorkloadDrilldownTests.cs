using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Areas;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.State;
using HomeOps.Cluster.Tests.Health;
using HomeOps.Simulator.Seed;

namespace HomeOps.Cluster.Tests.State;

/// <summary>
/// From a red Flux object to the reason (issue 16), on the simulator's home-ops seed decoded by the real decoders: a
/// HelmRelease's workloads come from helm-controller's labels, their pods from ownerReferences, the Warning events about
/// them are merged, and the cause ends at the pod and its event. The 1Password Connect pod counts in the Secrets area.
/// </summary>
public sealed class WorkloadDrilldownTests
{
    private static readonly DateTimeOffset Now = SeededState.Now;

    private static JsonObject? BreakPod(JsonObject obj, string ns, string workload)
    {
        if (obj["kind"]?.GetValue<string>() != "Pod" || obj["metadata"]?["namespace"]?.GetValue<string>() != ns
            || !(obj["metadata"]?["name"]?.GetValue<string>() ?? "").StartsWith(workload + "-", StringComparison.Ordinal)) return obj;
        var copy = (JsonObject)obj.DeepClone();
        copy["status"]!["phase"] = "Pending";
        var status = copy["status"]!["containerStatuses"]![0]!;
        status["ready"] = false;
        status["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ImagePullBackOff", ["message"] = "Back-off pulling image" } };
        return copy;
    }

    private static ResourceSnapshot Event(string name, string type, string reason, string note, string podName, int count, int minutesAgo) =>
        ResourceDecoder.TryDecode(JsonSerializer.SerializeToElement(new JsonObject
        {
            ["apiVersion"] = "events.k8s.io/v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "headlamp", ["uid"] = name },
            ["type"] = type,
            ["reason"] = reason,
            ["note"] = note,
            ["regarding"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = "headlamp", ["name"] = podName },
            ["deprecatedCount"] = count,
            ["deprecatedLastTimestamp"] = (Now - TimeSpan.FromMinutes(minutesAgo)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        }), Now)!;

    private static ClusterState WithEvents(ClusterState state, params ResourceSnapshot[] events)
    {
        var store = new ClusterStore();
        foreach (var slice in state.Kinds.Values) store.Dispatch(new ResourcesReplaced(slice.Kind, [.. slice.Items.Values], Now));
        store.Dispatch(new ResourcesReplaced(Kinds.Event, events, Now));
        return store.Value;
    }

    private static ResourceSnapshot Find(ClusterState state, KindInfo kind, string ns, string name) =>
        state.Items(kind).Single(s => s.Meta.Namespace == ns && s.Meta.Name == name);

    [Fact]
    public void A_helm_release_shows_its_deployment_and_pod_and_ends_at_the_pod_and_its_event()
    {
        var broken = SeededState.Build(o => BreakPod(o, "headlamp", "headlamp"));
        var pod = broken.Items(Kinds.Pod).Single(p => p.Meta.Namespace == "headlamp");
        var state = WithEvents(broken,
            Event("e1", "Warning", "BackOff", "Back-off pulling image", pod.Meta.Name, 30, 1),
            Event("e2", "Warning", "BackOff", "Back-off pulling image", pod.Meta.Name, 12, 3),   // the same warning again: merged
            Event("e3", "Warning", "Failed", "Error: ImagePullBackOff", pod.Meta.Name, 5, 2),
            Event("e4", "Warning", "BackOff", "Back-off pulling image", "some-other-pod", 9, 1)); // not about this release

        var report = WorkloadDrilldown.For(state, Find(state, Kinds.HelmRelease, "headlamp", "headlamp"));

        var workload = Assert.Single(report.Workloads);
        Assert.Equal(("Deployment", "headlamp"), (workload.Workload.Kind.Kind, workload.Workload.Meta.Name));
        var managedPod = Assert.Single(workload.Pods);
        Assert.Equal((pod.Meta.Name, HealthStatus.Failed, "ImagePullBackOff"), (managedPod.Meta.Name, managedPod.Verdict.Health, managedPod.Verdict.Reason));
        Assert.Equal([("BackOff", 42), ("Failed", 5)], report.Warnings.Select(w => (w.Reason, w.Count)));
        Assert.Equal(Now - TimeSpan.FromMinutes(1), report.Warnings[0].LastSeen);
        var cause = Assert.IsType<WorkloadCause>(report.Cause);
        Assert.Same(managedPod, cause.Object);
        Assert.Equal("BackOff", cause.Event?.Reason);
        Assert.Contains($"Pod headlamp/{pod.Meta.Name} ImagePullBackOff — BackOff: Back-off pulling image", cause.Describe());
    }

    [Fact]
    public void A_healthy_release_has_no_cause_and_other_releases_do_not_leak_in()
    {
        var state = SeededState.Build();
        var report = WorkloadDrilldown.For(state, Find(state, Kinds.HelmRelease, "longhorn-system", "longhorn"));
        var workload = Assert.Single(report.Workloads);
        Assert.Equal("longhorn-system", workload.Workload.Meta.Namespace);
        Assert.All(workload.Pods, p => Assert.Equal("longhorn-system", p.Meta.Namespace));
        Assert.Null(report.Cause);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void A_kustomization_shows_what_its_own_labels_apply()
    {
        var state = SeededState.Build();
        var report = WorkloadDrilldown.For(state, Find(state, Kinds.Kustomization, "flux-system", "infrastructure-onepassword"));
        Assert.Equal(["onepassword-connect/onepassword-connect"], report.Workloads.Select(w => w.Workload.Meta.DisplayName));
    }

    [Fact]
    public void A_connect_pod_that_cannot_start_makes_the_secrets_area_Failed_while_every_external_secret_is_still_synced()
    {
        var healthy = SeededState.Build();
        Assert.Equal(HealthStatus.Healthy, AreaRollups.Secrets(healthy).Health);

        var broken = SeededState.Build(o => BreakPod(o, "onepassword-connect", "onepassword-connect"));
        var secrets = AreaRollups.Secrets(broken);
        Assert.Equal(HealthStatus.Failed, secrets.Health);
        Assert.Equal(secrets.ExternalSecrets, secrets.Synced);
        // The same pod elsewhere is not the Secrets area's business.
        Assert.Equal(HealthStatus.Healthy, AreaRollups.Secrets(SeededState.Build(o => BreakPod(o, "headlamp", "headlamp"))).Health);
    }

    [Fact]
    public void A_change_to_a_connect_pod_touches_the_secrets_area_and_a_change_elsewhere_does_not()
    {
        var before = SeededState.Build();
        var connect = before.Items(Kinds.Pod).Single(p => p.Meta.Namespace == "onepassword-connect");
        var headlamp = before.Items(Kinds.Pod).Single(p => p.Meta.Namespace == "headlamp");
        var store = new ClusterStore();
        foreach (var slice in before.Kinds.Values) store.Dispatch(new ResourcesReplaced(slice.Kind, [.. slice.Items.Values], Now));
        var start = store.Value;

        store.Dispatch(new ResourcesChanged(Kinds.Pod, [headlamp with { Verdict = new Verdict(HealthStatus.Failed, "ImagePullBackOff", "") }], [], Now));
        var elsewhere = ChangeSet.Between(start, store.Value);
        Assert.True(elsewhere.Touches(Area.Workloads, store.Value));
        Assert.False(elsewhere.Touches(Area.Secrets, store.Value));

        var mid = store.Value;
        store.Dispatch(new ResourcesChanged(Kinds.Pod, [connect with { Verdict = new Verdict(HealthStatus.Failed, "ImagePullBackOff", "") }], [], Now));
        Assert.True(ChangeSet.Between(mid, store.Value).Touches(Area.Secrets, store.Value));
    }
    [Fact]
    public void Another_pod_in_the_connect_namespace_does_not_touch_the_secrets_area_added_changed_or_removed()
    {
        var before = SeededState.Build();
        var connect = before.Items(Kinds.Pod).Single(p => p.Meta.Namespace == "onepassword-connect");
        var store = new ClusterStore();
        foreach (var slice in before.Kinds.Values) store.Dispatch(new ResourcesReplaced(slice.Kind, [.. slice.Items.Values], Now));

        // A pod of another workload in the same namespace: the Secrets area shows the Connect Deployment and its pods only.
        var other = connect with
        {
            Meta = connect.Meta with { Uid = "other-pod-uid", Name = "backup-job-x1" },
            Details = (PodDetails)connect.Details with { Workload = new WorkloadRef("Job", "backup-job") },
        };
        var s0 = store.Value;
        store.Dispatch(new ResourcesChanged(Kinds.Pod, [other], [], Now));
        var added = ChangeSet.Between(s0, store.Value);
        Assert.True(added.Touches(Area.Workloads, store.Value));
        Assert.False(added.Touches(Area.Secrets, store.Value));

        var s1 = store.Value;
        store.Dispatch(new ResourcesChanged(Kinds.Pod, [other with { Verdict = new Verdict(HealthStatus.Failed, "Error", "") }], [], Now));
        var changed = ChangeSet.Between(s1, store.Value);
        Assert.False(changed.Touches(Area.Secrets, store.Value));

        var s2 = store.Value;
        store.Dispatch(new ResourcesChanged(Kinds.Pod, [], [other.Key], Now));
        var removed = ChangeSet.Between(s2, store.Value);
        Assert.Equal([other.Key], removed.Objects[Kinds.Pod.Key]);
        Assert.False(removed.Touches(Area.Secrets, store.Value));

        // Coalesced with the removal of the Connect pod itself, the batch does touch it: judged by its last snapshot.
        var s3 = store.Value;
        store.Dispatch(new ResourcesChanged(Kinds.Pod, [], [connect.Key], Now));
        removed.Merge(ChangeSet.Between(s3, store.Value));
        Assert.True(removed.Touches(Area.Secrets, store.Value));
        Assert.False(removed.Touches(Area.Authentik, store.Value));
    }
}
