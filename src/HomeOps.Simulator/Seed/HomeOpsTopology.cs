namespace HomeOps.Simulator.Seed;

/// <summary>The fixed facts of the home-ops cluster (cluster brief §1, §5) that several seeds and scenarios share.</summary>
public static class HomeOpsTopology
{
    public static readonly IReadOnlyList<string> NodeNames = ["mini01", "mini02", "mini03"];

    public const string TalosVersion = "v1.10.5";
    public const string KubernetesVersion = "v1.31.1";
    public const string KernelVersion = "6.12.35-talos";
    public const string ContainerRuntime = "containerd://2.0.5";

    public static string NodeIPv4(string node) => $"172.29.51.{10 + NodeIndex(node) + 1}";

    public static string NodeIPv6(string node) => $"fd47:25e1:2f96:51::{10 + NodeIndex(node) + 1}";

    public static int NodeIndex(string node) => NodeNames.ToList().IndexOf(node) is var i and >= 0 ? i : throw new ArgumentException($"unknown node {node}");

    public const string BgpPeerAddress = "172.29.51.1";
    public const int PeerAsn = 64513;
    public const int LocalAsn = 64512;

    public const string FluxNamespace = "flux-system";
    public const string LonghornNamespace = "longhorn-system";
}
