namespace HomeOps.Simulator.Seed;

/// <summary>One Flux Kustomization of the home-ops repository (cluster brief §3.2).</summary>
public sealed record KustomizationSpec(
    string Name,
    string Path,
    IReadOnlyList<string> DependsOn,
    string Interval,
    string Timeout,
    string RetryInterval);

/// <summary>One active HelmRelease (cluster brief §3.4).</summary>
public sealed record HelmReleaseSpec(
    string Namespace,
    string Name,
    string Chart,
    string Version,
    string SourceKind,
    string SourceName,
    string Interval,
    string? Timeout,
    int Retries);

/// <summary>
/// The Flux objects of the home-ops repository at HEAD: the 32 Kustomizations with their real <c>dependsOn</c>
/// graph (names expanded from the brief's abbreviations) and the active HelmReleases.
/// </summary>
public static class FluxCatalogue
{
    public const string RootName = "flux-system";

    /// <summary>The commit the simulated cluster is synced to (HEAD 970b712 of geoffdavis/talos-gitops).</summary>
    public static readonly string Revision = "main@sha1:970b712" + SeedIds.Hex("talos-gitops/HEAD", 33);

    public static readonly IReadOnlyList<KustomizationSpec> Kustomizations =
    [
        new(RootName, "./clusters/home-ops", [], "10m", "10m", "2m"),
        Infra("sources", "./infrastructure/sources", [], "5m"),
        Infra("external-secrets", "./infrastructure/external-secrets", ["sources"], "10m"),
        Infra("onepassword", "./infrastructure/onepassword-connect", ["external-secrets"], "10m"),
        Infra("cnpg-barman-plugin", "./infrastructure/cnpg-barman-plugin", ["cnpg-operator"], "10m"),
        Infra("metrics-server", "./infrastructure/metrics-server", ["sources"], "10m"),
        Infra("volume-snapshots", "./infrastructure/volume-snapshots", ["sources"], "15m"),
        Infra("longhorn", "./infrastructure/longhorn", ["volume-snapshots", "cilium-bgp"], "20m", retry: "3m"),
        Infra("monitoring", "./infrastructure/monitoring", ["sources"], "15m"),
        Infra("cert-manager", "./infrastructure/cert-manager", ["onepassword"], "15m"),
        Infra("cert-manager-issuers", "./infrastructure/cert-manager-issuers", ["cert-manager"], "10m"),
        Infra("cilium-pools", "./infrastructure/cilium-pools", ["sources"], "5m", retry: "1m"),
        Infra("ingress-nginx", "./infrastructure/ingress-nginx", ["cert-manager"], "15m"),
        Infra("ingress-nginx-internal", "./infrastructure/ingress-nginx-internal", ["cert-manager"], "15m"),
        Infra("ingress-nginx-public", "./infrastructure/ingress-nginx-public", ["cert-manager"], "15m"),
        Infra("external-dns", "./infrastructure/external-dns", ["onepassword"], "10m"),
        Infra("external-dns-unifi", "./infrastructure/external-dns-unifi", ["onepassword"], "10m"),
        Infra("external-dns-internal", "./infrastructure/external-dns-internal", ["external-dns-unifi", "onepassword"], "10m"),
        Infra("cloudflare-tunnel", "./infrastructure/cloudflare-tunnel", ["onepassword"], "10m"),
        Infra("cilium", "./infrastructure/cilium", ["cert-manager"], "5m", retry: "1m"),
        Infra("cilium-bgp", "./infrastructure/cilium-bgp", ["cilium-pools", "onepassword"], "5m", retry: "1m"),
        Infra("hubble", "./infrastructure/hubble", ["ingress-nginx-internal", "cert-manager"], "10m"),
        Infra("flux-webhook", "./infrastructure/flux-webhook",
            ["ingress-nginx-public", "cert-manager", "onepassword", "external-dns", "cloudflare-tunnel"], "10m"),
        Infra("cnpg-operator", "./infrastructure/cnpg-operator", ["sources"], "15m"),
        Infra("postgresql-cluster", "./infrastructure/postgresql-cluster", ["cnpg-operator", "longhorn", "onepassword"], "10m"),
        Infra("cnpg-monitoring", "./infrastructure/cnpg-monitoring", ["cnpg-operator", "monitoring", "postgresql-cluster"], "10m"),
        Infra("authentik", "./infrastructure/authentik",
            ["sources", "postgresql-cluster", "external-secrets", "cert-manager", "ingress-nginx-internal"], "15m"),
        Infra("authentik-proxy", "./infrastructure/authentik-proxy",
            ["sources", "external-secrets", "cert-manager", "ingress-nginx-internal", "authentik"], "15m"),
        Infra("authentik-outpost-config", "./infrastructure/authentik-outpost-config",
            ["authentik", "external-secrets", "onepassword"], "15m", interval: "30m"),
        App("dashboard", ["ingress-nginx"], "5m", "1m"),
        App("headlamp", ["ingress-nginx-internal", "cert-manager", "external-secrets"], "5m", "1m"),
        App("home-automation", ["postgresql-cluster", "longhorn", "ingress-nginx-internal", "cert-manager"], "15m", "2m"),
    ];

    public static readonly IReadOnlyList<HelmReleaseSpec> HelmReleases =
    [
        new("external-secrets-system", "external-secrets", "external-secrets", "0.20.4", "HelmRepository", "external-secrets", "30m", null, 0),
        new("kube-system", "metrics-server", "metrics-server", "3.13.0", "HelmRepository", "metrics-server", "30m", null, 0),
        new("volume-snapshot-system", "snapshot-controller", "snapshot-controller", "4.2.0", "HelmRepository", "piraeus", "30m", "15m", 3),
        new("longhorn-system", "longhorn", "longhorn", "1.10.1", "HelmRepository", "longhorn", "30m", "20m", 3),
        new("monitoring", "kube-prometheus-stack", "kube-prometheus-stack", "75.18.1", "HelmRepository", "prometheus-community", "30m", "30m", 3),
        new("cert-manager", "cert-manager", "cert-manager", "v1.19.1", "HelmRepository", "jetstack", "30m", "15m", 3),
        new("ingress-nginx", "ingress-nginx", "ingress-nginx", "4.14.0", "HelmRepository", "ingress-nginx", "30m", "15m", 3),
        new("ingress-nginx-internal", "ingress-nginx-internal", "ingress-nginx", "4.14.0", "HelmRepository", "ingress-nginx", "30m", "15m", 3),
        new("ingress-nginx-public", "ingress-nginx-public", "ingress-nginx", "4.14.0", "HelmRepository", "ingress-nginx", "30m", "15m", 3),
        new("external-dns-system", "external-dns", "external-dns", "1.20.0", "HelmRepository", "external-dns", "30m", "10m", 3),
        new("external-dns-internal-system", "external-dns-internal", "external-dns", "1.20.0", "HelmRepository", "external-dns", "30m", "10m", 3),
        new("cnpg-system", "cnpg-operator", "cloudnative-pg", "0.27.1", "HelmRepository", "cnpg", "30m", "15m", 3),
        new("authentik", "authentik", "authentik", "2025.12.4", "HelmRepository", "authentik", "30m", "20m", 3),
        new("authentik-proxy", "authentik-proxy-config", "./charts/authentik-proxy-config", "0.2.0", "GitRepository", "flux-system", "30m", "5m", 0),
        new("kubernetes-dashboard", "kubernetes-dashboard", "kubernetes-dashboard", "7.14.0", "HelmRepository", "kubernetes-dashboard", "30m", null, 0),
        new("headlamp", "headlamp", "headlamp", "0.40.0", "HelmRepository", "headlamp", "15m", null, 0),
        new("home-automation", "matter-server", "home-assistant-matter-server", "3.0.1", "HelmRepository", "charts-derwitt-dev", "30m", "15m", 3),
    ];

    public static KustomizationSpec Kustomization(string name) => Kustomizations.First(k => k.Name == name);

    /// <summary>Every Kustomization that (directly or transitively) depends on <paramref name="name"/>, in catalogue order.</summary>
    public static IReadOnlyList<KustomizationSpec> DependentsOf(string name)
    {
        var affected = new HashSet<string> { name };
        bool grew;
        do
        {
            grew = false;
            foreach (var k in Kustomizations)
            {
                if (!affected.Contains(k.Name) && k.DependsOn.Any(affected.Contains)) grew |= affected.Add(k.Name);
            }
        } while (grew);
        affected.Remove(name);
        return Kustomizations.Where(k => affected.Contains(k.Name)).ToList();
    }

    private static KustomizationSpec Infra(string shortName, string path, string[] dependsOn, string timeout,
        string retry = "2m", string interval = "10m") =>
        new($"infrastructure-{shortName}", path, dependsOn.Select(d => $"infrastructure-{d}").ToList(), interval, timeout, retry);

    // Every app depends on infrastructure Kustomizations only.
    private static KustomizationSpec App(string shortName, string[] dependsOn, string timeout, string retry) =>
        new($"apps-{shortName}", $"./apps/{shortName}", dependsOn.Select(d => $"infrastructure-{d}").ToList(), "10m", timeout, retry);
}
