using System.ComponentModel.DataAnnotations;

namespace HomeOps.Dashboard.Notifications;

/// <summary>
/// <c>Notifications:*</c>. The VAPID private key and the ntfy token are secrets: they are never logged, never shown on a
/// page and never sent to the browser (only the VAPID public key is).
/// </summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    public bool Enabled { get; set; } = true;

    /// <summary>A problem must last this long (Failed or Degraded) before anyone is notified; a flap shorter than it sends nothing.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Debounce { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often pending problems are checked against the debounce.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this many notifications per user per hour; more are dropped and audited as suppressed.</summary>
    [Range(1, 1000)]
    public int RateLimitPerHour { get; set; } = 20;

    /// <summary>The dashboard's address as a phone reaches it (<c>https://homeops.example</c>): deep links in ntfy messages are absolute.</summary>
    public string? PublicBaseUrl { get; set; }

    public WebPushSettings WebPush { get; set; } = new();

    public NtfySettings Ntfy { get; set; } = new();

    /// <summary>Where subscriptions are kept; default <c>notifications.json</c> in <c>Operations:DataDirectory</c>.</summary>
    public string? StorePath { get; set; }
}

public sealed class WebPushSettings
{
    /// <summary>VAPID public key (base64url, uncompressed P-256 point). With the private key unset both are generated once and kept in the data directory.</summary>
    public string? PublicKey { get; set; }

    /// <summary>VAPID private key (base64url). Secret.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>The VAPID subject the push services may contact: <c>mailto:</c> or an https URL.</summary>
    public string Subject { get; set; } = "mailto:homeops@localhost";
}

public sealed class NtfySettings
{
    /// <summary>The ntfy server (<c>https://ntfy.home.example</c>); a user's topic is appended. Unset: ntfy is off.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Access token for the ntfy server (<c>Authorization: Bearer</c>). Secret.</summary>
    public string? Token { get; set; }
}
