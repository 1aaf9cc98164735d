using HomeOps.Dashboard.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace HomeOps.EndToEnd;

/// <summary>
/// The real sign-in and the real group re-read tell the notifications who may still receive them: a subscriber who
/// signs in without the viewer role is paused, and one whose groups Authentik changes while a page is open is paused
/// and resumed within <c>Auth:RevalidationInterval</c>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NotificationEligibilityTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "homeops-e2e-notify-roles", Guid.NewGuid().ToString("N"));
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync(new Dictionary<string, string?>
    {
        ["Operations:DataDirectory"] = _data,
        ["Auth:RevalidationInterval"] = "00:00:01",
    });

    public async ValueTask DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private SubscriptionStore Subscriptions => _dashboard.App.Services.GetRequiredService<SubscriptionStore>();

    private Task PausedAsync(string user, bool paused) =>
        Poll.UntilAsync(() => Task.FromResult(Subscriptions.Get(user) is { } s && (s.PausedBecause is not null) == paused),
            TimeSpan.FromSeconds(30), () => $"{user}: {Subscriptions.Get(user)?.PausedBecause ?? "(not paused)"}");

    [Fact]
    public async Task Signing_in_without_the_viewer_role_pauses_the_subscription()
    {
        // Subscribed back when they were a viewer; now their groups give no role here.
        Subscriptions.Save(NotificationSubscription.Empty(SimulatedDashboard.NobodyUser));
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, SimulatedDashboard.NobodyUser, "/");

        await PausedAsync(SimulatedDashboard.NobodyUser, paused: true);
        Assert.StartsWith("signed in on ", Subscriptions.Get(SimulatedDashboard.NobodyUser)!.PausedBecause);
        await context.CloseAsync();
    }

    [Fact]
    public async Task Groups_changed_at_Authentik_pause_and_resume_the_subscription_of_an_open_page()
    {
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "viewer", "/notifications");
        await SignIn.WaitForCircuitAsync(page);
        Subscriptions.Save(NotificationSubscription.Empty("viewer") with { NtfyTopic = "homeops-e2e" });

        _dashboard.Identity.SetGroups("viewer", ["family"]);
        await PausedAsync("viewer", paused: true);
        Assert.StartsWith("groups re-read from Authentik on ", Subscriptions.Get("viewer")!.PausedBecause);

        _dashboard.Identity.SetGroups("viewer", ["homeops-viewers"]);
        // The page now shows the access-denied view; a new request with the same session re-reads the groups too.
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await PausedAsync("viewer", paused: false);
        Assert.Equal("homeops-e2e", Subscriptions.Get("viewer")!.NtfyTopic);
        await context.CloseAsync();
    }
}
