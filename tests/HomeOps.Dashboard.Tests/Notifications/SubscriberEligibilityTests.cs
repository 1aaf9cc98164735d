using System.Security.Claims;
using HomeOps.Dashboard.Auth;
using HomeOps.Dashboard.Notifications;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Tests.Notifications;

/// <summary>
/// Only users who may view the cluster get notifications — not just when they subscribe, but when each message is sent:
/// the roles seen at sign-in and at each re-read of the groups pause or resume a subscription, and a session Authentik
/// ended deletes it.
/// </summary>
public sealed class SubscriberEligibilityTests
{
    private static ClaimsPrincipal User(string name, params string[] groups) =>
        new(new ClaimsIdentity([new Claim("preferred_username", name), .. groups.Select(g => new Claim(Policies.GroupsClaim, g))],
            "test", "preferred_username", Policies.GroupsClaim));

    private static SubscriberEligibility EligibilityOf(MonitorRig rig) =>
        new(rig.Subscriptions, Options.Create(new AuthOptions()), rig.Fixture.Time, NullLogger<SubscriberEligibility>.Instance);

    private static async Task DegradeAsync(MonitorRig rig)
    {
        rig.SetVolume("pvc-postgres", MonitorRig.Degraded);
        await rig.Monitor.EvaluateAsync(TestContext.Current.CancellationToken);
        await rig.RunForAsync(TimeSpan.FromSeconds(90));
    }

    private static async Task RecoverAsync(MonitorRig rig)
    {
        rig.SetVolume("pvc-postgres", MonitorRig.Healthy);
        await rig.Monitor.EvaluateAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_subscriber_seen_without_the_viewer_role_gets_nothing_until_seen_with_it_again()
    {
        using var rig = new MonitorRig();
        var eligibility = EligibilityOf(rig);
        rig.Subscriptions.Save(NotificationSubscription.Empty("alice"));
        rig.Subscriptions.Save(NotificationSubscription.Empty("bob"));

        // alice signs in after an Authentik admin took her out of the viewers; bob is an operator (operators may view).
        eligibility.RolesSeen(User("alice", "family"), "signed in");
        eligibility.RolesSeen(User("bob", "homeops-operators"), "signed in");
        var paused = rig.Subscriptions.Get("alice")!.PausedBecause;
        Assert.StartsWith("signed in on ", paused);
        Assert.EndsWith("without the viewer role", paused);
        Assert.Null(rig.Subscriptions.Get("bob")!.PausedBecause);
        // Saving her choices (an open page from before) does not lift the pause: only a sighting of the role does.
        rig.Subscriptions.Save(NotificationSubscription.Empty("alice") with { Areas = ["Longhorn"] });
        Assert.Equal(paused, rig.Subscriptions.Get("alice")!.PausedBecause);

        await DegradeAsync(rig);
        Assert.Equal(["bob"], rig.Channel.Sent.Select(s => s.User));
        Assert.DoesNotContain(rig.Audit.Entries, e => e.User == "alice");
        Assert.StartsWith("Not sent: notifications are paused", await rig.Monitor.SendTestAsync("alice", TestContext.Current.CancellationToken));
        Assert.Single(rig.Channel.Sent);

        // Her groups are re-read with the viewer group back: the recovery reaches both.
        eligibility.RolesSeen(User("alice", "homeops-viewers"), "groups re-read from Authentik");
        Assert.Null(rig.Subscriptions.Get("alice")!.PausedBecause);
        Assert.Equal(["Longhorn"], rig.Subscriptions.Get("alice")!.Areas);
        await RecoverAsync(rig);
        Assert.Equal("bob", rig.Channel.Sent[0].User);
        Assert.Equal(["alice", "bob"], rig.Channel.Sent.Skip(1).Select(s => s.User).Order(StringComparer.Ordinal));
        Assert.All(rig.Channel.Sent.Skip(1), s => Assert.Contains("recovered", s.Message.Title, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_session_Authentik_ended_deletes_the_subscription()
    {
        using var rig = new MonitorRig();
        var eligibility = EligibilityOf(rig);
        rig.Subscriptions.Save(NotificationSubscription.Empty("alice") with { Devices = [new PushDevice("https://push.example/x", "k", "a")] });
        rig.Subscriptions.Save(NotificationSubscription.Empty("bob"));

        // Deactivated in Authentik: her refresh token is refused, the session ends, and so does her subscription.
        eligibility.SessionEnded(User("alice", "homeops-viewers"));
        Assert.Null(rig.Subscriptions.Get("alice"));

        await DegradeAsync(rig);
        Assert.Equal(["bob"], rig.Channel.Sent.Select(s => s.User));
    }

    [Fact]
    public void Sightings_of_users_without_a_subscription_create_none()
    {
        using var rig = new MonitorRig();
        var eligibility = EligibilityOf(rig);
        eligibility.RolesSeen(User("carol"), "signed in");
        eligibility.RolesSeen(User("dave", "homeops-viewers"), "signed in");
        eligibility.SessionEnded(User("erin"));
        Assert.Empty(rig.Subscriptions.All());
    }

    [Fact]
    public void A_pause_survives_a_restart()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("homeops-eligibility-").FullName, "notifications.json");
        var store = new SubscriptionStore(path);
        store.Save(NotificationSubscription.Empty("alice"));
        Assert.True(store.SetPaused("alice", "signed in on 2026-12-07 02:00 UTC without the viewer role"));
        Assert.False(store.SetPaused("alice", "again"));   // already paused: nothing to change

        var reloaded = new SubscriptionStore(path);
        Assert.Equal("signed in on 2026-12-07 02:00 UTC without the viewer role", reloaded.Get("alice")!.PausedBecause);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }
}
