using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Notifications;
using HomeOps.Dashboard.Tests.TestData;
using HomeOps.Operations.Audit;

namespace HomeOps.Dashboard.Tests.Notifications;

/// <summary>Who gets what: areas and severity per user, quiet hours, the hourly limit — and an audit of what was held back.</summary>
public sealed class NotificationLimitTests
{
    private static async Task DegradeBothVolumesAsync(MonitorRig rig)
    {
        rig.SetVolume("pvc-postgres", MonitorRig.Degraded);
        rig.SetVolume("pvc-home-assistant", MonitorRig.Degraded);
        await rig.Monitor.EvaluateAsync(TestContext.Current.CancellationToken);
        await rig.RunForAsync(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task Quiet_hours_hold_messages_back_and_audit_them()
    {
        using var rig = new MonitorRig();
        // The fixture's clock starts at 02:00 UTC: inside 23:00–07:00 in UTC, outside it in New York (21:00).
        rig.Subscriptions.Save(NotificationSubscription.Empty("sleeper") with { QuietFrom = "23:00", QuietTo = "07:00", TimeZone = "UTC" });
        rig.Subscriptions.Save(NotificationSubscription.Empty("awake") with { QuietFrom = "23:00", QuietTo = "07:00", TimeZone = "America/New_York" });
        await DegradeBothVolumesAsync(rig);

        Assert.Equal(["awake", "awake"], rig.Channel.Sent.Select(s => s.User));
        var held = rig.Audit.Entries.Where(e => e.User == "sleeper").ToList();
        Assert.Equal(2, held.Count);
        Assert.All(held, e => Assert.Equal((AuditAction.NotifySuppressed.Name, AuditOutcome.Refused, "quiet hours"), (e.Action, e.Outcome, e.Message)));
    }

    [Fact]
    public async Task The_hourly_limit_is_per_user()
    {
        using var rig = new MonitorRig(new NotificationOptions { RateLimitPerHour = 1 });
        rig.Subscriptions.Save(NotificationSubscription.Empty("viewer"));
        await DegradeBothVolumesAsync(rig);

        Assert.Single(rig.Channel.Sent);
        var suppressed = Assert.Single(rig.Audit.Entries, e => e.Action == AuditAction.NotifySuppressed.Name);
        Assert.StartsWith("rate limit", suppressed.Message);

        // An hour later the user gets messages again (the recoveries).
        rig.Fixture.Time.Advance(TimeSpan.FromHours(1));
        rig.SetVolume("pvc-postgres", MonitorRig.Healthy);
        await rig.Monitor.EvaluateAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, rig.Channel.Sent.Count);
    }

    [Fact]
    public async Task Areas_and_severity_choose_what_a_user_gets()
    {
        using var rig = new MonitorRig();
        rig.Subscriptions.Save(NotificationSubscription.Empty("nodes-only") with { Areas = ["Nodes"] });
        rig.Subscriptions.Save(NotificationSubscription.Empty("failed-only") with { MinSeverity = HealthStatus.Failed });
        rig.Subscriptions.Save(NotificationSubscription.Empty("storage") with { Areas = ["Longhorn"] });
        await DegradeBothVolumesAsync(rig);

        Assert.Equal(["storage", "storage"], rig.Channel.Sent.Select(s => s.User));
    }

    [Fact]
    public void Subscriptions_survive_a_restart_in_an_owner_only_file()
    {
        var dir = Directory.CreateTempSubdirectory("homeops-subs-").FullName;
        try
        {
            var path = Path.Combine(dir, "notifications.json");
            new SubscriptionStore(path).Save(NotificationSubscription.Empty("viewer") with
            {
                Devices = [new PushDevice("https://push.example/abc", "p256", "auth")], MinSeverity = HealthStatus.Failed,
            });
            var again = new SubscriptionStore(path).Get("viewer");
            Assert.NotNull(again);
            Assert.Equal(HealthStatus.Failed, again.MinSeverity);
            Assert.Equal("https://push.example/abc", Assert.Single(again.Devices).Endpoint);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
