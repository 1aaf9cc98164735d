using HomeOps.Dashboard.Hosting;
using HomeOps.Operations;
using HomeOps.Operations.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HomeOps.Dashboard.Tests.Operations;

/// <summary>How the operations engine is configured per cluster mode (the lock replicas share, the audit Event sink).</summary>
public sealed class OperationsHostingTests
{
    [Theory]
    [InlineData("InCluster", null, "Lease")]        // replicas in a cluster share one lock
    [InlineData("InCluster", "InProcess", "InProcess")] // an explicit setting wins
    [InlineData("Kubeconfig", null, "InProcess")]
    public void The_destructive_run_lock_is_a_Lease_in_cluster_unless_configured(string mode, string? configured, string expected)
    {
        var options = Build(mode, configured).GetRequiredService<OperationsOptions>();
        Assert.Equal(Enum.Parse<RunLockKind>(expected), options.Lock);
    }

    [Theory]
    [InlineData("Leese")]
    [InlineData("1")]
    [InlineData("lease-please")]
    public void A_lock_setting_that_is_not_InProcess_or_Lease_stops_the_start_with_a_clear_error(string configured)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build("InCluster", configured));

        Assert.Equal($"Operations:Lock is '{configured}'; it must be one of: InProcess, Lease.", error.Message);
    }

    [Fact]
    public void The_lock_setting_is_read_without_regard_to_case()
    {
        Assert.Equal(RunLockKind.Lease, Build("Kubeconfig", "lease").GetRequiredService<OperationsOptions>().Lock);
    }

    [Fact]
    public void Audit_entries_go_to_the_Kubernetes_Event_sink()
    {
        var sinks = Build("Kubeconfig", null).GetServices<IAuditSink>();
        Assert.Contains(sinks, s => s is KubernetesEventAuditSink);
        Assert.Contains(sinks, s => s is HomeOps.Operations.Timeline.TimelineAuditSink); // and on the change timeline
    }

    [Theory]
    [InlineData("/home/ann/.data", "/home/ann", "/home/ann/.data/homeops-dashboard")]
    [InlineData(null, "/home/ann", "/home/ann/.local/share/homeops-dashboard")]
    [InlineData("", "/home/ann", "/home/ann/.local/share/homeops-dashboard")]
    [InlineData("relative/data", "/home/ann", "/home/ann/.local/share/homeops-dashboard")] // the XDG spec: relative is invalid
    public void The_default_data_directory_is_the_users_XDG_data_directory(string? xdgDataHome, string home, string expected)
    {
        Assert.Equal(expected, OperationsHosting.DefaultDataDirectory(name => name == "XDG_DATA_HOME" ? xdgDataHome : null, home));
    }

    [Fact]
    public void Unconfigured_the_database_lives_outside_the_content_root_which_is_the_source_tree_in_the_quick_start()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cluster:Mode"] = "Kubeconfig",
            ["Operations:StandIns:Enabled"] = "false",
        });
        builder.AddDashboardOperations();
        var options = builder.Services.BuildServiceProvider().GetRequiredService<OperationsOptions>();

        var contentRoot = Path.GetFullPath(builder.Environment.ContentRootPath).TrimEnd('/') + "/";
        Assert.False(options.DataDirectory.StartsWith(contentRoot, StringComparison.Ordinal), options.DataDirectory);
        Assert.EndsWith("/homeops-dashboard", options.DataDirectory);
    }

    [Fact]
    public void A_relative_data_directory_setting_is_relative_to_the_content_root()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cluster:Mode"] = "Kubeconfig",
            ["Operations:StandIns:Enabled"] = "false",
            ["Operations:DataDirectory"] = "state",
        });
        builder.AddDashboardOperations();
        var options = builder.Services.BuildServiceProvider().GetRequiredService<OperationsOptions>();
        Assert.Equal(Path.Combine(builder.Environment.ContentRootPath, "state"), options.DataDirectory);
    }

    private static ServiceProvider Build(string mode, string? lockSetting)
    {
        var builder = WebApplication.CreateBuilder();
        var settings = new Dictionary<string, string?>
        {
            ["Cluster:Mode"] = mode,
            ["Operations:StandIns:Enabled"] = "false",
            ["Operations:DataDirectory"] = Path.Combine(Path.GetTempPath(), "homeops-hosting-tests", Guid.NewGuid().ToString("N")),
        };
        if (lockSetting is not null) settings["Operations:Lock"] = lockSetting;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddDashboardOperations();
        // Operations read the health model (gates, the change timeline's recorder): the app registers the store.
        builder.Services.AddSingleton(new HomeOps.Cluster.State.ClusterStore());
        return builder.Services.BuildServiceProvider();
    }
}
