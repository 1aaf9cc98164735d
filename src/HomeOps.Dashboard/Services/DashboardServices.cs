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
        // The slow-burn radar's page and tile; the operations host adds the credential feed (AddExpiryRadar), which wins.
        services.AddOptions<HomeOps.Cluster.Reports.RadarOptions>();
        services.TryAddSingleton<HomeOps.Cluster.Sources.Credentials.ICredentialSource, HomeOps.Cluster.Sources.Credentials.NoCredentialSource>();
        services.TryAddSingleton<HomeOps.Cluster.Sources.Credentials.RadarReader>();
        // Scoped like PageVisibility: Blazor resolves circuit handlers from the circuit's own scope.
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, PauseWhileDisconnected>());
        // How many circuits the process holds, connected or kept after their browser left (/metrics).
        services.TryAddSingleton<CircuitCensus>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CircuitCensusHandler>());
        return services;
    }
}
