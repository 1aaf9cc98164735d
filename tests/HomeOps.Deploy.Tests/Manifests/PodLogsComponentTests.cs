using static HomeOps.Deploy.Tests.Manifests.Rendered;

namespace HomeOps.Deploy.Tests.Manifests;

/// <summary>
/// Container logs are off by default (issue 16): the base grants no <c>pods/log</c>; the optional pod-logs component
/// grants exactly <c>get</c> on <c>pods/log</c> to the dashboard's service account, and nothing else.
/// </summary>
public sealed class PodLogsComponentTests(RenderedBase rendered) : IClassFixture<RenderedBase>, IAsyncLifetime
{
    private string _scratch = "";
    private Rendered _withLogs = null!;

    public async ValueTask InitializeAsync()
    {
        _scratch = Directory.CreateTempSubdirectory("homeops-kustomize-").FullName;
        MonitoringComponentTests.CopyDirectory(RepoPaths.K8s, Path.Combine(_scratch, "k8s"));
        var overlay = Directory.CreateDirectory(Path.Combine(_scratch, "overlay")).FullName;
        await File.WriteAllTextAsync(Path.Combine(overlay, "kustomization.yaml"),
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../k8s]\ncomponents: [../k8s/components/pod-logs]\n");
        _withLogs = await RenderAsync(overlay);
    }

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    private static IEnumerable<(string Resource, string Verb)> Grants(Rendered m) =>
        from role in m.Objects.Where(o => Str(o, "kind") is "ClusterRole" or "Role")
        from rule in Items(role, "rules")
        from r in Items(rule, "resources")
        from v in Items(rule, "verbs")
        select (r.ToString(), v.ToString());

    [Fact]
    public void The_base_reads_pods_but_not_their_logs()
    {
        var grants = Grants(rendered.Manifests).ToList();
        Assert.Contains(("pods", "watch"), grants);
        Assert.DoesNotContain(grants, g => g.Resource.StartsWith("pods/", StringComparison.Ordinal));
    }

    [Fact]
    public void The_component_grants_get_on_pods_log_to_the_dashboard_only()
    {
        var added = Grants(_withLogs).Except(Grants(rendered.Manifests)).ToList();
        Assert.Equal([("pods/log", "get")], added);
        var binding = _withLogs.Single("ClusterRoleBinding", "homeops-dashboard-pod-logs");
        Assert.Equal("homeops-dashboard-pod-logs", Str(binding, "roleRef", "name"));
        var subject = Assert.Single(Items(binding, "subjects"));
        Assert.Equal("ServiceAccount", Str(subject, "kind"));
        Assert.Equal("homeops-dashboard", Str(subject, "name"));
    }
}
