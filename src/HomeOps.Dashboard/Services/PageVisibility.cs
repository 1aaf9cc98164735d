using Microsoft.JSInterop;

namespace HomeOps.Dashboard.Services;

/// <summary>
/// Whether anyone can see this circuit's page (scoped: one per circuit): not while its browser tab is hidden, and not
/// while its connection is down. Views pause their store subscription while hidden, so a phone in a pocket or a
/// closed laptop costs the server no rendering; changes accumulate and are delivered on return.
/// Fed by <c>VisibilityTracker</c> through JS interop (the tab) and by
/// <see cref="Circuits.PauseWhileDisconnected"/> (the connection).
/// </summary>
public sealed class PageVisibility
{
    private bool _tabHidden;
    private bool _disconnected;

    /// <summary>Nobody can see the page: the tab is hidden or the circuit's connection is down.</summary>
    public bool IsHidden => _tabHidden || _disconnected;

    /// <summary>Raised with the new <see cref="IsHidden"/> whenever it changes.</summary>
    public event Action<bool>? Changed;

    [JSInvokable]
    public void OnVisibilityChanged(bool hidden) => Set(ref _tabHidden, hidden);

    /// <summary>The circuit's connection went down (<paramref name="connected"/> false) or came back.</summary>
    public void OnConnectionChanged(bool connected) => Set(ref _disconnected, !connected);

    private void Set(ref bool reason, bool value)
    {
        var before = IsHidden;
        reason = value;
        if (IsHidden != before) Changed?.Invoke(IsHidden);
    }
}
