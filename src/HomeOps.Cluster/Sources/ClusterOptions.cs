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

    /// <summary>The home-ops nodes: the default of <see cref="ExpectedNodes"/>.</summary>
    public static readonly IReadOnlyList<string> DefaultExpectedNodes = ["mini01", "mini02", "mini03"];

    /// <summary>
    /// Nodes the cluster is expected to have (<c>Cluster:ExpectedNodes</c>; the old <c>Dashboard:ExpectedNodes</c> is still
    /// read). A missing one makes the Nodes area Failed everywhere instead of being dropped from "n/total". Null or empty
    /// means <see cref="DefaultExpectedNodes"/> (binding a configured array must not append to a default one).
    /// </summary>
    public string[]? ExpectedNodes { get; set; }

    public IReadOnlyList<string> ExpectedNodeNames => ExpectedNodes is { Length: > 0 } e ? e : DefaultExpectedNodes;

    /// <summary>The problem with <paramref name="names"/> as expected node names, or null when they are valid.</summary>
    public static string? ValidateExpectedNodes(IReadOnlyList<string> names)
    {
        foreach (var name in names)
            if (!IsNodeName(name)) return $"'{name}' is not a Kubernetes node name (lowercase letters, digits, '-' and '.', at most 253)";
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? null : $"'{duplicate.Key}' is listed twice";
    }

    // A DNS-1123 subdomain, as Kubernetes requires of node names.
    private static bool IsNodeName(string name) =>
        name.Length is > 0 and <= 253 && name.Split('.').All(label =>
            label.Length is > 0 and <= 63 && char.IsAsciiLetterLower(label[0]) | char.IsAsciiDigit(label[0])
            && char.IsAsciiLetterLower(label[^1]) | char.IsAsciiDigit(label[^1])
            && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'));

    public override string ToString() =>
        $"Mode={Mode}, Kubeconfig={Kubeconfig}, Context={Context}, Backoff={BackoffInitial}..{BackoffMax}, StaleAfter={StaleAfter}, DiscoveryInterval={DiscoveryInterval}";
}
