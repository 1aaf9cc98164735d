using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>
/// The workload layer's rules (issue 16) over kubelet- and controller-shaped objects: a pod's phase, restarts and the
/// reason it is not running (ImagePullBackOff, CrashLoopBackOff after OOMKilled, Evicted), a Deployment's rollout, and
/// that only Warning events are kept. Decoders keep pods and events slim (no labels, annotations or raw status).
/// </summary>
public sealed class WorkloadHealthTests
{
    private static ResourceSnapshot Decode(string json) => ResourceDecoder.TryDecode(Json.Parse(json), FixtureVerdictTable.Now)!;

    private const string PodMeta = """
        'metadata':{'name':'headlamp-5d8f-abcde','namespace':'headlamp','uid':'u1',
          'labels':{'app':'headlamp','pod-template-hash':'5d8f'},'annotations':{'big':'xxxxxxxxxxxxxxxx'},
          'ownerReferences':[{'apiVersion':'apps/v1','kind':'ReplicaSet','name':'headlamp-5d8f','uid':'rs','controller':true}]}
        """;

    [Fact]
    public void A_pod_that_cannot_pull_its_image_is_Failed_and_owned_by_its_deployment()
    {
        var pod = Decode($$$"""
            {'apiVersion':'v1','kind':'Pod',{{{PodMeta}}},'spec':{'nodeName':'mini02','containers':[{'name':'headlamp','image':'x'}]},
             'status':{'phase':'Pending','containerStatuses':[{'name':'headlamp','ready':false,'restartCount':0,
               'state':{'waiting':{'reason':'ImagePullBackOff','message':'Back-off pulling image \"x\"'}},'lastState':{}}]}}
            """);
        Assert.Equal(HealthStatus.Failed, pod.Verdict.Health);
        Assert.Equal("ImagePullBackOff", pod.Verdict.Reason);
        Assert.Contains("Back-off pulling image", pod.Verdict.Message);
        var d = Assert.IsType<PodDetails>(pod.Details);
        Assert.Equal(new WorkloadRef("Deployment", "headlamp"), d.Workload);
        Assert.Equal("mini02", d.NodeName);
        Assert.Equal(["headlamp"], d.ContainerNames);
        // Bounded: nothing kept that the drill-down does not show.
        Assert.Empty(pod.Meta.Labels);
        Assert.Empty(pod.Meta.Annotations);
        Assert.True(pod.RawStatus.IsEmpty);
    }

    [Fact]
    public void A_crash_looping_pod_names_its_last_termination_reason_and_restarts()
    {
        var pod = Decode($$$"""
            {'apiVersion':'v1','kind':'Pod',{{{PodMeta}}},'spec':{'containers':[{'name':'app'}]},
             'status':{'phase':'Running','containerStatuses':[{'name':'app','ready':false,'restartCount':7,
               'state':{'waiting':{'reason':'CrashLoopBackOff','message':'back-off 5m0s restarting failed container'}},
               'lastState':{'terminated':{'reason':'OOMKilled','exitCode':137} } } ] } }
            """);
        Assert.Equal(HealthStatus.Failed, pod.Verdict.Health);
        Assert.Equal("CrashLoopBackOff", pod.Verdict.Reason);
        Assert.Contains("OOMKilled, exit code 137", pod.Verdict.Message);
        var d = Assert.IsType<PodDetails>(pod.Details);
        Assert.Equal(7, d.Restarts);
        Assert.Equal("OOMKilled", d.LastTerminationReason);
    }

    [Fact]
    public void An_evicted_pod_is_Failed_Evicted()
    {
        var pod = Decode($$$"""
            {'apiVersion':'v1','kind':'Pod',{{{PodMeta}}},'status':{'phase':'Failed','reason':'Evicted',
              'message':'The node was low on resource: memory.'}}
            """);
        Assert.Equal(HealthStatus.Failed, pod.Verdict.Health);
        Assert.Equal("Evicted", pod.Verdict.Reason);
        Assert.Equal("The node was low on resource: memory.", pod.Verdict.Message);
    }

    [Fact]
    public void A_running_pod_that_was_OOMKilled_before_is_Degraded_and_a_ready_one_Healthy()
    {
        const string running = """
            {'apiVersion':'v1','kind':'Pod',METADATA,'status':{'phase':'Running','containerStatuses':[{'name':'app','ready':true,
              'restartCount':RESTARTS,'state':{'running':{}},'lastState':LAST}]}}
            """;
        var oom = Decode(running.Replace("METADATA", PodMeta).Replace("RESTARTS", "2").Replace("LAST", "{'terminated':{'reason':'OOMKilled','exitCode':137}}"));
        Assert.Equal((HealthStatus.Degraded, "OOMKilled"), (oom.Verdict.Health, oom.Verdict.Reason));
        var fine = Decode(running.Replace("METADATA", PodMeta).Replace("RESTARTS", "0").Replace("LAST", "{}"));
        Assert.Equal((HealthStatus.Healthy, "Running"), (fine.Verdict.Health, fine.Verdict.Reason));
    }

    private const string DeploymentMeta = """
        'metadata':{'name':'headlamp','namespace':'headlamp','uid':'d1','generation':2,
          'labels':{'helm.toolkit.fluxcd.io/name':'headlamp','helm.toolkit.fluxcd.io/namespace':'headlamp'}}
        """;

    [Theory]
    // A new pod not yet available while the old one serves: still rolling out, not healthy.
    [InlineData("{'observedGeneration':2,'readyReplicas':1,'updatedReplicas':1,'availableReplicas':1,'unavailableReplicas':1}", "[]", HealthStatus.Progressing, "RollingOut")]
    [InlineData("{'observedGeneration':2,'readyReplicas':1,'updatedReplicas':1,'availableReplicas':1,'unavailableReplicas':1}",
        "[{'type':'Progressing','status':'False','reason':'ProgressDeadlineExceeded','message':'ReplicaSet has timed out progressing.'}]", HealthStatus.Failed, "ProgressDeadlineExceeded")]
    [InlineData("{'observedGeneration':2,'readyReplicas':1,'updatedReplicas':1,'availableReplicas':1}", "[]", HealthStatus.Healthy, "Available")]
    [InlineData("{'observedGeneration':1,'readyReplicas':1,'updatedReplicas':1,'availableReplicas':1}", "[]", HealthStatus.Progressing, "RollingOut")]
    [InlineData("{'observedGeneration':2,'readyReplicas':0,'updatedReplicas':1}", "[]", HealthStatus.Failed, "NoReplicasReady")]
    public void A_deployments_rollout_state_follows_its_replica_counts(string status, string conditions, HealthStatus health, string reason)
    {
        var obj = $$$"""{'apiVersion':'apps/v1','kind':'Deployment',{{{DeploymentMeta}}},'spec':{'replicas':1},'status':STATUS}""";
        var snap = Decode(obj.Replace("STATUS", status.TrimEnd('}') + $",'conditions':{conditions}}}"));
        Assert.Equal((health, reason), (snap.Verdict.Health, snap.Verdict.Reason));
        var d = Assert.IsType<WorkloadDetails>(snap.Details);
        Assert.Equal(new FluxOwner(FluxOwner.HelmReleaseKind, "headlamp", "headlamp"), d.Flux);
    }

    [Fact]
    public void A_daemonset_counts_scheduled_nodes()
    {
        var snap = Decode("""
            {'apiVersion':'apps/v1','kind':'DaemonSet','metadata':{'name':'cilium','namespace':'kube-system','generation':1},
             'status':{'observedGeneration':1,'desiredNumberScheduled':3,'numberReady':2,'updatedNumberScheduled':3,'numberAvailable':2,'numberUnavailable':1}}
            """);
        var d = Assert.IsType<WorkloadDetails>(snap.Details);
        Assert.Equal("2/3", d.Replicas);
        Assert.Equal(HealthStatus.Progressing, snap.Verdict.Health);
    }

    [Fact]
    public void Only_warning_events_are_kept_and_their_count_and_last_time_are_read()
    {
        const string ev = """
            {'apiVersion':'events.k8s.io/v1','kind':'Event','metadata':{'name':'e1','namespace':'headlamp','uid':'e1'},
             'type':'TYPE','reason':'BackOff','note':'Back-off pulling image','reportingController':'kubelet',
             'regarding':{'kind':'Pod','namespace':'headlamp','name':'headlamp-5d8f-abcde','uid':'u1'},
             'series':{'count':42,'lastObservedTime':'2026-11-25T11:59:00.000000Z'},'deprecatedCount':3}
            """;
        Assert.Null(ResourceDecoder.TryDecode(Json.Parse(ev.Replace("TYPE", "Normal")), FixtureVerdictTable.Now));
        var warning = Decode(ev.Replace("TYPE", "Warning"));
        var d = Assert.IsType<EventDetails>(warning.Details);
        Assert.Equal((42, "Pod", "headlamp-5d8f-abcde"), (d.Count, d.RegardingKind, d.RegardingName));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 11, 59, 0, TimeSpan.Zero), d.LastSeen);
        Assert.Equal((HealthStatus.Degraded, "BackOff"), (warning.Verdict.Health, warning.Verdict.Reason));
    }
}
