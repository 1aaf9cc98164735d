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
        return builder.Services.BuildServiceProvider();
    }
}
