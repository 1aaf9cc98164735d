using HomeOps.Cluster.Model;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Flux;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Tests.Support;
using HomeOps.Simulator.OpsCommands;
using HomeOps.Simulator.Store;
using k8s;

namespace HomeOps.Operations.Tests.StandIns;

/// <summary>
/// The dashboard's Flux buttons (FluxActions through the real Kubernetes client) against the simulator, answered by
/// the simulated Flux controllers: reconcile bumps the applied revision, a suspended object is left alone.
/// </summary>
public sealed class FluxControllerStandInTests : IAsyncLifetime
{
    private static readonly FluxObjectRef FluxSystem = new("Kustomization", "flux-system", "flux-system");
    private StandInRig _rig = null!;
    private Kubernetes _client = null!;
    private FluxActions _actions = null!;
    private SimulatedFluxControllers _controllers = null!;

    public async ValueTask InitializeAsync()
    {
        _rig = await StandInRig.StartAsync();
        _client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_rig.Simulator.KubeconfigPath));
        var database = new OperationsDatabase(new DatabaseOptions(), new OperationsOptions { DataDirectory = _rig.Dir.File("data") });
        await database.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        _actions = new FluxActions(new KubernetesFluxObjectClient(_client), new EfAuditLog(database));
        _controllers = new SimulatedFluxControllers(new SimClusterClient(_client));
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _rig.DisposeAsync();
    }

    private System.Text.Json.Nodes.JsonObject Kustomization() => _rig.Simulator.Cluster.Get(Kinds.Kustomization, "flux-system", "flux-system")!;

    [Fact]
    public async Task Reconcile_with_source_from_the_dashboard_applies_a_new_revision()
    {
        var ct = TestContext.Current.CancellationToken;
        var before = Kustomization()["status"].String("lastAppliedRevision");

        var result = await _actions.ReconcileAsync(FluxSystem, withSource: true, Actors.Operator(), ct);
        Assert.True(result.Accepted, result.ToString());
        Assert.Equal(2, await _controllers.SyncOnceAsync(ct));   // the GitRepository, then the Kustomization

        var k = Kustomization();
        var applied = k["status"].String("lastAppliedRevision");
        Assert.NotEqual(before, applied);
        Assert.Equal(_rig.Simulator.Cluster.Get(Kinds.GitRepository, "flux-system", "flux-system")!["status"]!["artifact"].String("revision"), applied);
        Assert.Equal(k["metadata"]!["annotations"].String(FluxPatchBodies.RequestedAt), k["status"].String("lastHandledReconcileAt"));
        Assert.Equal(0, await _controllers.SyncOnceAsync(ct));   // handled once, not again
    }

    [Fact]
    public async Task A_suspended_object_is_not_reconciled_until_resume_and_reconcile()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.True((await _actions.SuspendAsync(FluxSystem, Actors.Operator(), "freeze during the drill", ct)).Accepted);
        await _controllers.SyncOnceAsync(ct);
        Assert.False((await _actions.ReconcileAsync(FluxSystem, withSource: false, Actors.Operator(), ct)).Accepted);
        var before = Kustomization()["status"].String("lastHandledReconcileAt");

        Assert.True((await _actions.ResumeAndReconcileAsync(FluxSystem, Actors.Operator(), "drill over", ct)).Accepted);
        Assert.Equal(1, await _controllers.SyncOnceAsync(ct));
        var k = Kustomization();
        Assert.NotEqual(before, k["status"].String("lastHandledReconcileAt"));
        Assert.Equal(k.Generation(), (long)k["status"]!["observedGeneration"]!);
        Assert.Equal("True", k.Condition("Ready").String("status"));
    }
}
