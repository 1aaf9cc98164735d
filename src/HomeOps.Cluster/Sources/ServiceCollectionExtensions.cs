using System.Net.Http.Headers;
using HomeOps.Cluster.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Sources;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the data path's sources and store: options (<c>Cluster</c>, <c>Authentik</c>), the process-wide
    /// <see cref="ClusterStore"/> (also as <see cref="IState{ClusterState}"/> and <see cref="IDispatcher"/>), the
    /// Kubernetes client factory, the informers and the Authentik poller as hosted services.
    /// In Simulator mode the host must set <c>Cluster:Kubeconfig</c> to the simulator's kubeconfig before building services.
    /// </summary>
    public static IServiceCollection AddClusterSources(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterOptions>()
            .Bind(configuration.GetSection(ClusterOptions.Section))
            // Before the setting moved here (the CLI and every consumer need it, not only the UI) it was Dashboard:ExpectedNodes.
            .PostConfigure(o =>
            {
                if (o.ExpectedNodes is not { Length: > 0 })
                    o.ExpectedNodes = configuration.GetSection("Dashboard:ExpectedNodes").Get<string[]>();
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ExpectedNodesValidation>());
        services.AddOptions<AuthentikOptions>().Bind(configuration.GetSection(AuthentikOptions.Section));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ClusterStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IState<ClusterState>>(sp => sp.GetRequiredService<ClusterStore>());
        services.TryAddSingleton<IDispatcher>(sp => sp.GetRequiredService<ClusterStore>());

        services.TryAddSingleton<KubernetesClientFactory>();
        // Container logs on demand (operators only; the dashboard checks the role and masks secrets before a line leaves it).
        services.AddOptions<PodLogOptions>().Bind(configuration.GetSection(PodLogOptions.Section))
            .Validate(o => PodLogOptions.Validate(o) is null, "Logs: invalid settings (TailLines ≥ 1, MaxLines ≥ TailLines and ≤ 100000, MaxLineLength 80–65536)")
            .ValidateOnStart();
        services.TryAddSingleton<PodLogReader>();
        services.TryAddSingleton<InformerHost>();
        services.AddHostedService(sp => sp.GetRequiredService<InformerHost>());

        services.AddHttpClient<AuthentikClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<AuthentikOptions>>().Value;
                if (options.IsConfigured)
                    http.BaseAddress = new Uri(options.BaseUrl.EndsWith('/') ? options.BaseUrl : options.BaseUrl + "/");
                if (!string.IsNullOrEmpty(options.Token))
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
                http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            })
            .ConfigurePrimaryHttpMessageHandler(sp => AuthentikTrust.CreateHandler(sp.GetRequiredService<IOptions<AuthentikOptions>>().Value))
            .AddStandardResilienceHandler(o =>
            {
                // Polls repeat anyway: fail within one poll interval or two rather than retrying for long.
                o.Retry.MaxRetryAttempts = 2;
                o.Retry.Delay = TimeSpan.FromMilliseconds(500);
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(25);
            });

        services.TryAddSingleton<AuthentikPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<AuthentikPoller>());

        // The ingress VIP reachability probe (a TCP connect from where the dashboard runs); the simulator replaces the prober.
        services.AddOptions<Probes.IngressVipProbeOptions>().Bind(configuration.GetSection(Probes.IngressVipProbeOptions.Section));
        services.TryAddSingleton(sp => new Probes.ReachabilityBoard(sp.GetRequiredService<IOptions<Probes.IngressVipProbeOptions>>().Value));
        services.TryAddSingleton<Probes.IReachabilityProber, Probes.TcpReachabilityProber>();
        services.TryAddSingleton<Probes.IngressVipProbe>();
        services.AddHostedService(sp => sp.GetRequiredService<Probes.IngressVipProbe>());

        // Black-box probes of every VIP and host (DNS, TCP, TLS, HTTP) from where the dashboard runs; BGP sessions from Prometheus.
        services.AddOptions<Probes.NetworkProbeOptions>().Bind(configuration.GetSection(Probes.NetworkProbeOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Probes.NetworkProbeOptions>, Probes.NetworkProbeOptionsValidation>());
        services.TryAddSingleton<Probes.INetworkProber, Probes.NetworkProber>();
        services.TryAddSingleton<Probes.NetworkProbe>();
        services.AddHostedService(sp => sp.GetRequiredService<Probes.NetworkProbe>());
        services.AddOptions<BgpSessionOptions>().Bind(configuration.GetSection(BgpSessionOptions.Section));
        services.AddHttpClient(nameof(BgpSessionPoller), http => http.Timeout = TimeSpan.FromSeconds(10));
        services.TryAddSingleton<BgpSessionPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<BgpSessionPoller>());

        // Backups as a health verdict: each volume's last backup against its recurring-job group's max age (README).
        services.AddOptions<Health.BackupOptions>().Bind(configuration.GetSection(Health.BackupOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Health.BackupOptions>, BackupOptionsValidation>());
        services.TryAddSingleton<BackupPolicyEvaluator>();
        services.AddHostedService(sp => sp.GetRequiredService<BackupPolicyEvaluator>());
        return services;
    }
}

/// <summary>Refuses to start with expected node names no node could have (a typo would report a node missing forever).</summary>
internal sealed class ExpectedNodesValidation : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options) =>
        ClusterOptions.ValidateExpectedNodes(options.ExpectedNodeNames) is { } problem
            ? ValidateOptionsResult.Fail($"Cluster:ExpectedNodes: {problem}")
            : ValidateOptionsResult.Success;
}

/// <summary>Refuses to start with a backup threshold that would make every backup overdue (or none ever).</summary>
internal sealed class BackupOptionsValidation : IValidateOptions<Health.BackupOptions>
{
    public ValidateOptionsResult Validate(string? name, Health.BackupOptions options) =>
        options.Validate() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
