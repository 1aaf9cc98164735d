using System.Net;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;

namespace HomeOps.Dashboard.Notifications;

/// <summary>
/// Web Push (RFC 8030) with VAPID (RFC 8292); the payload is encrypted for the device (RFC 8291, aes128gcm) by
/// Lib.Net.Http.WebPush. A device the push service reports gone (404/410) is dropped from the subscription. Push
/// endpoints are capability URLs: only their host is ever logged.
/// </summary>
public sealed class WebPushChannel(HttpClient http, VapidKeys keys, SubscriptionStore store, ILogger<WebPushChannel> log) : INotificationChannel
{
    public string Name => "webpush";

    public bool Reaches(NotificationSubscription subscription) => subscription.Devices.Count > 0;

    public async Task SendAsync(NotificationSubscription subscription, NotificationMessage message, CancellationToken ct)
    {
        using var vapid = new VapidAuthentication(keys.PublicKey, keys.PrivateKey) { Subject = keys.Subject };
        var client = new PushServiceClient(http) { DefaultAuthentication = vapid, DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid };
        Exception? failure = null;
        foreach (var device in subscription.Devices)
        {
            var target = new PushSubscription { Endpoint = device.Endpoint };
            target.SetKey(PushEncryptionKeyName.P256DH, device.P256dh);
            target.SetKey(PushEncryptionKeyName.Auth, device.Auth);
            var push = new PushMessage(message.ToJson())
            {
                Topic = TopicOf(message.Tag),
                Urgency = message.Severity == "failed" ? PushMessageUrgency.High : PushMessageUrgency.Normal,
                TimeToLive = 3600,
            };
            try
            {
                await client.RequestPushMessageDeliveryAsync(target, push, ct);
            }
            catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                log.LogInformation("Push subscription of {User} at {Host} is gone; removed", subscription.User, HostOf(device.Endpoint));
                store.RemoveDevice(subscription.User, device.Endpoint);
            }
            catch (Exception e) when (e is PushServiceClientException or HttpRequestException or TaskCanceledException)
            {
                log.LogWarning("Push to {User} at {Host} failed: {Error}", subscription.User, HostOf(device.Endpoint), e.GetType().Name);
                failure = e;
            }
        }
        if (failure is not null) throw new InvalidOperationException("A push delivery failed.", failure);
    }

    public static string HostOf(string endpoint) => Uri.TryCreate(endpoint, UriKind.Absolute, out var u) ? u.Host : "(invalid)";

    // A push Topic header is at most 32 URL-safe base64 characters: a hash of the tag, so a newer message replaces an older one.
    private static string TopicOf(string tag) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(tag)))
            .Replace('+', '-').Replace('/', '_').TrimEnd('=')[..32];
}
