using HomeOps.Dashboard.Circuits;
using HomeOps.Dashboard.Services;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HomeOps.Dashboard;

public static class DashboardServices
{
    /// <summary>The UI's own services: options and per-circuit state. The store and sources are registered by HomeOps.Cluster.</summary>
    public static IServiceCollection AddDashboardUi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.Section));
        services.AddScoped<PageVisibility>();
        services.TryAddSingleton<PodLogAccess>();
        // When each current problem began (the overview's "for 4 min"); observed by the notification monitor.
        services.TryAddSingleton<HomeOps.Cluster.Reports.ProblemClock>();
        // Scoped like PageVisibility: Blazor resolves circuit handlers from the circuit's own scope.
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, PauseWhileDisconnected>());
        return services;
    }
}
