using System.Text.RegularExpressions;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Reports;
using HomeOps.Dashboard.Auth;
using HomeOps.Dashboard.Notifications;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;

namespace HomeOps.Dashboard.Components.Pages;

/// <summary>
/// A user's own notification settings. The page is viewer-only like every page (only users who may view the cluster
/// subscribe); it writes the signed-in user's subscription and nobody else's. The browser part (permission, the Push
/// API subscription) is in <c>Notifications.razor.js</c>; the VAPID public key is the only key that reaches the browser.
/// </summary>
public partial class Notifications : IAsyncDisposable
{
    private static readonly string[] AllAreas =
        [.. Enum.GetValues<Area>().Select(a => a.ToString()), ProblemReport.LoadBalancersArea];

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex TopicPattern();

    [Inject] private SubscriptionStore Store { get; set; } = default!;
    [Inject] private NotificationMonitor Monitor { get; set; } = default!;
    [Inject] private VapidKeys Vapid { get; set; } = default!;
    [Inject] private IOptions<NotificationOptions> Options { get; set; } = default!;
    [Inject] private IOptions<AuthOptions> AuthOptions { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = default!;

    private string _user = "";
    private NotificationSubscription _subscription = NotificationSubscription.Empty("");
    private HashSet<string> _areas = [];
    private HealthStatus _minSeverity = HealthStatus.Degraded;
    private string? _quietFrom;
    private string? _quietTo;
    private string? _ntfyTopic;
    private string? _timeZone;
    private string _pushState = "Push: checking this browser…";
    private string? _error;
    private string? _saved;
    private bool _busy;
    private IJSObjectReference? _module;

    private bool NtfyEnabled => !string.IsNullOrEmpty(Options.Value.Ntfy.BaseUrl);

    protected override async Task OnInitializedAsync()
    {
        var state = await Authentication;
        _user = ActorFactory.From(state.User, AuthOptions.Value).User;
        _subscription = Store.Get(_user) ?? NotificationSubscription.Empty(_user);
        _areas = [.. _subscription.Areas];
        _minSeverity = _subscription.MinSeverity;
        (_quietFrom, _quietTo, _ntfyTopic, _timeZone) = (_subscription.QuietFrom, _subscription.QuietTo, _subscription.NtfyTopic, _subscription.TimeZone);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || !RendererInfo.IsInteractive || !Options.Value.Enabled) return;
        try
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", "./Components/Pages/Notifications.razor.js");
            var info = await _module.InvokeAsync<BrowserState>("state");
            _timeZone ??= info.TimeZone;
            _pushState = info.Supported ? $"Push: permission {info.Permission}{(info.Subscribed ? ", subscribed" : "")}" : "Push is not supported by this browser (on iPhone: add the dashboard to the home screen first).";
            StateHasChanged();
        }
        catch (JSDisconnectedException) { }
        catch (JSException) { _pushState = "Push is not available in this browser."; StateHasChanged(); }
    }

    private void Toggle(string area, bool on)
    {
        if (on) _areas.Add(area);
        else _areas.Remove(area);
    }

    private bool TryBuild(out NotificationSubscription subscription)
    {
        subscription = _subscription;
        _error = null;
        if (!ValidTime(_quietFrom) || !ValidTime(_quietTo))
        {
            _error = "Quiet hours are times like 23:00 (or leave both empty).";
            return false;
        }
        var topic = string.IsNullOrWhiteSpace(_ntfyTopic) ? null : _ntfyTopic.Trim();
        if (topic is not null && !TopicPattern().IsMatch(topic))
        {
            _error = "An ntfy topic is 1–64 letters, digits, '-' or '_'.";
            return false;
        }
        subscription = _subscription with
        {
            Areas = [.. AllAreas.Where(_areas.Contains)],
            MinSeverity = _minSeverity == HealthStatus.Failed ? HealthStatus.Failed : HealthStatus.Degraded,
            QuietFrom = Blank(_quietFrom), QuietTo = Blank(_quietTo), NtfyTopic = topic, TimeZone = _timeZone,
        };
        return true;
    }

    private static bool ValidTime(string? s) => string.IsNullOrWhiteSpace(s) || TimeOnly.TryParseExact(s.Trim(), "HH:mm", out _);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private void Save()
    {
        if (!TryBuild(out var s)) return;
        Store.Save(_subscription = s);
        _saved = "Saved.";
    }

    private async Task EnablePushAsync()
    {
        if (_module is null) return;
        _busy = true;
        try
        {
            var device = await _module.InvokeAsync<DeviceResult>("subscribe", Vapid.PublicKey);
            if (device.Error is { } error)
            {
                _pushState = "Push: " + error;
                return;
            }
            if (!ValidDevice(device))
            {
                _pushState = "Push: the browser returned an unusable subscription.";
                return;
            }
            if (!TryBuild(out var s)) return;
            s = s with { Devices = [.. s.Devices.Where(d => d.Endpoint != device.Endpoint), new PushDevice(device.Endpoint!, device.P256dh!, device.Auth!)] };
            Store.Save(_subscription = s);
            _pushState = "Push: enabled on this browser";
        }
        catch (JSException e)
        {
            _pushState = "Push: " + e.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private static bool ValidDevice(DeviceResult d) =>
        Uri.TryCreate(d.Endpoint, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps
        && d.P256dh is { Length: > 80 and < 100 } && d.Auth is { Length: > 15 and < 30 };

    private async Task DisablePushAsync()
    {
        if (_module is null) return;
        _busy = true;
        try
        {
            var endpoint = await _module.InvokeAsync<string?>("unsubscribe");
            if (endpoint is not null) Store.RemoveDevice(_user, endpoint);
            _subscription = Store.Get(_user) ?? NotificationSubscription.Empty(_user);
            _pushState = "Push: stopped on this browser";
        }
        catch (JSException e)
        {
            _pushState = "Push: " + e.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SendTestAsync()
    {
        _busy = true;
        try
        {
            _saved = await Monitor.SendTestAsync(_user);
        }
        finally
        {
            _busy = false;
        }
    }

    private void Unsubscribe()
    {
        Store.Remove(_user);
        _subscription = NotificationSubscription.Empty(_user);
        _areas = [];
        _saved = "All notifications are off.";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException) { }
    }

    private sealed record BrowserState(bool Supported, string Permission, bool Subscribed, string? TimeZone);

    private sealed record DeviceResult(string? Endpoint, string? P256dh, string? Auth, string? Error);
}
