using System.Text.Json;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// How the informers read JSON. kube-apiserver accepts objects nested up to 10,000 levels (a HelmRelease's free-form
/// <c>spec.values</c> can be deep), while System.Text.Json stops at 64 by default: one such object would make its whole
/// list unreadable and the kind would never sync. The informers read lists and watch lines themselves, with these
/// options, so the higher limit stays theirs — KubernetesClient's process-wide <c>KubernetesJson</c> options are not touched.
/// </summary>
public static class InformerJson
{
    /// <summary>kube-apiserver's own decoding limit (k8s.io/apimachinery).</summary>
    public const int ApiServerMaxDepth = 10_000;

    /// <summary>For parsing a list page or a watch line.</summary>
    public static readonly JsonDocumentOptions Document = new() { MaxDepth = ApiServerMaxDepth };

    /// <summary>For the few typed reads (the Status of a watch ERROR event).</summary>
    public static readonly JsonSerializerOptions Serializer = new() { MaxDepth = ApiServerMaxDepth };
}
