using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using HomeOps.Simulator.Api;
using HomeOps.Simulator.Authentik;
using HomeOps.Simulator.Faults;
using HomeOps.Simulator.Kubeconfig;
using HomeOps.Simulator.Scenarios;
using HomeOps.Simulator.Seed;
using HomeOps.Simulator.Store;
using HomeOps.Simulator.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HomeOps.Simulator;

/// <summary>
/// The embedded simulator: a Kubernetes-API-compatible server and an Authentik-shaped REST API on one loopback
/// port, seeded with the home-ops cluster, with scenarios that move its state and faults that break its API.
/// Start it with <see cref="StartAsync"/>; point clients at <see cref="KubeconfigPath"/> (Kubernetes) and at
/// <see cref="AuthentikBaseUri"/> with <see cref="AuthentikToken"/> (Authentik).
/// Both APIs are served on two loopback ports: plain HTTP (<see cref="BaseUri"/>) and HTTPS
/// (<see cref="KubernetesUri"/>, which the kubeconfig names, because kubectl sends a kubeconfig's token only over TLS).
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _ownedDataDirectory;
    private readonly SimulatorCertificate _certificate;
    private readonly ILogger _log;
    private int _disposed;
    private ITimer? _compaction;

    private SimulatorHost(WebApplication app, SimulatorCertificate certificate, Uri baseUri, Uri kubernetesUri,
        string kubeconfigPath, string? ownedDataDirectory,
        string kubernetesToken, string authentikToken, ClusterObjectStore cluster, AuthentikState authentik,
        ScenarioEngine scenarios, FaultInjector faults, ILogger log)
    {
        _app = app;
        _certificate = certificate;
        BaseUri = baseUri;
        KubernetesUri = kubernetesUri;
        KubeconfigPath = kubeconfigPath;
        _ownedDataDirectory = ownedDataDirectory;
        KubernetesToken = kubernetesToken;
        AuthentikToken = authentikToken;
        Cluster = cluster;
        Authentik = authentik;
        Scenarios = scenarios;
        Faults = faults;
        _log = log;
    }

    /// <summary>The plain-HTTP server root, e.g. <c>http://127.0.0.1:41234/</c> (Kubernetes API with the bearer token, Authentik API).</summary>
    public Uri BaseUri { get; }

    /// <summary>The HTTPS server root the kubeconfig names, e.g. <c>https://127.0.0.1:41235/</c>; its CA is in the kubeconfig.</summary>
    public Uri KubernetesUri { get; }

    /// <summary>The CA certificate (PEM) of <see cref="KubernetesUri"/>.</summary>
    public string CertificateAuthorityPem => _certificate.AuthorityPem;

    /// <summary>A kubeconfig (context <c>home-ops-simulator</c>, current) for kubectl and KubernetesClient: <see cref="KubernetesUri"/>, its CA and the token.</summary>
    public string KubeconfigPath { get; }

    /// <summary>The bearer token of the kubeconfig's user. A secret: never log it.</summary>
    public string KubernetesToken { get; }

    /// <summary>Authentik's API is served on the same port, under <c>/api/v3/</c>.</summary>
    public Uri AuthentikBaseUri => BaseUri;

    /// <summary>The Authentik admin API token the simulator accepts. A secret: never log it.</summary>
    public string AuthentikToken { get; }

    /// <summary>The object store behind the Kubernetes API.</summary>
    public ClusterObjectStore Cluster { get; }

    /// <summary>The simulated Authentik (outposts, health, tokens).</summary>
    public AuthentikState Authentik { get; }

    public ScenarioEngine Scenarios { get; }

    public FaultInjector Faults { get; }

    /// <summary>Loopback listeners standing in for the LoadBalancer VIPs (<see cref="Network.LoopbackProbeTargets.Redirects"/>).</summary>
    public Network.LoopbackProbeTargets ProbeTargets { get; private init; } = null!;

    /// <summary>A Prometheus HTTP API root (route prefix <c>/prometheus</c>) serving the Cilium agents' BGP session metric.</summary>
    public Uri PrometheusUri => new(BaseUri, "prometheus/");

    /// <summary>
    /// The dashboard settings that point its network probes at <see cref="ProbeTargets"/> and its BGP session reader at
    /// <see cref="PrometheusUri"/> (merged into the configuration by the embedded mode; tests pass them too).
    /// </summary>
    public IReadOnlyDictionary<string, string?> ObservationSettings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Cluster:Bgp:PrometheusUrl"] = PrometheusUri.ToString(),
            // The seeded Ingress hosts (*.k8s.home.geoffdavis.com) do not resolve here; their VIP is probed instead.
            ["Cluster:Probes:Network:IngressHosts"] = "false",
        };
        var redirects = ProbeTargets.Redirects;
        for (var i = 0; i < redirects.Count; i++) settings[$"Cluster:Probes:Network:Redirects:{i}"] = redirects[i];
        return settings;
    }

    /// <summary>The API's shape: served versions, and kinds omitted (not installed) or forbidden — changeable while running.</summary>
    public ServedApi Api { get; private init; } = ServedApi.Default;

    public static async Task<SimulatorHost> StartAsync(SimulatorOptions options, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        var log = loggerFactory.CreateLogger<SimulatorHost>();
        var time = options.TimeProvider;

        var api = new ServedApi(options.Api);
        var cluster = new ClusterObjectStore(time, loggerFactory.CreateLogger<ClusterObjectStore>(), options.HistoryCapacity, api.Stored);
        // A CRD removed or a role tightened ends the open watches of that kind, as on a real API server.
        api.Changed += kind => cluster.DropWatches(kind);
        var seed = options.SeedDirectory is { Length: > 0 } directory
            ? SeedDirectoryLoader.Load(directory, loggerFactory.CreateLogger(typeof(SeedDirectoryLoader)))
            : ClusterSeed.Build(time.GetUtcNow());
        foreach (var obj in seed) cluster.Upsert(obj);
        var compaction = options.CompactionInterval > TimeSpan.Zero
            ? time.CreateTimer(_ => cluster.CompactOnSchedule(), null, options.CompactionInterval, options.CompactionInterval)
            : null;

        var kubernetesToken = NewToken();
        var authentikToken = options.AuthentikToken ?? NewToken();
        var authentik = new AuthentikState(time, authentikToken);
        var counters = new ApiCounters();
        var faults = new FaultInjector(cluster, counters, loggerFactory.CreateLogger<FaultInjector>());
        var certificate = SimulatorCertificate.Create(time.GetUtcNow());
        var probeTargets = Network.LoopbackProbeTargets.Start(cluster, certificate.Server, loggerFactory.CreateLogger<Network.LoopbackProbeTargets>());
        var scenarios = new ScenarioEngine(cluster, authentik, time, options.Scenarios.Seed, loggerFactory.CreateLogger<ScenarioEngine>(), probeTargets);

        var app = BuildApp(options, certificate, loggerFactory);
        new KubernetesApi(cluster, faults, api, DiscoveryDocuments.Load(api),
            new WatchStreamer(cluster, options.BookmarkInterval, time, loggerFactory.CreateLogger<WatchStreamer>()),
            kubernetesToken, time, loggerFactory.CreateLogger<KubernetesApi>()).Map(app);
        new AuthentikApi(authentik).Map(app);
        new PrometheusApi(cluster, time).Map(app);
        await app.StartAsync(cancellationToken);

        var baseUri = new Uri(app.Urls.First(u => u.StartsWith("http:", StringComparison.Ordinal)).TrimEnd('/') + "/");
        var kubernetesUri = new Uri(app.Urls.First(u => u.StartsWith("https:", StringComparison.Ordinal)).TrimEnd('/') + "/");
        var ownedDirectory = options.DataDirectory is null
            ? Path.Combine(Path.GetTempPath(), "homeops-simulator-" + Guid.NewGuid().ToString("N")[..12])
            : null;
        var kubeconfig = KubeconfigWriter.Write(options.DataDirectory ?? ownedDirectory!, kubernetesUri, kubernetesToken, certificate.AuthorityPem);

        var host = new SimulatorHost(app, certificate, baseUri, kubernetesUri, kubeconfig, ownedDirectory, kubernetesToken, authentikToken, cluster,
            authentik, scenarios, faults, log) { Api = api, _compaction = compaction, ProbeTargets = probeTargets };
        if (options.Scenarios.Enabled) scenarios.Start(options.Scenarios.Interval);
        log.LogInformation("Simulator serving the Kubernetes and Authentik APIs at {BaseUri} and {KubernetesUri} ({Objects} objects, scenarios {Scenarios})",
            baseUri, kubernetesUri, seed.Count, options.Scenarios.Enabled ? $"every {options.Scenarios.Interval}" : "off");
        log.LogInformation("Simulator kubeconfig written to {KubeconfigPath}", kubeconfig);
        return host;
    }

    /// <summary>
    /// Simulates an API-server restart: every watch connection is reset. With <paramref name="resetResourceVersions"/>
    /// the history is compacted too, so the resourceVersions clients hold yield 410 Expired.
    /// </summary>
    public Task RestartAsync(bool resetResourceVersions)
    {
        var dropped = Cluster.DropAllWatches(abortConnections: true);
        if (resetResourceVersions) Cluster.ExpireHistory();
        _log.LogInformation("Simulated API server restart: {Count} watches reset, resourceVersions {Reset}",
            dropped, resetResourceVersions ? "expired" : "kept");
        return Task.CompletedTask;
    }

    /// <summary>Reads an object the simulator serves (a convenience over <see cref="Cluster"/>).</summary>
    public JsonObject? Get(HomeOps.Cluster.Model.KindInfo kind, string? @namespace, string name) => Cluster.Get(kind, @namespace, name);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (_compaction is not null) await _compaction.DisposeAsync();
        await Scenarios.DisposeAsync();
        await ProbeTargets.DisposeAsync();
        // Open watch streams would otherwise hold shutdown until its timeout.
        Cluster.DropAllWatches();
        await _app.StopAsync(TimeSpan.FromSeconds(5));
        await _app.DisposeAsync();
        _certificate.Dispose();
        if (_ownedDataDirectory is not null)
        {
            try
            {
                Directory.Delete(_ownedDataDirectory, recursive: true);
            }
            catch (IOException e)
            {
                _log.LogDebug(e, "Could not remove {Directory}", _ownedDataDirectory);
            }
        }
    }

    private static WebApplication BuildApp(SimulatorOptions options, SimulatorCertificate certificate, ILoggerFactory loggerFactory)
    {
        // The simulator is embedded in other hosts: it must not pick up their appsettings, URLs or console lifetime.
        // An empty builder reads no environment at all; a slim one would take the host's ASPNETCORE_URLS (e.g. the
        // launch profile's) as its own and warn "Overriding address(es)" when it listens where it was told to below.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRouting();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var address = IPAddress.TryParse(options.Host, out var parsed) ? parsed : IPAddress.Loopback;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, options.Port);
            kestrel.Listen(address, options.TlsPort, listen => listen.UseHttps(certificate.Server));
        });
        return builder.Build();
    }

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>A host lifetime that leaves Ctrl+C and SIGTERM to the process that embeds the simulator.</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
