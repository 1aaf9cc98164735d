using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using HomeOps.Cluster.State;
using HomeOps.Cluster.Tests.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HomeOps.Cluster.Tests.Sources;

public sealed class ServiceRegistrationTests
{
    [Fact]
    public void One_store_serves_as_state_and_dispatcher_and_both_sources_are_hosted()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection([
            KeyValuePair.Create("Cluster:Mode", (string?)"Kubeconfig"),
            KeyValuePair.Create("Cluster:Kubeconfig", (string?)"/nonexistent/kubeconfig"),
        ]).Build();
        using var provider = new ServiceCollection().AddLogging().AddClusterSources(config).BuildServiceProvider();

        var store = provider.GetRequiredService<ClusterStore>();
        Assert.Same(store, provider.GetRequiredService<IState<ClusterState>>());
        Assert.Same(store, provider.GetRequiredService<IDispatcher>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());

        var hosted = provider.GetServices<IHostedService>().ToList();
        Assert.Contains(hosted, h => h is InformerHost);
        Assert.Contains(hosted, h => h is AuthentikPoller);
        Assert.Same(provider.GetRequiredService<InformerHost>(), hosted.OfType<InformerHost>().Single());
        // The ingress VIP probe runs as a hosted service with the real TCP prober (the simulator host replaces it).
        Assert.Same(provider.GetRequiredService<HomeOps.Cluster.Sources.Probes.IngressVipProbe>(), hosted.OfType<HomeOps.Cluster.Sources.Probes.IngressVipProbe>().Single());
        Assert.IsType<HomeOps.Cluster.Sources.Probes.TcpReachabilityProber>(provider.GetRequiredService<HomeOps.Cluster.Sources.Probes.IReachabilityProber>());

        // A broken kubeconfig does not crash the host: it becomes a visible error.
        var informers = provider.GetRequiredService<InformerHost>();
        Assert.NotNull(informers.StartupError);
        Assert.False(informers.AllSynced);
        Assert.NotNull(provider.GetRequiredService<AuthentikClient>());
    }

    [Fact]
    public async Task A_client_that_cannot_be_built_shows_as_an_error_on_every_kind()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection([
            KeyValuePair.Create("Cluster:Mode", (string?)"Simulator"),
        ]).Build();
        await using var provider = new ServiceCollection().AddLogging().AddClusterSources(config).BuildServiceProvider();
        var host = provider.GetRequiredService<InformerHost>();

        var store = provider.GetRequiredService<ClusterStore>();
        await host.StartAsync(TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => Kinds.Watched.All(k => store.Value.Slice(k).Freshness.State == FeedState.Error), "every kind in Error");
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.All(Kinds.Watched, k =>
        {
            var f = store.Value.Slice(k).Freshness;
            Assert.Equal(FeedState.Error, f.State);
            Assert.Contains("Cluster:Kubeconfig", f.LastError);
        });
    }
}
