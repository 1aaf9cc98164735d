using HomeOps.Cluster.State;
using HomeOps.Operations.Audit;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Flux;
using HomeOps.Operations.Gates;
using HomeOps.Operations.Locking;
using HomeOps.Operations.Persistence;
using HomeOps.Operations.Runners;
using HomeOps.Operations.Timeline;
using HomeOps.Operations.Workflows;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace HomeOps.Operations;

public static class OperationsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the operations engine and its parts. Needs a <see cref="ClusterStore"/> in the container (the health
    /// model), and an <see cref="IKubernetes"/> for the Flux actions and for <c>Operations:Lock = Lease</c>.
    /// Configuration: <c>Operations:*</c> (<see cref="OperationsOptions"/>), <c>Database:ConnectionString</c>
    /// (PostgreSQL; SQLite file under Operations:DataDirectory otherwise), <c>Auth:StepUpMaxAge</c>. With an
    /// <see cref="IKubernetes"/> registered and <c>Operations:AuditEvents</c> on (the default), audit entries are also
    /// written as Kubernetes Events on their targets.
    /// </summary>
    public static IServiceCollection AddHomeOpsOperations(this IServiceCollection services, IConfiguration configuration, Action<OperationsOptions>? configure = null)
    {
        var operations = new OperationsOptions();
        // A misspelt lock ("Leese") must stop the start, not quietly become a per-process lock across replicas.
        ConfigurationEnum.Require<RunLockKind>(configuration, $"{OperationsOptions.Section}:{nameof(OperationsOptions.Lock)}");
        configuration.GetSection(OperationsOptions.Section).Bind(operations);
        if (configuration.GetValue<TimeSpan?>("Auth:StepUpMaxAge") is { } stepUp) operations.StepUpMaxAge = stepUp;
        configure?.Invoke(operations);
        var database = new DatabaseOptions();
        configuration.GetSection(DatabaseOptions.Section).Bind(database);

        services.AddSingleton(operations);
        services.AddSingleton(database);
        services.TryAddSingleton(TimeProvider.System);
        // talosctl with the workflows' talosconfig, through the local step runner: the etcd-healthy gate and the Talos feed.
        services.TryAddSingleton<HomeOps.Cluster.Talos.ITalosctl>(sp => new TalosctlStepRunner(() => sp.GetServices<IStepRunner>().FirstOrDefault(r => r.Name == "local"), operations));
        services.TryAddSingleton(sp => GateRegistry.CreateDefault(sp.GetService<HomeOps.Cluster.Sources.Probes.ReachabilityBoard>(),
            new TalosctlEtcdStatusSource(sp.GetRequiredService<HomeOps.Cluster.Talos.ITalosctl>()),
            sp.GetService<HomeOps.Cluster.Sources.Probes.IngressVipProbe>()));
        services.TryAddSingleton<IWorkflowCatalog>(sp => new WorkflowCatalog(sp.GetRequiredService<GateRegistry>(), operations.DefinitionsDirectory));
        services.TryAddSingleton<IClusterStateSource>(sp => new ClusterStoreStateSource(sp.GetRequiredService<ClusterStore>()));
        services.TryAddSingleton(sp => new OperationsDatabase(database, operations));
        services.TryAddSingleton<IAuditLog>(sp => new EfAuditLog(
            sp.GetRequiredService<OperationsDatabase>(), sp.GetServices<IAuditSink>(), sp.GetService<ILogger<EfAuditLog>>()));
        if (operations.AuditEvents)
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditSink, KubernetesEventAuditSink>(sp => new KubernetesEventAuditSink(
                () => sp.GetService<IKubernetes>(), operations.LeaseNamespace, operations.InstanceId, sp.GetService<ILogger<KubernetesEventAuditSink>>())));
        if (operations.InheritEnvironment.FirstOrDefault(SecretMasker.IsSecretKey) is { } secretName)
            throw new InvalidOperationException(
                $"Operations:InheritEnvironment names '{secretName}', which looks like a secret: step processes must not inherit secrets (give a step what it needs through its env:)");
        // Every configured secret is masked in step output (stored, streamed, API, log).
        services.TryAddSingleton(_ => SecretMasker.FromConfiguration(configuration));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStepRunner, LocalProcessRunner>(sp => new LocalProcessRunner(sp.GetRequiredService<TimeProvider>(), operations.InheritEnvironment, operations.OnePasswordTokenFile)));
        services.TryAddSingleton<IRunLock>(sp => operations.Lock == RunLockKind.Lease
            ? new KubernetesLeaseRunLock(sp.GetRequiredService<IKubernetes>(), operations.LeaseNamespace, operations.LeaseName, operations.InstanceId,
                operations.LeaseDuration, operations.LeaseRenewInterval, sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<KubernetesLeaseRunLock>>())
            : new InProcessRunLock());
        services.TryAddSingleton<IOperationsEngine>(sp => new WorkflowEngine(
            sp.GetRequiredService<IWorkflowCatalog>(), sp.GetRequiredService<GateRegistry>(), sp.GetRequiredService<IClusterStateSource>(),
            sp.GetRequiredService<OperationsDatabase>(), sp.GetRequiredService<IAuditLog>(), sp.GetRequiredService<IRunLock>(),
            sp.GetServices<IStepRunner>(), operations, sp.GetRequiredService<TimeProvider>(), sp.GetService<ILoggerFactory>(),
            sp.GetRequiredService<SecretMasker>(), sp.GetService<HomeOps.Cluster.Talos.TalosFeed>()));
        services.TryAddSingleton<IFluxObjectClient>(sp => new KubernetesFluxObjectClient(sp.GetRequiredService<IKubernetes>()));
        services.TryAddSingleton<IFluxActions>(sp => new FluxActions(sp.GetRequiredService<IFluxObjectClient>(), sp.GetRequiredService<IAuditLog>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<OperationsEngineHostedService>();
        services.AddChangeTimeline(configuration);
        return services;
    }

    /// <summary>
    /// The change timeline (<c>Timeline:*</c>) in the operations database: the reader, and unless
    /// <c>Timeline:Enabled</c> is false the recorder (a hosted service started after the engine, which creates the
    /// schema) and the audit sink that puts the dashboard's own actions on it. Options are validated here, at start.
    /// </summary>
    private static void AddChangeTimeline(this IServiceCollection services, IConfiguration configuration)
    {
        var timeline = new TimelineOptions();
        configuration.GetSection(TimelineOptions.Section).Bind(timeline);
        if (timeline.Validate() is { } problem) throw new InvalidOperationException(problem);
        services.AddSingleton(timeline);
        services.TryAddSingleton<ITimelineLog>(sp => new EfTimelineLog(sp.GetRequiredService<OperationsDatabase>()));
        if (!timeline.Enabled)
        {
            services.TryAddSingleton<ITimelineFeed, NoTimelineFeed>();
            return;
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWarningEventSource, StoreWarningEventSource>());
        services.TryAddSingleton(sp => new TimelineRecorder(sp.GetRequiredService<ClusterStore>(), sp.GetRequiredService<OperationsDatabase>(),
            timeline, sp.GetRequiredService<TimeProvider>(), sp.GetServices<IWarningEventSource>(), sp.GetService<ILogger<TimelineRecorder>>()));
        services.TryAddSingleton<ITimelineFeed>(sp => sp.GetRequiredService<TimelineRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<TimelineRecorder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditSink, TimelineAuditSink>(sp => new TimelineAuditSink(sp.GetRequiredService<TimelineRecorder>())));
    }
}
