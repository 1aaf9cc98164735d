using Microsoft.Extensions.Logging;
using System.Text.Json.Nodes;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Locking;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Runners;
using HomeOps.Operations.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace HomeOps.Operations.Tests;

/// <summary>
/// Issue 11, item 8: the Lease is renewed with a margin, and a lost Lease stops the running step at once (process tree
/// killed), marks the run Interrupted and audits it — not only between steps and after expiry. The Kubernetes side is
/// <see cref="LoopbackApi"/> (the simulator serves no Leases): GET/POST/PUT with resourceVersion conflicts, which is
/// what the Lease lock relies on. The Lease's clock is a <see cref="FakeTimeProvider"/> the test moves.
/// </summary>
public sealed class LeaseLossTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string LeasePath = "/apis/coordination.k8s.io/v1/namespaces/homeops/leases/homeops-dashboard-operations";

    private const string Yaml = """
        workflows:
          - id: test:long-destructive
            title: A long destructive step
            destructive: true
            confirmation: {phrase: DO-IT}
            parameters:
              - {name: nodes, type: node-list, source: live-nodes, required: true}
            preflight: {targets: nodes, impact: restart, rolling: true}
            steps:
              - {id: tree, title: Tree, argv: [/bin/sh, tree.sh]}
              - {id: after, title: After, argv: [/bin/sh, step.sh, after]}
        """;

    private static KubernetesLeaseRunLock Lock(k8s.IKubernetes client, TimeProvider time, TimeSpan duration, TimeSpan renew) =>
        new(client, "homeops", "homeops-dashboard-operations", "dashboard-a", duration, renew, time);

    private static JsonNode Lease(LoopbackApi api) => JsonNode.Parse(api.Objects[LeasePath])!;

    private static int LeasePuts(LoopbackApi api) => api.Requests.Count(r => r.Method == "PUT" && r.Path == LeasePath);

    [Fact]
    public async Task A_Lease_taken_by_another_holder_mid_step_kills_the_step_interrupts_the_run_and_audits_it()
    {
        using var api = new LoopbackApi();
        using var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = api.BaseUri.TrimEnd('/') });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var leaseLock = Lock(client, clock, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10));
        await using var h = await EngineHarness.CreateAsync(Yaml);
        await h.Engine.DisposeAsync();
        await using var engine = new WorkflowEngine(h.Catalog, h.Gates, new ClusterStoreStateSource(h.Store), h.Database, h.Audit, leaseLock,
            [new LocalProcessRunner()], h.Options);
        await engine.InitializeAsync(Ct);

        var r = await engine.TriggerAsync(new RunRequest("test:long-destructive", TestWorkflows.Nodes("mini02"), "drill", "DO-IT"), Actors.Operator(), Ct);
        Assert.True(r.Accepted, string.Join("; ", r.Problems));
        Assert.Equal("dashboard-a", Lease(api)["spec"]!["holderIdentity"]!.GetValue<string>());
        await Wait.Until(() => File.Exists(h.Path("child.pid")) && File.Exists(h.Path("parent.pid")) && new FileInfo(h.Path("child.pid")).Length > 0,
            "the step and its child started");
        var parent = Processes.ReadPid(h.Path("parent.pid"));
        var child = Processes.ReadPid(h.Path("child.pid"));
        Assert.False(Processes.IsGone(child));

        // Another replica takes the Lease (as after a long API partition, or an operator's kubectl edit).
        var taken = Lease(api);
        taken["spec"]!["holderIdentity"] = "dashboard-b";
        taken["metadata"]!["resourceVersion"] = "90001";
        api.Objects[LeasePath] = taken.ToJsonString();

        // The next renewal (a third of the duration later) finds it.
        clock.Advance(TimeSpan.FromSeconds(10));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        var run = (await engine.WaitUntilStoppedAsync(r.RunId!.Value, cts.Token))!;

        Assert.Equal(RunStatus.Interrupted, run.Status);
        Assert.Contains("run lock was lost", run.Message);
        Assert.Contains("now held by dashboard-b", run.Message);
        Assert.Equal(StepStatus.Interrupted, run.Steps[0].Status);
        Assert.Contains("process tree killed", run.Steps[0].Output);
        Assert.Equal(StepStatus.Pending, run.Steps[1].Status); // the next step never ran
        await Wait.Until(() => Processes.IsGone(parent) && Processes.IsGone(child), "the step's whole process tree is gone");

        var lost = Assert.Single(await h.AuditAsync(new AuditQuery(Action: "run.lock-lost")));
        Assert.Equal((AuditOutcome.Interrupted, r.RunId, "test:long-destructive", "admin"), (lost.Outcome, lost.RunId, lost.Target, lost.User));
        Assert.Contains("now held by dashboard-b", lost.Message);
        var start = Assert.Single(await h.AuditAsync(new AuditQuery(Action: "run.start")));
        Assert.Equal(AuditOutcome.Interrupted, start.Outcome);
        // The other holder's Lease is left alone on release.
        Assert.Equal("dashboard-b", Lease(api)["spec"]!["holderIdentity"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_Lease_is_renewed_every_third_of_its_duration_even_when_configured_slower()
    {
        using var api = new LoopbackApi();
        using var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = api.BaseUri.TrimEnd('/') });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var leaseLock = Lock(client, clock, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(25));
        Assert.Equal(TimeSpan.FromSeconds(10), leaseLock.EffectiveRenewInterval);
        var (handle, _) = await leaseLock.TryAcquireAsync(Guid.NewGuid(), "test", Ct);
        Assert.NotNull(handle);
        await using (handle)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            await Wait.Until(() => LeasePuts(api) >= 1, "a renewal 10 s after acquiring");
            clock.Advance(TimeSpan.FromSeconds(10));
            await Wait.Until(() => LeasePuts(api) >= 2, "a second renewal 10 s later");
            Assert.False(handle.Lost.IsCancellationRequested);
        }
    }

    [Fact]
    public async Task A_Lease_that_cannot_be_renewed_is_given_up_before_it_expires()
    {
        using var api = new LoopbackApi();
        using var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = api.BaseUri.TrimEnd('/') });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new CapturingLoggerProvider();
        var (handle, _) = await new KubernetesLeaseRunLock(client, "homeops", "homeops-dashboard-operations", "dashboard-a", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), clock,
            new Microsoft.Extensions.Logging.Logger<KubernetesLeaseRunLock>(Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(logs)))).TryAcquireAsync(Guid.NewGuid(), "test", Ct);
        Assert.NotNull(handle);
        await using (handle)
        {
            api.Answers[$"PUT {LeasePath}"] = (503, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"ServiceUnavailable","code":503}""");
            clock.Advance(TimeSpan.FromSeconds(10));
            await Wait.Until(() => LeasePuts(api) >= 1, "the first failed renewal");
            Assert.False(handle.Lost.IsCancellationRequested); // 10 s without renewal: one more try fits before 30 s
            clock.Advance(TimeSpan.FromSeconds(10));
            await Wait.Until(() => handle.Lost.IsCancellationRequested, $"the lock given up at 20 s, before the Lease expires at 30 s (PUTs: {LeasePuts(api)}) {logs.Text}");
            Assert.Contains("could not be renewed for 20 s of its 30 s", handle.LostReason);
        }
    }
}
