namespace HomeOps.Operations.Flux;

/// <summary>A Flux object by kind, namespace and name; the kind decides its API group and version.</summary>
public sealed record FluxObjectRef(string Kind, string Namespace, string Name)
{
    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}

/// <summary>API coordinates of the Flux kinds the dashboard may patch (Flux v2.8 storage versions).</summary>
public static class FluxKinds
{
    public sealed record Api(string Group, string Version, string Plural);

    private static readonly Dictionary<string, Api> ByKind = new(StringComparer.Ordinal)
    {
        ["Kustomization"] = new("kustomize.toolkit.fluxcd.io", "v1", "kustomizations"),
        ["HelmRelease"] = new("helm.toolkit.fluxcd.io", "v2", "helmreleases"),
        ["GitRepository"] = new("source.toolkit.fluxcd.io", "v1", "gitrepositories"),
        ["HelmRepository"] = new("source.toolkit.fluxcd.io", "v1", "helmrepositories"),
        ["HelmChart"] = new("source.toolkit.fluxcd.io", "v1", "helmcharts"),
        ["OCIRepository"] = new("source.toolkit.fluxcd.io", "v1", "ocirepositories"),
        ["Bucket"] = new("source.toolkit.fluxcd.io", "v1", "buckets"),
    };

    public static Api? Find(string kind) => ByKind.GetValueOrDefault(kind);

    public static IEnumerable<string> Names => ByKind.Keys;
}
