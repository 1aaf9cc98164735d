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
            // The user's data directory unless configured (a relative setting is relative to the content root): the quick
            // start's content root is the source tree, which must stay clean.
            o.DataDirectory = DataDirectory(configuration, builder.Environment);
            dataDirectory = o.DataDirectory;
            // The workflows' {kubeconfig} is the cluster the dashboard watches, unless configured separately.
            if (!o.Variables.ContainsKey("kubeconfig") && !string.IsNullOrWhiteSpace(clusterKubeconfig))
                o.Variables["kubeconfig"] = clusterKubeconfig;
            // In a pod, replicas must share the one-destructive-run lock: a Lease unless the lock is configured explicitly.
            if (mode == ClusterMode.InCluster && string.IsNullOrWhiteSpace(configuration[$"{OperationsOptions.Section}:{nameof(OperationsOptions.Lock)}"]))
                o.Lock = RunLockKind.Lease;
            // In the pod, station-only workflows are refused before they start (runsOn in the definitions).
            if (mode == ClusterMode.InCluster && string.IsNullOrWhiteSpace(configuration[$"{OperationsOptions.Section}:{nameof(OperationsOptions.RunsInCluster)}"]))
                o.RunsInCluster = true;
            if (useStandIns)
            {
                o.HomeOpsCheckout ??= StandInInstaller.CreateSimulatedCheckout(SimulatorStandIns.CheckoutUnder(o.DataDirectory));
                // One process by default; an explicit Operations:Lock=Lease wins (the simulator serves Leases: two
                // replicas against it share the lock as they would in a cluster).
                if (string.IsNullOrWhiteSpace(configuration[$"{OperationsOptions.Section}:{nameof(OperationsOptions.Lock)}"]))
                    o.Lock = RunLockKind.InProcess;
            }
        });

        // One client for Flux actions and the Lease, from the same factory (and configuration) the informers use.
        services.TryAddSingleton<IKubernetes>(sp => sp.GetRequiredService<KubernetesClientFactory>().Create());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, OperatorRefusalAudit>();

        if (useStandIns)
        {
            var simulatorKubeconfig = string.IsNullOrWhiteSpace(standInOptions.Kubeconfig) ? clusterKubeconfig : standInOptions.Kubeconfig;
            services.AddSingleton(standInOptions);
            services.AddSingleton(sp => new SimulatorStandIns(standInOptions, dataDirectory,
                string.IsNullOrWhiteSpace(simulatorKubeconfig) ? "" : simulatorKubeconfig, sp.GetRequiredService<ILogger<SimulatorStandIns>>()));
            // Replace the plain local runner: same process runner, the stand-ins first on PATH.
            services.RemoveAll<IStepRunner>();
            services.AddSingleton<IStepRunner>(sp => new StandInStepRunner(
                new LocalProcessRunner(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<OperationsOptions>().InheritEnvironment, sp.GetRequiredService<OperationsOptions>().OnePasswordTokenFile),
                sp.GetRequiredService<SimulatorStandIns>()));
            services.AddHostedService<StandInBackground>();
            // The ingress VIP probe asks the simulated network (assigned, announced by BGP, port exposed), not the LAN.
            services.RemoveAll<HomeOps.Cluster.Sources.Probes.IReachabilityProber>();
            services.AddSingleton<HomeOps.Cluster.Sources.Probes.IReachabilityProber>(
                new HomeOps.Simulator.Network.SimulatedNetworkProber(string.IsNullOrWhiteSpace(simulatorKubeconfig) ? "" : simulatorKubeconfig));
        }
        // The Talos feed polls talosctl through the same runner and talosconfig (the stand-in in simulator mode).
        HomeOps.Cluster.Talos.TalosServiceCollectionExtensions.AddTalosFeed(services, configuration);
        // The slow-burn radar reads the same talosconfig's client certificate (the stand-in's in simulator mode).
        HomeOps.Cluster.Sources.Credentials.RadarServiceCollectionExtensions.AddExpiryRadar(services, configuration, sp =>
            sp.GetRequiredService<OperationsOptions>().HomeOpsCheckout is { Length: > 0 } checkout
                ? Path.Combine(Path.GetFullPath(checkout), HomeOps.Operations.Gates.TalosctlStepRunner.TalosconfigPath)
                : null);
        return builder;
    }

    /// <summary>
    /// The data directory every part of the dashboard uses (operations database, stand-ins, data-protection keys and
    /// their generated certificate): Operations:DataDirectory, relative to the content root, else
    /// <see cref="DefaultDataDirectory"/>.
    /// </summary>
    public static string DataDirectory(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[$"{OperationsOptions.Section}:{nameof(OperationsOptions.DataDirectory)}"];
        return string.IsNullOrWhiteSpace(configured)
            ? DefaultDataDirectory(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile))
            : Path.GetFullPath(configured, environment.ContentRootPath);
    }

    /// <summary>
    /// <c>$XDG_DATA_HOME/homeops-dashboard</c>, else <c>~/.local/share/homeops-dashboard</c> (the XDG base directory
    /// spec; a relative XDG_DATA_HOME is invalid and ignored), else a folder under the temp directory when there is no home.
    /// </summary>
    public static string DefaultDataDirectory(Func<string, string?> environment, string? home) =>
        OperationsOptions.DefaultDataDirectory(environment, home);

    public static WebApplication MapOperationsEndpoints(this WebApplication app)
    {
        app.MapOperationsApi();
        return app;
    }
}
