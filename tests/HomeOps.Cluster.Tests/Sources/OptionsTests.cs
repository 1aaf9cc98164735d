using HomeOps.Cluster.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Tests.Sources;

public sealed class OptionsTests
{
    private const string Secret = "ak-secret-3f9a1c";

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void Defaults_match_the_documented_configuration()
    {
        var cluster = new ClusterOptions();
        Assert.Equal(ClusterMode.Simulator, cluster.Mode);
        Assert.Equal(TimeSpan.FromSeconds(0.5), cluster.BackoffInitial);
        Assert.Equal(TimeSpan.FromSeconds(30), cluster.BackoffMax);
        Assert.Equal(TimeSpan.FromSeconds(90), cluster.StaleAfter);
        var authentik = new AuthentikOptions();
        Assert.Equal(TimeSpan.FromSeconds(10), authentik.PollInterval);
        Assert.False(authentik.IsConfigured);
    }

    [Theory]
    [InlineData(null, null, "mini01,mini02,mini03")]
    [InlineData("a1,a2", null, "a1,a2")]
    [InlineData(null, "old1,old2", "old1,old2")]          // the key before the setting moved to Cluster
    [InlineData("new1", "old1", "new1")]                  // the new key wins
    public void Expected_nodes_are_a_cluster_setting_and_the_old_dashboard_key_is_still_read(string? cluster, string? dashboard, string expected)
    {
        var values = new List<(string, string)>();
        foreach (var (i, n) in (cluster?.Split(',') ?? []).Index()) values.Add(($"Cluster:ExpectedNodes:{i}", n));
        foreach (var (i, n) in (dashboard?.Split(',') ?? []).Index()) values.Add(($"Dashboard:ExpectedNodes:{i}", n));
        using var provider = new ServiceCollection().AddLogging().AddClusterSources(Config([.. values])).BuildServiceProvider();
        Assert.Equal(expected.Split(','), provider.GetRequiredService<IOptions<ClusterOptions>>().Value.ExpectedNodeNames);
    }

    [Theory]
    [InlineData("Mini01")]            // node names are lowercase
    [InlineData("mini01 ")]
    [InlineData("mini_01")]
    [InlineData("mini01,mini01")]
    public void Expected_nodes_no_node_could_have_are_refused_at_start(string names)
    {
        using var provider = new ServiceCollection().AddLogging()
            .AddClusterSources(Config([.. names.Split(',').Select((n, i) => ($"Cluster:ExpectedNodes:{i}", n))]))
            .BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ClusterOptions>>().Value);
        Assert.Contains("Cluster:ExpectedNodes", error.Message);
    }

    [Fact]
    public void Sections_bind_and_the_token_never_shows_in_ToString()
    {
        using var provider = new ServiceCollection()
            .AddLogging()
            .AddClusterSources(Config(
                ("Cluster:Mode", "InCluster"), ("Cluster:StaleAfter", "00:01:30"), ("Cluster:Context", "admin@home-ops"),
                ("Authentik:BaseUrl", "https://authentik.example/"), ("Authentik:Token", Secret), ("Authentik:PollInterval", "00:00:05")))
            .BuildServiceProvider();

        var cluster = provider.GetRequiredService<IOptions<ClusterOptions>>().Value;
        Assert.Equal(ClusterMode.InCluster, cluster.Mode);
        Assert.Equal(TimeSpan.FromSeconds(90), cluster.StaleAfter);
        var authentik = provider.GetRequiredService<IOptions<AuthentikOptions>>().Value;
        Assert.Equal(Secret, authentik.Token);
        Assert.Equal(TimeSpan.FromSeconds(5), authentik.PollInterval);
        Assert.DoesNotContain(Secret, authentik.ToString());
        Assert.Contains("Token=(set)", authentik.ToString());
    }

    [Fact]
    public void Simulator_mode_without_a_kubeconfig_is_a_clear_configuration_error()
    {
        var factory = new KubernetesClientFactory(Options.Create(new ClusterOptions { Mode = ClusterMode.Simulator }));
        var error = Assert.Throws<InvalidOperationException>(() => factory.BuildConfiguration());
        Assert.Contains("Cluster:Kubeconfig", error.Message);
    }

    [Fact]
    public void Kubeconfig_mode_reads_the_file_and_the_chosen_context()
    {
        var path = Path.Combine(Path.GetTempPath(), $"homeops-kubeconfig-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, """
            apiVersion: v1
            kind: Config
            clusters:
            - {name: a, cluster: {server: "http://127.0.0.1:1111"}}
            - {name: b, cluster: {server: "http://127.0.0.1:2222"}}
            users: [{name: u, user: {token: t}}]
            contexts:
            - {name: ctx-a, context: {cluster: a, user: u}}
            - {name: ctx-b, context: {cluster: b, user: u}}
            current-context: ctx-a
            """);
        try
        {
            var current = new KubernetesClientFactory(Options.Create(new ClusterOptions { Mode = ClusterMode.Kubeconfig, Kubeconfig = path }));
            Assert.Equal("http://127.0.0.1:1111", current.BuildConfiguration().Host.TrimEnd('/'));
            var chosen = new KubernetesClientFactory(Options.Create(new ClusterOptions { Mode = ClusterMode.Kubeconfig, Kubeconfig = path, Context = "ctx-b" }));
            Assert.Equal("http://127.0.0.1:2222", chosen.BuildConfiguration().Host.TrimEnd('/'));
            Assert.Equal($"kubeconfig {path} (context ctx-b)", chosen.Describe());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
