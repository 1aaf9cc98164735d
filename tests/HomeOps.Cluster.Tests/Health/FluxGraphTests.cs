using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Tests.Health;

public sealed class FluxGraphTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-06-21T12:00:00Z");

    /// <summary>dependsOn of the 31 children, from cluster brief §3.2 (short names; "infrastructure-" is added).</summary>
    private static readonly Dictionary<string, string[]> HomeOps = new()
    {
        ["sources"] = [],
        ["external-secrets"] = ["sources"],
        ["onepassword"] = ["external-secrets"],
        ["cnpg-barman-plugin"] = ["cnpg-operator"],
        ["metrics-server"] = ["sources"],
        ["volume-snapshots"] = ["sources"],
        ["longhorn"] = ["volume-snapshots", "cilium-bgp"],
        ["monitoring"] = ["sources"],
        ["cert-manager"] = ["onepassword"],
        ["cert-manager-issuers"] = ["cert-manager"],
        ["cilium-pools"] = ["sources"],
        ["ingress-nginx"] = ["cert-manager"],
        ["ingress-nginx-internal"] = ["cert-manager"],
        ["ingress-nginx-public"] = ["cert-manager"],
        ["external-dns"] = ["onepassword"],
        ["external-dns-unifi"] = ["onepassword"],
        ["external-dns-internal"] = ["external-dns-unifi", "onepassword"],
        ["cloudflare-tunnel"] = ["onepassword"],
        ["cilium"] = ["cert-manager"],
        ["cilium-bgp"] = ["cilium-pools", "onepassword"],
        ["hubble"] = ["ingress-nginx-internal", "cert-manager"],
        ["flux-webhook"] = ["ingress-nginx-public", "cert-manager", "onepassword", "external-dns", "cloudflare-tunnel"],
        ["cnpg-operator"] = ["sources"],
        ["postgresql-cluster"] = ["cnpg-operator", "longhorn", "onepassword"],
        ["cnpg-monitoring"] = ["cnpg-operator", "monitoring", "postgresql-cluster"],
        ["authentik"] = ["sources", "postgresql-cluster", "external-secrets", "cert-manager", "ingress-nginx-internal"],
        ["authentik-proxy"] = ["sources", "external-secrets", "cert-manager", "ingress-nginx-internal", "authentik"],
        ["authentik-outpost-config"] = ["authentik", "external-secrets", "onepassword"],
        ["apps-dashboard"] = ["ingress-nginx"],
        ["apps-headlamp"] = ["ingress-nginx-internal", "cert-manager", "external-secrets"],
        ["apps-home-automation"] = ["postgresql-cluster", "longhorn", "ingress-nginx-internal", "cert-manager"],
    };

    private static string Full(string s) => s.StartsWith("apps-", StringComparison.Ordinal) ? s : $"infrastructure-{s}";

    private const string Ready = "{'type':'Ready','status':'True','reason':'ReconciliationSucceeded','message':'Applied revision: main@sha1:1'}";

    private static string Failed(string reason = "HealthCheckFailed") =>
        $"{{'type':'Ready','status':'False','reason':'{reason}','message':'Health check failed after 10m0s'}}";

    private static string Waiting(string on) =>
        $"{{'type':'Ready','status':'False','reason':'DependencyNotReady','message':'dependency \\u0027flux-system/{on}\\u0027 is not ready'}}";

    private static ResourceSnapshot Ks(string name, string readyCondition, params string[] dependsOn)
    {
        var deps = string.Join(",", dependsOn.Select(d => $"{{'name':'{d}'}}"));
        return ResourceDecoder.Decode(Kinds.Kustomization, Json.Parse(
            $"{{'metadata':{{'name':'{name}','namespace':'flux-system','uid':'uid-{name}'}},'spec':{{'dependsOn':[{deps}]}},'status':{{'conditions':[{readyCondition}]}}}}"), Now);
    }

    private static List<ResourceSnapshot> HomeOpsCluster(Func<string, string>? condition = null) =>
        [.. HomeOps.Select(kv => Ks(Full(kv.Key), condition?.Invoke(kv.Key) ?? Ready, [.. kv.Value.Select(Full)])),
         Ks("flux-system", Ready)];

    [Fact]
    public void Blast_radius_matches_the_cluster_brief()
    {
        var g = FluxGraph.Build(HomeOpsCluster());
        int Transitive(string n) => g.TransitiveDependents(g.Objects.Single(o => o.Meta.Name == Full(n)));
        int Direct(string n) => g.DirectDependents(g.Objects.Single(o => o.Meta.Name == Full(n)));
        Assert.Equal((30, 23, 22, 13), (Transitive("sources"), Transitive("external-secrets"), Transitive("onepassword"), Transitive("cert-manager")));
        Assert.Equal((11, 9, 8, 5, 5), (Direct("cert-manager"), Direct("onepassword"), Direct("sources"), Direct("external-secrets"), Direct("ingress-nginx-internal")));
        Assert.Equal(32, g.Objects.Count);
        Assert.Empty(g.FailingRoots());
    }

    [Fact]
    public void DependencyNotReady_is_traced_across_a_three_level_chain_to_the_failing_root()
    {
        // onepassword fails; cert-manager waits on it, ingress-nginx-internal on cert-manager, hubble on ingress-nginx-internal.
        var objects = new[]
        {
            Ks("sources", Ready),
            Ks("onepassword", Failed(), "sources"),
            Ks("cert-manager", Waiting("onepassword"), "onepassword"),
            Ks("ingress-nginx-internal", Waiting("cert-manager"), "cert-manager"),
            Ks("hubble", Waiting("ingress-nginx-internal"), "ingress-nginx-internal", "cert-manager"),
        };
        var g = FluxGraph.Build(objects);
        var root = Assert.Single(g.RootCauses(objects[4]));
        Assert.Equal("flux-system/onepassword", root.Ref.ToString());
        Assert.Equal((HealthStatus.Failed, "HealthCheckFailed"), (root.Health, root.Reason));
        Assert.Same(objects[1], root.Snapshot);
        Assert.Equal(HealthStatus.Degraded, objects[4].Verdict.Health); // waiting is a warning, not a failure
        Assert.Equal("flux-system/onepassword", Assert.Single(g.FailingRoots()).Ref.ToString());
        Assert.Equal(3, g.TransitiveDependents(objects[1]));
    }

    [Fact]
    public void The_home_ops_spine_resolves_to_the_one_broken_kustomization()
    {
        // A broken BGP manifest blocks storage, the database and identity (brief §3.3).
        var waiting = new HashSet<string> { "longhorn", "postgresql-cluster", "authentik", "authentik-proxy", "authentik-outpost-config", "apps-home-automation", "cnpg-monitoring" };
        var objects = HomeOpsCluster(n => n == "cilium-bgp" ? Failed("ReconciliationFailed")
            : waiting.Contains(n) ? Waiting(Full(HomeOps[n].First(d => d == "cilium-bgp" || waiting.Contains(d)))) : Ready);
        var g = FluxGraph.Build(objects);
        foreach (var o in objects.Where(FluxGraph.IsWaiting))
            Assert.Equal(Full("cilium-bgp"), Assert.Single(g.RootCauses(o)).Ref.Name);
        Assert.Equal(Full("cilium-bgp"), Assert.Single(g.FailingRoots()).Ref.Name);
    }

    [Fact]
    public void A_dependency_cycle_is_reported_as_the_root_cause_and_does_not_hang()
    {
        var objects = new[] { Ks("a", Waiting("b"), "b"), Ks("b", Waiting("c"), "c"), Ks("c", Waiting("a"), "a") };
        var g = FluxGraph.Build(objects);
        var root = Assert.Single(g.RootCauses(objects[0]));
        Assert.Equal("DependencyCycle", root.Reason);
        Assert.Contains("flux-system/a → flux-system/b → flux-system/c → flux-system/a", root.Message);
        Assert.NotEmpty(g.FailingRoots());
    }

    [Fact]
    public void A_missing_dependency_is_the_root_cause()
    {
        var waiting = Ks("apps-dashboard", Waiting("infrastructure-ingress-nginx"), "infrastructure-ingress-nginx");
        var root = Assert.Single(FluxGraph.Build([waiting]).RootCauses(waiting));
        Assert.Equal(("DependencyNotFound", "dependency flux-system/infrastructure-ingress-nginx not found"), (root.Reason, root.Message));
        Assert.Null(root.Snapshot);
    }

    [Fact]
    public void A_dependency_named_only_in_the_message_is_followed()
    {
        // Status-only fragments have no spec.dependsOn; the Ready message names the dependency.
        var objects = new[] { Ks("ca-bundles", Waiting("trust-manager")), Ks("trust-manager", Failed("BuildFailed")) };
        Assert.Equal("trust-manager", Assert.Single(FluxGraph.Build(objects).RootCauses(objects[0])).Ref.Name);
    }

    [Fact]
    public void Dependencies_that_are_ready_again_are_not_blamed()
    {
        var objects = new[] { Ks("sources", Ready), Ks("metrics-server", Waiting("sources"), "sources") };
        Assert.Empty(FluxGraph.Build(objects).RootCauses(objects[1]));
    }

    [Fact]
    public void Flux_system_is_a_rollup_and_never_the_root_cause_while_a_child_fails()
    {
        var root = Ks("flux-system", Failed());
        var child = Ks("infrastructure-external-secrets", Failed("BuildFailed"), "infrastructure-sources");
        var dependsOnRoot = Ks("odd-one", Waiting("flux-system"), "flux-system");
        var g = FluxGraph.Build([root, Ks("infrastructure-sources", Ready), child, dependsOnRoot]);

        Assert.True(FluxGraph.IsRollup(root));
        Assert.Equal(child.Meta.Name, Assert.Single(g.FailingRoots()).Ref.Name);
        Assert.Equal(child.Meta.Name, Assert.Single(g.RootCauses(root)).Ref.Name);
        Assert.Equal(child.Meta.Name, Assert.Single(g.RootCauses(dependsOnRoot)).Ref.Name);

        // With every child ready, a failing flux-system is its own root cause.
        var alone = FluxGraph.Build([root, Ks("infrastructure-sources", Ready)]);
        Assert.Equal("flux-system", Assert.Single(alone.FailingRoots()).Ref.Name);
    }

    [Fact]
    public void HelmRelease_dependencies_are_HelmReleases()
    {
        ResourceSnapshot Hr(string name, string ns, string condition, string deps) => ResourceDecoder.Decode(Kinds.HelmRelease, Json.Parse(
            $"{{'metadata':{{'name':'{name}','namespace':'{ns}'}},'spec':{{'dependsOn':[{deps}]}},'status':{{'conditions':[{condition}]}}}}"), Now);
        var longhorn = Hr("longhorn", "longhorn-system", Failed("InstallFailed"), "");
        var app = Hr("matter-server", "home-automation",
            "{'type':'Ready','status':'False','reason':'DependencyNotReady','message':'dependency \\u0027longhorn-system/longhorn\\u0027 is not ready'}",
            "{'name':'longhorn','namespace':'longhorn-system'}");
        var g = FluxGraph.Build([longhorn, app, Ks("longhorn", Ready)]);
        var root = Assert.Single(g.RootCauses(app));
        Assert.Equal(("HelmRelease", "longhorn-system/longhorn", "InstallFailed"), (root.Ref.Kind, root.Ref.ToString(), root.Reason));
    }
}
