using Microsoft.JSInterop;

namespace HomeOps.Dashboard.Services;

/// <summary>
/// Whether this circuit's browser tab is hidden (scoped: one per circuit). Views pause their store subscription
/// while hidden, so a phone in a pocket costs the server no rendering; changes are delivered on return.
/// Fed by <c>VisibilityTracker</c> through JS interop.
/// </summary>
public sealed class PageVisibility
{
    public bool IsHidden { get; private set; }

    public event Action<bool>? Changed;

    [JSInvokable]
    public void OnVisibilityChanged(bool hidden)
    {
        if (hidden == IsHidden) return;
        IsHidden = hidden;
        Changed?.Invoke(hidden);
    }
}
