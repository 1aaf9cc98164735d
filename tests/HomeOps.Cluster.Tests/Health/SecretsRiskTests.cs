using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.Health;

/// <summary>When the 1Password store fails, which Kustomizations are at risk — over home-ops' real dependsOn graph.</summary>
public sealed class SecretsRiskTests
{
    private static Cluster.State.ClusterState StoreFailing() => SeededState.Build(o =>
        SeededState.Is(o, "ClusterSecretStore", SecretsRisk.StoreName)
            ? SeededState.WithReady(o, "False", "ValidationFailed", "unable to validate store: credentials file is not version 2")
            : o);

    [Fact]
    public void A_ready_store_puts_nothing_at_risk()
    {
        var report = SecretsRisk.Evaluate(SeededState.Build());
        Assert.True(report.StoreHealthy);
        Assert.Empty(report.AtRisk);
    }

    [Fact]
    public void A_failing_store_puts_the_23_dependents_of_external_secrets_at_risk_with_the_chain_and_the_cause()
    {
        var report = SecretsRisk.Evaluate(StoreFailing());

        Assert.False(report.StoreHealthy);
        Assert.Contains("ValidationFailed", report.StoreProblem);
        // Cluster brief §3.3: external-secrets has 23 transitive dependents (onepassword among them), onepassword 22.
        Assert.Equal(23, report.AtRisk.Length);
        var names = report.AtRisk.Select(r => r.Kustomization.Name).ToHashSet();
        Assert.Contains("infrastructure-onepassword", names);
        Assert.Contains("infrastructure-cert-manager", names);
        Assert.Contains("infrastructure-cilium-bgp", names);
        Assert.Contains("infrastructure-authentik", names);
        Assert.Contains("apps-home-automation", names);
        Assert.DoesNotContain("infrastructure-external-secrets", names); // the operator itself does not need the store
        Assert.DoesNotContain("infrastructure-sources", names);
        Assert.DoesNotContain("infrastructure-metrics-server", names);
        Assert.DoesNotContain("flux-system", names);

        var certManager = report.AtRisk.Single(r => r.Kustomization.Name == "infrastructure-cert-manager");
        Assert.Equal(["infrastructure-onepassword", "infrastructure-cert-manager"], certManager.Path.Select(p => p.Name));
        Assert.StartsWith("depends on infrastructure-onepassword;", certManager.Reason);
        Assert.Contains("credentials file is not version 2", certManager.Reason);
        // At risk before Flux notices: the Kustomization itself is still Ready.
        Assert.Equal(HealthStatus.Healthy, certManager.CurrentHealth);
        // Shortest chains first.
        Assert.True(report.AtRisk.Select(r => r.Path.Length).SequenceEqual(report.AtRisk.Select(r => r.Path.Length).Order()));
    }

    [Fact]
    public void A_missing_store_is_a_risk_only_when_the_kind_is_known_to_be_listed()
    {
        var missing = SecretsRisk.Evaluate(SeededState.Build(o => SeededState.Is(o, "ClusterSecretStore", SecretsRisk.StoreName) ? null : o));
        Assert.False(missing.StoreHealthy);
        Assert.Equal("ClusterSecretStore onepassword-connect does not exist", missing.StoreProblem);
        Assert.Equal(23, missing.AtRisk.Length);

        // ESO not installed (its kinds never synced): nothing honest to say.
        var unknown = SecretsRisk.Evaluate(SeededState.Build(synced: Kinds.Kubernetes.Where(k => k.Area != Area.Secrets)));
        Assert.Null(unknown.StoreHealthy);
        Assert.Empty(unknown.AtRisk);
    }
}
