using HomeOps.Operations.Locking;
using HomeOps.Operations.Workflows;

namespace HomeOps.Operations.Tests;

public class LockingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_in_process_lock_admits_one_holder_and_says_who_holds_it()
    {
        var l = new InProcessRunLock();
        var a = Guid.NewGuid();
        var (first, _) = await l.TryAcquireAsync(a, WorkflowIds.SafeReset, Ct);
        Assert.NotNull(first);
        var (second, heldBy) = await l.TryAcquireAsync(Guid.NewGuid(), WorkflowIds.SafeReboot, Ct);
        Assert.Null(second);
        Assert.Equal($"run {a} (cluster:safe-reset)", heldBy);
        await first.DisposeAsync();
        var (third, _) = await l.TryAcquireAsync(Guid.NewGuid(), WorkflowIds.BootstrapPhased, Ct);
        Assert.NotNull(third);
    }

    [Fact]
    public void A_lease_is_taken_over_only_when_free_ours_or_expired()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.True(LeaseRules.CanAcquire(null, null, null, null, "pod-a", now));
        Assert.True(LeaseRules.CanAcquire("", now, now, 30, "pod-a", now));
        Assert.True(LeaseRules.CanAcquire("pod-a", now, now, 30, "pod-a", now));
        Assert.False(LeaseRules.CanAcquire("pod-b", now.AddSeconds(-10), now.AddMinutes(-5), 30, "pod-a", now));
        Assert.True(LeaseRules.CanAcquire("pod-b", now.AddSeconds(-31), now.AddMinutes(-5), 30, "pod-a", now));
        Assert.False(LeaseRules.CanAcquire("pod-b", null, now.AddSeconds(-5), 30, "pod-a", now));
    }
}

public class LeaseLockTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string LeasePath = "/apis/coordination.k8s.io/v1/namespaces/homeops/leases/homeops-dashboard-operations";

    private static KubernetesLeaseRunLock Lock(k8s.IKubernetes client, string pod, TimeProvider? time = null) =>
        new(client, "homeops", "homeops-dashboard-operations", pod, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), time);

    [Fact]
    public async Task Replicas_share_one_destructive_run_through_a_Lease()
    {
        using var api = new Support.LoopbackApi();
        using var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = api.BaseUri.TrimEnd('/') });
        var podA = Lock(client, "dashboard-a");
        var podB = Lock(client, "dashboard-b");

        var (a, _) = await podA.TryAcquireAsync(Guid.NewGuid(), WorkflowIds.SafeReset, Ct);
        Assert.NotNull(a);
        var lease = System.Text.Json.Nodes.JsonNode.Parse(api.Objects[LeasePath])!;
        Assert.Equal("dashboard-a", lease["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal(30, lease["spec"]!["leaseDurationSeconds"]!.GetValue<int>());

        var (b, heldBy) = await podB.TryAcquireAsync(Guid.NewGuid(), WorkflowIds.SafeReboot, Ct);
        Assert.Null(b);
        Assert.StartsWith("dashboard-a", heldBy);
        var (a2, heldHere) = await podA.TryAcquireAsync(Guid.NewGuid(), WorkflowIds.BootstrapPhased, Ct);
        Assert.Null(a2); // same pod, second run: refused by the replica's own gate
        Assert.Contains("on this replica", heldHere);

        await a.DisposeAsync(); // release clears the holder
        Assert.Null(System.Text.Json.Nodes.JsonNode.Parse(api.Objects[LeasePath])!["spec"]!["holderIdentity"]);
        var (b2, _) = await podB.TryAcquireAsync(Guid.NewGuid(), WorkflowIds.SafeReboot, Ct);
        Assert.NotNull(b2);
        await b2.DisposeAsync();
    }

    [Fact]
    public async Task An_expired_Lease_of_a_dead_replica_is_taken_over()
    {
        using var api = new Support.LoopbackApi();
        using var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = api.BaseUri.TrimEnd('/') });
        var stale = DateTime.UtcNow.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ");
        api.Objects[LeasePath] = $$$"""{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"homeops-dashboard-operations","namespace":"homeops","resourceVersion":"7"},"spec":{"holderIdentity":"dashboard-dead","leaseDurationSeconds":30,"acquireTime":"{{{stale}}}","renewTime":"{{{stale}}}","leaseTransitions":2}}""";
        var (h, _) = await Lock(client, "dashboard-b").TryAcquireAsync(Guid.NewGuid(), WorkflowIds.SafeReset, Ct);
        Assert.NotNull(h);
        var spec = System.Text.Json.Nodes.JsonNode.Parse(api.Objects[LeasePath])!["spec"]!;
        Assert.Equal("dashboard-b", spec["holderIdentity"]!.GetValue<string>());
        Assert.Equal(3, spec["leaseTransitions"]!.GetValue<int>());
        await h.DisposeAsync();
    }
}
