using HomeOps.Cluster.State;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Flux;
using HomeOps.Operations.Locking;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Tests.Support;
using HomeOps.Operations.Workflows;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HomeOps.Operations.Tests;

public class ServiceRegistrationTests
{
    [Fact]
    public async Task The_web_layer_gets_a_working_engine_from_configuration()
    {
        using var dir = new TempDir();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Operations:DataDirectory"] = dir.File("data"),
            ["Operations:HomeOpsCheckout"] = dir.Path,
            ["Operations:Variables:kubeconfig"] = "/etc/homeops/kubeconfig",
            ["Auth:StepUpMaxAge"] = "00:02:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(ClusterBuilder.HomeOps().BuildStore());
        services.AddSingleton<IKubernetes>(_ => new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" })); // never called here
        services.AddHomeOpsOperations(config);
        await using var sp = services.BuildServiceProvider();

        var options = sp.GetRequiredService<OperationsOptions>();
        Assert.Equal(TimeSpan.FromMinutes(2), options.StepUpMaxAge);
        Assert.Equal("Sqlite", sp.GetRequiredService<OperationsDatabase>().Provider);
        Assert.IsType<InProcessRunLock>(sp.GetRequiredService<IRunLock>());
        Assert.Equal(new WorkflowCatalog(HomeOps.Operations.Gates.GateRegistry.CreateDefault()).All.Count, sp.GetRequiredService<IWorkflowCatalog>().All.Count); // the shipped set
        Assert.IsType<FluxActions>(sp.GetRequiredService<IFluxActions>()); // over the IKubernetes the Cluster sources register

        // The engine, then the change timeline's recorder (it needs the schema the engine creates).
        Assert.IsType<HomeOps.Operations.Timeline.TimelineRecorder>(sp.GetServices<IHostedService>().Last());
        var hosted = Assert.Single(sp.GetServices<IHostedService>().OfType<OperationsEngineHostedService>());
        await hosted.StartAsync(TestContext.Current.CancellationToken);
        var engine = sp.GetRequiredService<IOperationsEngine>();
        var preview = await engine.PreviewAsync(new RunRequest(WorkflowIds.SafeReset, new Dictionary<string, string?> { ["nodes"] = "mini03" }), Actors.Operator(), TestContext.Current.CancellationToken);
        Assert.True(preview.Valid, string.Join("; ", preview.Problems));
        Assert.Equal("/etc/homeops/kubeconfig", preview.Steps[0].Plan.Env["KUBECONFIG"]);
        await hosted.StopAsync(TestContext.Current.CancellationToken);
        Assert.True(File.Exists(dir.File("data/operations.db")));
    }
}
