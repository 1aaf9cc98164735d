using HomeOps.Cluster.Reports;
using HomeOps.Cluster.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Sources.Credentials;

/// <summary>The radar as of now, for the dashboard's page, tile, API and <c>/metrics</c>: one computation over the store and the credential feed.</summary>
public sealed class RadarReader(ClusterStore store, ICredentialSource credentials, IOptions<RadarOptions> options)
{
    public ICredentialSource Credentials => credentials;

    public ExpiryRadar Current() => For(store.Value);

    /// <summary>The radar over a given state (a component's last rendered one) with the credentials as last read.</summary>
    public ExpiryRadar For(ClusterState clusterState) =>
        ExpiryRadar.Compute(new RadarInputs(clusterState, credentials.Current, options.Value, store.Time.GetUtcNow()));
}

public static class RadarServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RadarOptions"/> (validated at start), the <see cref="CredentialFeed"/> as a hosted service and the
    /// <see cref="RadarReader"/>. <paramref name="talosconfigPath"/> names the talosconfig the workflows use (null: none).
    /// </summary>
    public static IServiceCollection AddExpiryRadar(this IServiceCollection services, IConfiguration configuration,
        Func<IServiceProvider, string?> talosconfigPath)
    {
        services.AddOptions<RadarOptions>().Bind(configuration.GetSection(RadarOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RadarOptions>, RadarOptionsValidation>());
        services.TryAddSingleton(sp => new CredentialFeed(sp.GetRequiredService<KubernetesClientFactory>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value, () => talosconfigPath(sp),
            sp.GetRequiredService<IOptions<RadarOptions>>().Value, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CredentialFeed>>()));
        services.AddHostedService(sp => sp.GetRequiredService<CredentialFeed>());
        // Not TryAdd: this wins over a host's fallback (NoCredentialSource) registered earlier.
        services.AddSingleton<ICredentialSource>(sp => sp.GetRequiredService<CredentialFeed>());
        services.TryAddSingleton<RadarReader>();
        return services;
    }
}
