using HomeOps.Cluster.Model;
using HomeOps.Simulator.Tests.Support;

namespace HomeOps.Simulator.Tests;

/// <summary>
/// The workload layer as the real kubectl sees it (issue 16): pods, workloads and events.k8s.io Events are in discovery
/// and print with the API server's columns; <c>pods/log</c> answers like the API server (tail, waiting containers,
/// missing pods); the image-pull-fails scenario breaks the headlamp HelmRelease through an image that cannot be pulled.
/// </summary>
public sealed class WorkloadApiTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;
    private Kubectl _kubectl = null!;

    public async ValueTask InitializeAsync()
    {
        if (Kubectl.Binary is null) Assert.Skip("kubectl is not installed on this machine");
        _host = await SimulatorTestHost.StartAsync();
        _kubectl = new Kubectl(_host.KubeconfigPath);
    }

    public async ValueTask DisposeAsync()
    {
        _kubectl?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
    }

    private async Task<string> Ok(params string[] arguments)
    {
        var result = await _kubectl.RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', arguments)}: {result}");
        return result.Output;
    }

    private static string[][] Rows(string table) =>
        [.. table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries))];

    [Fact]
    public async Task Get_pods_and_events_across_namespaces_shows_the_pod_that_cannot_pull_and_its_warnings()
    {
        _host.Scenarios.Trigger("image-pull-fails");
        var output = await Ok("get", "pods,events", "-A");

        var lines = Rows(output);
        Assert.Equal(["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"], lines[0]);
        var pods = lines.Skip(1).TakeWhile(r => r[0] != "NAMESPACE").ToList();
        Assert.Equal(_host.Cluster.List(Kinds.Pod).Items.Count, pods.Count);
        var failing = Assert.Single(pods, p => p[3] == "ImagePullBackOff");
        Assert.Equal(("headlamp", "0/1"), (failing[0], failing[2]));
        Assert.StartsWith("pod/headlamp-", failing[1]);
        Assert.All(pods.Where(p => p != failing), p => Assert.Equal("Running", p[3]));

        var eventHeader = lines.First(r => r[0] == "NAMESPACE" && r.Contains("REASON"));
        Assert.Equal(["NAMESPACE", "LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], eventHeader);
        var events = lines.SkipWhile(r => r != eventHeader).Skip(1).ToList();
        Assert.Contains(events, e => e[0] == "headlamp" && e[2] == "Warning" && e[3] == "BackOff" && e[4] == failing[1]);
        Assert.Contains(events, e => e[2] == "Normal" && e[3] == "Pulling");
    }

    [Fact]
    public async Task Get_deployments_and_daemonsets_use_short_names_and_show_the_rollout()
    {
        var deployments = Rows(await Ok("get", "deploy", "-n", "onepassword-connect"));
        Assert.Equal(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], deployments[0]);
        Assert.Equal(["onepassword-connect", "1/1", "1", "1"], deployments[1][..4]);
        var cilium = Rows(await Ok("get", "ds", "cilium", "-n", "kube-system"));
        Assert.Equal(["cilium", "3", "3", "3", "3", "3"], cilium[1][..6]);
    }

    [Fact]
    public async Task Logs_serve_the_tail_and_refuse_a_container_that_is_waiting_to_start()
    {
        var pod = _host.Cluster.List(Kinds.Pod, "onepassword-connect").Items.Single()["metadata"]!["name"]!.GetValue<string>();
        var tail = await Ok("logs", "-n", "onepassword-connect", pod, "--tail=3");
        var lines = tail.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Contains($"pod=onepassword-connect/{pod}", l));

        _host.Scenarios.Trigger("image-pull-fails");
        var failing = _host.Cluster.List(Kinds.Pod, "headlamp").Items.Select(p => p["metadata"]!["name"]!.GetValue<string>())
            .Single(n => n == Scenarios.ImagePullFailsScenario.FailingPod);
        var refused = await _kubectl.RunAsync("logs", "-n", "headlamp", failing);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"container \"headlamp\" in pod \"{failing}\" is waiting to start: trying and failing to pull image", refused.Error);

        var missing = await _kubectl.RunAsync("logs", "-n", "headlamp", "no-such-pod");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("(NotFound)", missing.Error);
    }

    [Fact]
    public async Task Recovery_removes_the_failing_pod_and_its_events()
    {
        _host.Scenarios.Trigger("image-pull-fails");
        _host.Scenarios.Recover("image-pull-fails");
        Assert.DoesNotContain(_host.Cluster.List(Kinds.Pod, "headlamp").Items, p => p["metadata"]!["name"]!.GetValue<string>() == Scenarios.ImagePullFailsScenario.FailingPod);
        Assert.Empty(_host.Cluster.List(Kinds.Event, "headlamp").Items);
        var pods = Rows(await Ok("get", "pods", "-n", "headlamp"));
        Assert.All(pods.Skip(1), p => Assert.Equal("Running", p[2]));
    }
}
