using HomeOps.Dashboard.Services;

namespace HomeOps.Dashboard;

public static class DashboardServices
{
    /// <summary>The UI's own services: options and per-circuit state. The store and sources are registered by HomeOps.Cluster.</summary>
    public static IServiceCollection AddDashboardUi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.Section));
        services.AddScoped<PageVisibility>();
        return services;
    }
}
