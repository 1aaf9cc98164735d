namespace HomeOps.Dashboard.Notifications;

/// <summary>The device or service was told the subscription is gone (a push service's 404/410): drop it.</summary>
public sealed class SubscriptionGoneException(string endpoint) : Exception("The push subscription is gone.")
{
    public string Endpoint { get; } = endpoint;
}

/// <summary>One way to reach a user's phone. Returns how many deliveries were accepted; throws on a failure.</summary>
public interface INotificationChannel
{
    string Name { get; }

    /// <summary>Whether this subscription can be reached through the channel at all.</summary>
    bool Reaches(NotificationSubscription subscription);

    Task SendAsync(NotificationSubscription subscription, NotificationMessage message, CancellationToken ct);
}
