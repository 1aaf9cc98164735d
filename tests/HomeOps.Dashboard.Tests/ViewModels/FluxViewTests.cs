using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using HomeOps.Dashboard.Tests.TestData;
using HomeOps.Dashboard.ViewModels;

namespace HomeOps.Dashboard.Tests.ViewModels;

public class FluxViewTests
{
    private static Verdict Waiting(string dep, string ns = "flux-system") =>
        Snap.V(HealthStatus.Degraded, FluxRule.DependencyNotReady, $"dependency '{ns}/{dep}' is not ready");

    [Fact]
    public void Total_is_counted_from_the_objects_present()
    {
        var fixture = new ClusterFixture();
        for (var i = 0; i < 32; i++) fixture.With(Snap.Kustomization($"ks-{i}"));
        Assert.Equal("32/32", FluxView.Summarize(fixture.BuildState()).Count);

        fixture.With(Snap.Kustomization("ks-new", Snap.V(HealthStatus.Failed, "BuildFailed", "kustomize build failed")));
        var s = FluxView.Summarize(fixture.BuildState());
        Assert.Equal("32/33", s.Count);
        Assert.Equal(HealthStatus.Failed, s.Health);
    }

    [Fact]
    public void DependencyNotReady_is_traced_through_waiting_dependencies_to_the_root_cause()
    {
        var state = new ClusterFixture().With(
            Snap.Kustomization("infrastructure-sources"),
            Snap.Kustomization("infrastructure-onepassword", Snap.V(HealthStatus.Failed, "HealthCheckFailed", "connect-api not ready"),
                dependsOn: ["infrastructure-sources"]),
            Snap.Kustomization("infrastructure-cilium-bgp", Waiting("infrastructure-onepassword"), dependsOn: ["infrastructure-onepassword"]),
            Snap.Kustomization("infrastructure-longhorn", Waiting("infrastructure-cilium-bgp"), dependsOn: ["infrastructure-cilium-bgp"]),
            Snap.Kustomization("flux-system", Snap.V(HealthStatus.Failed, "HealthCheckFailed", "31 children not ready"))).BuildState();

        var rows = FluxView.Rows(state);
        var longhorn = rows.Single(r => r.Name == "infrastructure-longhorn");
        var cause = Assert.Single(longhorn.RootCauses);
        Assert.Equal("infrastructure-onepassword", cause.Name);
        Assert.Equal("HealthCheckFailed", cause.Reason);

        var s = FluxView.Summarize(state);
        Assert.Equal("1/5", s.Count);
        Assert.Equal(2, s.Waiting);
        // flux-system is a rollup (wait: true over its children), never listed as a cause next to a real one.
        var root = Assert.Single(s.RootCauses);
        Assert.Equal("infrastructure-onepassword", root.Cause.Name);
        Assert.NotNull(root.Row);
        Assert.Equal(2, root.Blocking);
        // The rollup's row points at its failing child.
        Assert.Equal("infrastructure-onepassword", Assert.Single(rows.Single(r => r.Name == "flux-system").RootCauses).Name);
    }

    [Fact]
    public void A_HelmRelease_root_cause_is_found_through_HelmRelease_dependsOn()
    {
        var state = new ClusterFixture().With(
            Snap.HelmRelease("authentik", "authentik", Snap.V(HealthStatus.Failed, "InstallFailed", "timed out waiting for the condition")),
            Snap.HelmRelease("authentik-proxy-config", "authentik", Waiting("authentik", "authentik"), dependsOn: ["authentik"])).BuildState();
        var row = FluxView.Rows(state).Single(r => r.Name == "authentik-proxy-config");
        Assert.Equal("HelmRelease authentik", Assert.Single(row.RootCauses).Display);
    }

    [Fact]
    public void A_missing_dependency_and_a_cycle_are_named_as_root_causes()
    {
        var state = new ClusterFixture().With(
            Snap.Kustomization("a", Waiting("b"), dependsOn: ["b", "ghost"]),
            Snap.Kustomization("b", Waiting("a"), dependsOn: ["a"])).BuildState();
        var a = FluxView.Rows(state).Single(r => r.Name == "a");
        Assert.Contains(a.RootCauses, c => c.Name == "ghost" && c.Reason == "DependencyNotFound");
        Assert.Contains(a.RootCauses, c => c.Reason == "DependencyCycle");
        var s = FluxView.Summarize(state);
        Assert.Contains(s.RootCauses, p => p.Cause.Name == "ghost" && p.Row is null);
    }

    [Fact]
    public void A_failing_GitRepository_is_listed_as_a_root_cause()
    {
        var git = Snap.GitRepository() with { Verdict = Snap.V(HealthStatus.Failed, "AuthenticationFailed", "403") };
        var s = FluxView.Summarize(new ClusterFixture().With(git, Snap.Kustomization("infrastructure-sources")).BuildState());
        Assert.Equal("AuthenticationFailed", Assert.Single(s.RootCauses).Cause.Reason);
    }

    [Fact]
    public void Suspended_objects_are_not_problems_and_are_counted()
    {
        var state = new ClusterFixture().With(
            Snap.Kustomization("apps-headlamp", Snap.V(HealthStatus.Suspended, "Suspended", "spec.suspend is true"), suspended: true),
            Snap.Kustomization("apps-dashboard")).BuildState();
        var s = FluxView.Summarize(state);
        Assert.Equal(1, s.Suspended);
        Assert.Empty(s.RootCauses);
        Assert.Equal(HealthStatus.Suspended, s.Health);
        Assert.Equal("1/2", s.Count);
    }

    [Fact]
    public void Revision_drift_is_flagged_when_attempted_differs_from_applied()
    {
        var state = new ClusterFixture().With(
            Snap.Kustomization("infrastructure-longhorn", Snap.V(HealthStatus.Failed, "HealthCheckFailed", "timeout"),
                applied: "main@sha1:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", attempted: "main@sha1:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")).BuildState();
        var row = Assert.Single(FluxView.Rows(state));
        Assert.True(row.RevisionDrift);
        Assert.Equal("row-kustomization-infrastructure-longhorn", row.TestId);
        Assert.Equal("main@sha1:bbbbbbb", Format.ShortRevision(row.AttemptedRevision));
    }

    [Fact]
    public void Rows_are_worst_first()
    {
        var state = new ClusterFixture().With(
            Snap.Kustomization("a-healthy"),
            Snap.Kustomization("b-progressing", Snap.V(HealthStatus.Progressing, "Progressing")),
            Snap.Kustomization("c-failed", Snap.V(HealthStatus.Failed, "BuildFailed"))).BuildState();
        Assert.Equal(["c-failed", "b-progressing", "a-healthy"], FluxView.Rows(state).Select(r => r.Name));
    }
}
