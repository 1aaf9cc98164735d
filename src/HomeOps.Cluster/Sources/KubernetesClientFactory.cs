using k8s;
using Microsoft.Extensions.Options;

namespace HomeOps.Cluster.Sources;

/// <summary>Builds the one <see cref="Kubernetes"/> client of the process from <see cref="ClusterOptions"/>.</summary>
public sealed class KubernetesClientFactory(IOptions<ClusterOptions> options)
{
    private readonly ClusterOptions _options = options.Value;

    public KubernetesClientConfiguration BuildConfiguration()
    {
        var context = string.IsNullOrWhiteSpace(_options.Context) ? null : _options.Context;
        return _options.Mode switch
        {
            ClusterMode.InCluster => KubernetesClientConfiguration.InClusterConfig(),
            // The simulator writes an ordinary kubeconfig; the host puts its path in Cluster:Kubeconfig before services are built.
            ClusterMode.Simulator when string.IsNullOrWhiteSpace(_options.Kubeconfig) => throw new InvalidOperationException(
                "Cluster:Mode is Simulator but Cluster:Kubeconfig is empty: the host must start the simulator and set its kubeconfig path first."),
            ClusterMode.Simulator => KubernetesClientConfiguration.BuildConfigFromConfigFile(_options.Kubeconfig, context),
            ClusterMode.Kubeconfig => KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath(), context),
            _ => throw new InvalidOperationException($"Unknown Cluster:Mode '{_options.Mode}'."),
        };
    }

    public IKubernetes Create() => new Kubernetes(BuildConfiguration());

    /// <summary>Describes the target without secrets (for logs).</summary>
    public string Describe() => _options.Mode switch
    {
        ClusterMode.InCluster => "in-cluster service account",
        _ => $"kubeconfig {KubeconfigPath()}{(string.IsNullOrWhiteSpace(_options.Context) ? "" : $" (context {_options.Context})")}",
    };

    private string KubeconfigPath()
    {
        if (!string.IsNullOrWhiteSpace(_options.Kubeconfig)) return _options.Kubeconfig;
        // kubectl's rules: the first file of $KUBECONFIG, else ~/.kube/config.
        var env = Environment.GetEnvironmentVariable("KUBECONFIG");
        var first = env?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first ?? KubernetesClientConfiguration.KubeConfigDefaultLocation;
    }
}
