using HomeOps.Cluster.Reports;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Notifications;

public static class NotificationServices
{
    /// <summary>The problem clock, the subscriptions, the two channels and the monitor (<c>Notifications:*</c>, checked at start).</summary>
    public static IServiceCollection AddDashboardNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.Ntfy.BaseUrl) || Uri.TryCreate(o.Ntfy.BaseUrl, UriKind.Absolute, out _),
                "Notifications:Ntfy:BaseUrl must be an absolute URL")
            .Validate(o => string.IsNullOrEmpty(o.PublicBaseUrl) || Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out _),
                "Notifications:PublicBaseUrl must be an absolute URL")
            .Validate(o => string.IsNullOrEmpty(o.WebPush.PublicKey) == string.IsNullOrEmpty(o.WebPush.PrivateKey),
                "Notifications:WebPush:PublicKey and PrivateKey are set together")
            .ValidateOnStart();
        services.TryAddSingleton<ProblemClock>();
        services.AddSingleton<SubscriptionStore>();
        // Sign-in and session revalidation report the roles they see: a subscriber who lost the viewer role gets nothing.
        services.AddSingleton<SubscriberEligibility>();
        services.AddSingleton<HomeOps.Dashboard.Auth.ISessionRoleObserver>(sp => sp.GetRequiredService<SubscriberEligibility>());
        services.AddSingleton(sp => VapidKeys.Resolve(sp.GetRequiredService<IOptions<NotificationOptions>>(),
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
        // No request logging: push endpoints and ntfy topics are capability URLs.
        services.AddHttpClient<WebPushChannel>(c => c.Timeout = TimeSpan.FromSeconds(15)).RemoveAllLoggers();
        services.AddHttpClient<NtfyChannel>(c => c.Timeout = TimeSpan.FromSeconds(15)).RemoveAllLoggers();
        services.AddSingleton<INotificationChannel>(sp => sp.GetRequiredService<WebPushChannel>());
        services.AddSingleton<INotificationChannel>(sp => sp.GetRequiredService<NtfyChannel>());
        services.AddSingleton<NotificationMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationMonitor>());
        return services;
    }
}
