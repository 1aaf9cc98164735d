using Microsoft.Extensions.Configuration;

namespace HomeOps.Simulator;

/// <summary>
/// Settings of the embedded simulator, bound from the configuration section <c>Simulator</c>
/// (see the repository's <c>appsettings.json</c>).
/// </summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>TCP port on <see cref="Host"/>; 0 picks a free port (tests run in parallel).</summary>
    public int Port { get; set; }

    /// <summary>
    /// TCP port of the HTTPS endpoint the kubeconfig points at (kubectl sends credentials only over TLS);
    /// 0 picks a free port.
    /// </summary>
    public int TlsPort { get; set; }

    /// <summary>Loopback by default: the simulator accepts any bearer token it issued, so it must not listen publicly.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>A folder of <c>kubectl get -o json</c> dumps to start from instead of the built-in home-ops seed.</summary>
    public string? SeedDirectory { get; set; }

    /// <summary>Where the kubeconfig is written; a fresh temporary folder (removed on dispose) when empty.</summary>
    public string? DataDirectory { get; set; }

    public ScenarioOptions Scenarios { get; set; } = new();

    /// <summary>Which kinds the Kubernetes API serves, at which versions, and which it forbids (section <c>Simulator:Api</c>).</summary>
    public ApiOptions Api { get; set; } = new();

    /// <summary>The Authentik API token the simulator accepts; generated when empty.</summary>
    public string? AuthentikToken { get; set; }

    /// <summary>Number of watch events kept for resuming watches; older resourceVersions get 410 Expired.</summary>
    public int HistoryCapacity { get; set; } = 10_000;

    /// <summary>
    /// How often the history is compacted, as kube-apiserver compacts etcd (<c>--etcd-compaction-interval</c>, 5 minutes by
    /// default): each compaction forgets every revision older than the one the previous compaction saw, so resourceVersions
    /// live between one and two intervals. A watch from an older one gets an ERROR 410 event, a list or continue token 410.
    /// Zero turns it off (only <see cref="HistoryCapacity"/> bounds the history).
    /// </summary>
    public TimeSpan CompactionInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a watch with <c>allowWatchBookmarks</c> receives a BOOKMARK.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The simulation clock (timestamps, Authentik <c>last_seen</c>, token expiry). Not bound from configuration.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Reads the <c>Simulator</c> section; empty strings count as "not set".</summary>
    public static SimulatorOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new SimulatorOptions();
        configuration.GetSection(SectionName).Bind(options);
        options.SeedDirectory = NullIfBlank(options.SeedDirectory);
        options.DataDirectory = NullIfBlank(options.DataDirectory);
        options.AuthentikToken = NullIfBlank(options.AuthentikToken);
        return options;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>The background scenario loop: off in tests (they steer scenarios by name), on in the demo.</summary>
public sealed class ScenarioOptions
{
    public bool Enabled { get; set; }

    /// <summary>Seed of the deterministic scenario sequence: the same seed gives the same sequence.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Time between two scenario steps (a trigger or a recovery).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(6);
}

/// <summary>
/// The shape of the simulated API, so tests (and demos) can stand in for other clusters than the live one:
/// a newer Cilium that serves the BGPv2 kinds at <c>cilium.io/v2</c>, a cluster without a CRD, RBAC that forbids a kind.
/// Kinds are named by their key (<c>Node</c>, <c>Node.longhorn.io</c>, <c>CiliumBGPPeeringPolicy.cilium.io</c>), their
/// kind name (<c>ExternalSecret</c>) or their resource (<c>externalsecrets.external-secrets.io</c>, <c>services</c>).
/// </summary>
public sealed class ApiOptions
{
    /// <summary>
    /// <c>v2alpha1</c> (the live cluster, Cilium 1.17) or <c>v2</c> (Cilium ≥ 1.18): the version the BGPv2 kinds and
    /// CiliumLoadBalancerIPPool are served at. CiliumBGPPeeringPolicy never moved to v2; it stays at v2alpha1.
    /// </summary>
    public string CiliumVersion { get; set; } = "v2alpha1";

    /// <summary>Kinds the API does not serve at all (their CRD is not installed): 404 and absent from discovery.</summary>
    public List<string> Omit { get; set; } = [];

    /// <summary>Kinds RBAC forbids: listed by discovery (as on a real cluster) but every request answers 403.</summary>
    public List<string> Forbid { get; set; } = [];
}
