using System.Text.RegularExpressions;
using HomeOps.Cluster.Metrics;
using HomeOps.Cluster.State;
using static HomeOps.Deploy.Tests.Manifests.Rendered;

namespace HomeOps.Deploy.Tests.Manifests;

/// <summary>
/// The optional monitoring component renders on top of the base, scrapes the metrics port, and its alert rules use
/// only metrics the dashboard exports and are the ones docs/metrics.md documents.
/// </summary>
public sealed partial class MonitoringComponentTests : IAsyncLifetime
{
    private string _scratch = "";
    private Rendered _m = null!;

    public async ValueTask InitializeAsync()
    {
        // kustomize refuses absolute paths: copy the base next to a throw-away overlay, as a home-ops overlay would sit.
        _scratch = Directory.CreateTempSubdirectory("homeops-kustomize-").FullName;
        CopyDirectory(RepoPaths.K8s, Path.Combine(_scratch, "k8s"));
        var overlay = Directory.CreateDirectory(Path.Combine(_scratch, "overlay")).FullName;
        await File.WriteAllTextAsync(Path.Combine(overlay, "kustomization.yaml"),
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../k8s]\ncomponents: [../k8s/components/monitoring]\n");
        _m = await Rendered.RenderAsync(overlay);
    }

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    private static readonly HashSet<string> ExportedMetrics =
        [.. HealthMetrics.Build(ClusterState.Initial(DateTimeOffset.UnixEpoch), HomeOps.Cluster.Sources.ClusterOptions.DefaultExpectedNodes, DateTimeOffset.UnixEpoch).Select(f => f.Name)];

    private IEnumerable<(string Alert, string Expr)> Alerts() =>
        from rule in _m.OfKind("PrometheusRule")
        from g in Items(rule, "spec", "groups")
        from r in Items(g, "rules")
        where Str(r, "alert") is not null
        select (Str(r, "alert")!, Str(r, "expr")!);

    [Fact]
    public void The_service_monitor_scrapes_the_metrics_port_of_the_dashboard_service()
    {
        var monitor = _m.Single("ServiceMonitor");
        var endpoint = Assert.Single(Items(monitor, "spec", "endpoints"));
        Assert.Equal("/metrics", Str(endpoint, "path"));
        var service = _m.Single("Service", "homeops-dashboard");
        var selector = At(monitor, "spec", "selector", "matchLabels")!.AsObject();
        Assert.All(selector, kv => Assert.Equal(kv.Value!.ToString(), Str(service, "metadata", "labels", kv.Key)));
        var port = Items(service, "spec", "ports").Single(p => Str(p, "name") == Str(endpoint, "port"));
        Assert.Equal("metrics", Str(port, "targetPort"));
    }

    [Fact]
    public void Alert_rules_cover_the_issue_and_use_only_exported_metrics()
    {
        var alerts = Alerts().ToList();
        string[] required =
        [
            "HomeOpsNodeNotReady", "HomeOpsKustomizationNotReady", "HomeOpsLonghornVolumeDegraded", "HomeOpsLonghornVolumeFaulted",
            "HomeOpsLonghornBackupOverdue", "HomeOpsLonghornBackupTargetUnavailable", "HomeOpsBgpPeerDown", "HomeOpsAuthentikOutpostNotSeen",
            "HomeOpsAuthentikTokenExpiringSoon", "HomeOpsAuthentikTokenExpired", "HomeOpsDashboardSourceStale",
        ];
        foreach (var name in required) Assert.Contains(name, alerts.Select(a => a.Alert));
        foreach (var (alert, expr) in alerts)
            foreach (Match m in MetricName().Matches(expr))
                Assert.True(ExportedMetrics.Contains(m.Value), $"{alert} uses {m.Value}, which the dashboard does not export");
    }

    [Fact]
    public void Docs_list_every_alert_and_every_metric_family()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Docs, "metrics.md"));
        foreach (var (alert, expr) in Alerts())
        {
            Assert.Contains(alert, doc);
            Assert.Contains(expr, doc); // the documented rule is the shipped rule
        }
        foreach (var metric in ExportedMetrics) Assert.Contains(metric, doc);
        Assert.Contains("Metrics:BearerToken", doc);
    }

    [GeneratedRegex(@"\bhomeops_[a-z_]+")]
    private static partial Regex MetricName();

    internal static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
