using static HomeOps.Deploy.Tests.Manifests.Rendered;

namespace HomeOps.Deploy.Tests.Manifests;

/// <summary>The example Flux Kustomization follows the cluster's conventions (cluster brief §3.2, §8.4) and points at the base.</summary>
public sealed class FluxExampleTests(RenderedBase rendered) : IClassFixture<RenderedBase>
{
    [Fact]
    public void The_example_kustomization_waits_prunes_and_depends_on_what_the_base_needs()
    {
        var example = Parse(File.ReadAllText(Path.Combine(RepoPaths.K8s, "flux", "homeops-dashboard.yaml")));
        var ks = example.Single("Kustomization");
        Assert.Equal("kustomize.toolkit.fluxcd.io/v1", Str(ks, "apiVersion"));
        Assert.Equal("flux-system", Str(ks, "metadata", "namespace"));
        Assert.Equal("true", Str(ks, "spec", "wait"));
        Assert.Equal("true", Str(ks, "spec", "prune"));
        Assert.Equal("./k8s", Str(ks, "spec", "path"));
        // No targetNamespace: Flux would move the per-namespace audit Event Roles (rbac-audit-events.yaml) into one namespace.
        Assert.Null(At(ks, "spec", "targetNamespace"));
        var dependsOn = Items(ks, "spec", "dependsOn").Select(d => Str(d, "name")).ToList();
        foreach (var needed in new[]
                 {
                     "infrastructure-external-secrets", "infrastructure-onepassword", "infrastructure-ingress-nginx-internal",
                     "infrastructure-cert-manager", "infrastructure-longhorn", "infrastructure-authentik",
                 })
            Assert.Contains(needed, dependsOn);
        // Its source is declared next to it.
        var source = example.Single(Str(ks, "spec", "sourceRef", "kind")!, Str(ks, "spec", "sourceRef", "name"));
        Assert.Equal("flux-system", Str(source, "metadata", "namespace"));
        // The example is not part of the base.
        Assert.Empty(rendered.Manifests.OfKind("Kustomization"));
        Assert.Empty(rendered.Manifests.OfKind("GitRepository"));
    }
}
