using k8s;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// KubernetesClient reads every response with one shared <see cref="System.Text.Json.JsonSerializerOptions"/> whose
/// MaxDepth is System.Text.Json's default of 64. kube-apiserver accepts objects nested up to 10,000 levels (a HelmRelease's
/// free-form <c>spec.values</c> can be deep), and one such object would make its whole list unreadable: the kind
/// would never sync. So the client is told to read as deep as the API server writes, once, before its first use.
/// The options freeze on first use; if something used them earlier, this logs nothing and returns false, and the
/// informers still cope (an unreadable line ends its session, an unreadable list is reported as the kind's error).
/// </summary>
public static class KubernetesJsonDepth
{
    /// <summary>kube-apiserver's own decoding limit (k8s.io/apimachinery).</summary>
    public const int ApiServerMaxDepth = 10_000;

    private static readonly Lazy<bool> Raised = new(Raise, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when KubernetesClient now reads objects as deep as kube-apiserver accepts.</summary>
    public static bool EnsureApiServerDepth() => Raised.Value;

    private static bool Raise()
    {
        try
        {
            KubernetesJson.AddJsonOptions(o =>
            {
                if (o.MaxDepth < ApiServerMaxDepth) o.MaxDepth = ApiServerMaxDepth;
            });
            return true;
        }
        catch (InvalidOperationException)
        {
            // Already used (read-only): keep the default.
            return false;
        }
    }
}
