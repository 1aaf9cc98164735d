namespace HomeOps.Cluster.Sources;

/// <summary>How the dashboard reaches the Kubernetes API.</summary>
public enum ClusterMode
{
    /// <summary>The embedded simulator; the host starts it and fills <see cref="ClusterOptions.Kubeconfig"/> with its kubeconfig.</summary>
    Simulator,
    /// <summary>A kubeconfig file (path and optional context); empty path = <c>$KUBECONFIG</c> or <c>~/.kube/config</c>.</summary>
    Kubeconfig,
    /// <summary>The pod's service account.</summary>
    InCluster,
}

/// <summary>Configuration section <c>Cluster</c>.</summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    public ClusterMode Mode { get; set; } = ClusterMode.Simulator;

    /// <summary>Path of the kubeconfig file (Kubeconfig mode; in Simulator mode the host writes the simulator's path here).</summary>
    public string Kubeconfig { get; set; } = "";

    /// <summary>kubeconfig context; empty = the file's current-context.</summary>
    public string Context { get; set; } = "";

    /// <summary>First retry delay after a failure; doubles per consecutive failure (full jitter).</summary>
    public TimeSpan BackoffInitial { get; set; } = TimeSpan.FromSeconds(0.5);

    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A watch that delivers nothing (no event, no bookmark) for this long is treated as hung: the kind is marked
    /// Reconnecting and the watch is re-opened. The simulator sends bookmarks every second; a real kube-apiserver
    /// sends them about once a minute, so against a quiet real cluster a value above 60 s avoids needless reconnects.
    /// </summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How often a kind the API does not serve (404: CRD not installed) is looked for again.</summary>
    public TimeSpan NotInstalledRetry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often API discovery is asked again which group versions serve each kind, so that a CRD installed (or
    /// removed, or a Cilium upgrade moving the BGP kinds from v2alpha1 to v2) is picked up without a restart.
    /// </summary>
    public TimeSpan DiscoveryInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often node usage is read from <c>metrics.k8s.io</c> (metrics-server scrapes every 15 s; it has no watch).</summary>
    public TimeSpan MetricsPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Page size for list calls (client-go uses 500).</summary>
    public int ListPageSize { get; set; } = 500;

    public override string ToString() =>
        $"Mode={Mode}, Kubeconfig={Kubeconfig}, Context={Context}, Backoff={BackoffInitial}..{BackoffMax}, StaleAfter={StaleAfter}, DiscoveryInterval={DiscoveryInterval}";
}
