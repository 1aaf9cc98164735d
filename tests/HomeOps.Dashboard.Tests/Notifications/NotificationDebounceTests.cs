using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Notifications;
using HomeOps.Operations.Audit;

namespace HomeOps.Dashboard.Tests.Notifications;

/// <summary>
/// When the monitor sends: a transition into Failed/Degraded that outlasts the debounce (60 s by default) sends one
/// message, its recovery one more; a flap sends nothing. The fake clock of the fixture is the only time source.
/// </summary>
public sealed class NotificationDebounceTests : IDisposable
{
    private readonly MonitorRig _rig = new();

    public NotificationDebounceTests() =>
        _rig.Subscriptions.Save(NotificationSubscription.Empty("viewer") with { NtfyTopic = "homeops" });

    [Fact]
    public async Task A_volume_degraded_longer_than_the_debounce_sends_exactly_one_notification_and_one_on_recovery()
    {
        await _rig.Monitor.EvaluateAsync(TestContext.Current.CancellationToken);
        _rig.SetVolume("pvc-postgres", MonitorRig.Degraded);
        await _rig.Monitor.EvaluateAsync(TestContext.Current.CancellationToken);

        await _rig.RunForAsync(TimeSpan.FromSeconds(55));
        Assert.Empty(_rig.Channel.Sent);   // still inside the debounce

        await _rig.RunForAsync(TimeSpan.FromMinutes(10));
        var (user, message) = Assert.Single(_rig.Channel.Sent);
        Assert.Equal("viewer", user);
        Assert.Equal("Degraded: Volume longhorn-system/pvc-postgres", message.Title);
        Assert.Contains("1 of 2 replicas healthy", message.Body);
        var key = _rig.Volume("pvc-postgres").Key;
        Assert.Equal($"/longhorn?kind=Volume.longhorn.io&object={Uri.EscapeDataString(key)}", message.Url);

        _rig.SetVolume("pvc-postgres", MonitorRig.Healthy);
        await _rig.Monitor.EvaluateAsync(TestContext.Current.CancellationToken);
        await _rig.RunForAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(2, _rig.Channel.Sent.Count);
        Assert.Equal("Recovered: Volume longhorn-system/pvc-postgres", _rig.Channel.Sent[1].Message.Title);
        Assert.Equal("recovered", _rig.Channel.Sent[1].Message.Severity);

        // Both are audited, with the deep link and the channel.
        var sent = _rig.Audit.Entries.Where(e => e.Action == AuditAction.NotifySent.Name).ToList();
        Assert.Equal(2, sent.Count);
        Assert.All(sent, e => Assert.Equal(AuditOutcome.Succeeded, e.Outcome));
        Assert.Contains("\"channels\":[\"recording\"]", sent[0].Parameters);
    }

    [Fact]
    public async Task A_flapping_volume_sends_nothing()
    {
        await _rig.Monitor.EvaluateAsync(TestContext.Current.CancellationToken);
        for (var i = 0; i < 12; i++)
        {
            _rig.SetVolume("pvc-postgres", MonitorRig.Degraded);
            await _rig.Monitor.EvaluateAsync(TestContext.Current.CancellationToken);
            await _rig.RunForAsync(TimeSpan.FromSeconds(40));
            _rig.SetVolume("pvc-postgres", MonitorRig.Healthy);
            await _rig.Monitor.EvaluateAsync(TestContext.Current.CancellationToken);
            await _rig.RunForAsync(TimeSpan.FromSeconds(10));
        }
        // Ten minutes of problems in total, never 60 s in a row.
        Assert.Empty(_rig.Channel.Sent);
        Assert.Empty(_rig.Audit.Entries);
    }

    [Fact]
    public async Task Degraded_then_Failed_is_one_problem_for_the_debounce()
    {
        _rig.SetVolume("pvc-postgres", MonitorRig.Degraded);
        await _rig.Monitor.EvaluateAsync(TestContext.Current.CancellationToken);
        await _rig.RunForAsync(TimeSpan.FromSeconds(30));
        _rig.SetVolume("pvc-postgres", new Verdict(HealthStatus.Failed, "Faulted", "all replicas failed"));
        await _rig.Monitor.EvaluateAsync(TestContext.Current.CancellationToken);
        await _rig.RunForAsync(TimeSpan.FromSeconds(35));
        var (_, message) = Assert.Single(_rig.Channel.Sent);
        Assert.Equal("failed", message.Severity);
    }

    public void Dispose() => _rig.Dispose();
}
