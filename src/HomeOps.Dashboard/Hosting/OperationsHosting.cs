using HomeOps.Cluster.Sources;
using HomeOps.Dashboard.Endpoints;
using HomeOps.Dashboard.Operations;
using HomeOps.Operations;
using HomeOps.Operations.Runners;
using HomeOps.Simulator.OpsCommands;
using k8s;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HomeOps.Dashboard.Hosting;

/// <summary>
/// Guarded operations (issue 4): the engine and its parts (HomeOps.Operations), the Kubernetes client it patches Flux
/// objects and holds its Lease with, the audit of refused requests, and — in simulator mode — the stand-in tools and
/// simulated Flux controllers, so the buttons act on the simulated cluster through real processes.
/// </summary>
public static class OperationsHosting
{
    public static WebApplicationBuilder AddDashboardOperations(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        var mode = configuration.GetValue<ClusterMode?>($"{ClusterOptions.Section}:{nameof(ClusterOptions.Mode)}") ?? ClusterMode.Simulator;
        var standInOptions = configuration.GetSection(StandInOptions.Section).Get<StandInOptions>() ?? new StandInOptions();
        var useStandIns = standInOptions.Enabled ?? mode == ClusterMode.Simulator;
        var clusterKubeconfig = configuration[$"{ClusterOptions.Section}:{nameof(ClusterOptions.Kubeconfig)}"];

        string dataDirectory = "";
        services.AddHomeOpsOperations(configuration, o =>
        {
            // data/ under the content root unless configured (a relative setting is relative to the content root too).
            var configured = configuration[$"{OperationsOptions.Section}:{nameof(OperationsOptions.DataDirectory)}"];
            o.DataDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "data" : configured, builder.Environment.ContentRootPath);
            dataDirectory = o.DataDirectory;
            // The workflows' {kubeconfig} is the cluster the dashboard watches, unless configured separately.
            if (!o.Variables.ContainsKey("kubeconfig") && !string.IsNullOrWhiteSpace(clusterKubeconfig))
                o.Variables["kubeconfig"] = clusterKubeconfig;
            // In a pod, replicas must share the one-destructive-run lock: a Lease unless the lock is configured explicitly.
            if (mode == ClusterMode.InCluster && string.IsNullOrWhiteSpace(configuration[$"{OperationsOptions.Section}:{nameof(OperationsOptions.Lock)}"]))
                o.Lock = "Lease";
            if (useStandIns)
            {
                o.HomeOpsCheckout ??= StandInInstaller.CreateSimulatedCheckout(SimulatorStandIns.CheckoutUnder(o.DataDirectory));
                o.Lock = "InProcess";
            }
        });

        // One client for Flux actions and the Lease, from the same factory (and configuration) the informers use.
        services.TryAddSingleton<IKubernetes>(sp => sp.GetRequiredService<KubernetesClientFactory>().Create());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, OperatorRefusalAudit>();

        if (useStandIns)
        {
            services.AddSingleton(standInOptions);
            services.AddSingleton(sp => new SimulatorStandIns(standInOptions, dataDirectory,
                string.IsNullOrWhiteSpace(clusterKubeconfig) ? "" : clusterKubeconfig, sp.GetRequiredService<ILogger<SimulatorStandIns>>()));
            // Replace the plain local runner: same process runner, the stand-ins first on PATH.
            services.RemoveAll<IStepRunner>();
            services.AddSingleton<IStepRunner>(sp => new StandInStepRunner(
                new LocalProcessRunner(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<OperationsOptions>().InheritEnvironment),
                sp.GetRequiredService<SimulatorStandIns>()));
            services.AddHostedService<StandInBackground>();
        }
        return builder;
    }

    public static WebApplication MapOperationsEndpoints(this WebApplication app)
    {
        app.MapOperationsApi();
        return app;
    }
}
