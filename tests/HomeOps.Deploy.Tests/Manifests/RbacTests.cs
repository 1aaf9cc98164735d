using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Operations.Flux;
using static HomeOps.Deploy.Tests.Manifests.Rendered;

namespace HomeOps.Deploy.Tests.Manifests;

/// <summary>Least privilege, checked on the rendered RBAC against what the code actually reads and writes.</summary>
public sealed class RbacTests(RenderedBase rendered) : IClassFixture<RenderedBase>
{
    private readonly Rendered _m = rendered.Manifests;

    private static readonly string[] ReadVerbs = ["get", "list", "watch"];

    /// <summary>Read by the dashboard but not (yet) in <see cref="Kinds.Watched"/>, each with the reason.</summary>
    private static readonly Dictionary<(string Group, string Resource), string> ReadBeyondCatalogue = new()
    {
        [("", "services")] = "LoadBalancer Services without an address (issue 5, cluster brief §10.9)",
        [("external-secrets.io", "externalsecrets")] = "the secrets pipeline (cluster brief §10.11)",
        [("external-secrets.io", "clustersecretstores")] = "the onepassword-connect store's readiness (cluster brief §3.5)",
        [("metrics.k8s.io", "nodes")] = "node CPU and memory from metrics-server",
    };

    private IEnumerable<(string Role, JsonNode Rule)> Rules() =>
        _m.Objects.Where(o => Str(o, "kind") is "ClusterRole" or "Role")
            .SelectMany(o => Items(o, "rules").Select(r => ($"{Str(o, "kind")} {Str(o, "metadata", "name")}", r)));

    private static List<string> List(JsonNode rule, string field) => [.. Items(rule, field).Select(x => x.ToString())];

    private IEnumerable<(string Group, string Resource, string Verb)> ClusterGrants() =>
        from o in _m.OfKind("ClusterRole")
        from rule in Items(o, "rules")
        from g in List(rule, "apiGroups")
        from r in List(rule, "resources")
        from v in List(rule, "verbs")
        select (g, r, v);

    [Fact]
    public void No_role_uses_a_wildcard_or_grants_secrets_pod_access_or_escalation()
    {
        var rules = Rules().ToList();
        Assert.NotEmpty(rules);
        foreach (var (role, rule) in rules)
        {
            foreach (var field in new[] { "apiGroups", "resources", "verbs", "resourceNames" })
                Assert.DoesNotContain(List(rule, field), v => v.Contains('*'));
            Assert.Empty(Items(rule, "nonResourceURLs"));
            var resources = List(rule, "resources");
            foreach (var forbidden in new[] { "secrets", "pods/log", "pods/exec", "pods/attach", "pods/portforward", "pods/proxy", "configmaps", "serviceaccounts/token", "clusterroles", "roles", "clusterrolebindings", "rolebindings" })
                Assert.False(resources.Contains(forbidden), $"{role} grants {forbidden}");
            foreach (var verb in new[] { "escalate", "bind", "impersonate", "delete", "deletecollection" })
                Assert.False(List(rule, "verbs").Contains(verb), $"{role} grants {verb}");
            // Pods are read for the drill-down (issue 16), never written; their logs only with components/pod-logs.
            if (resources.Contains("pods")) Assert.True(List(rule, "verbs").All(ReadVerbs.Contains), $"{role} may do more than read pods");
        }
    }

    [Fact]
    public void The_cluster_role_reads_exactly_the_watched_kinds_and_the_documented_extras()
    {
        var reads = ClusterGrants().Where(g => ReadVerbs.Contains(g.Verb)).GroupBy(g => (g.Group, g.Resource))
            .ToDictionary(g => g.Key, g => g.Select(x => x.Verb).ToHashSet());
        var expected = Kinds.Watched.Select(k => (k.Group, k.Plural)).ToHashSet();
        foreach (var kind in expected)
        {
            Assert.True(reads.TryGetValue(kind, out var verbs), $"the ClusterRole cannot read {kind.Plural}.{kind.Group}, which an informer watches");
            Assert.True(verbs!.SetEquals(ReadVerbs), $"{kind.Plural}.{kind.Group}: get, list and watch (an informer lists then watches)");
        }
        foreach (var granted in reads.Keys)
            Assert.True(expected.Contains(granted) || ReadBeyondCatalogue.ContainsKey(granted),
                $"the ClusterRole reads {granted.Resource}.{granted.Group}, which nothing in the catalogue watches");
        // The metrics API serves get and list only.
        Assert.Equal(new[] { "get", "list" }, reads[("metrics.k8s.io", "nodes")].Order());
    }

    [Fact]
    public void Patch_is_granted_exactly_on_the_flux_kinds_the_actions_patch()
    {
        var patched = ClusterGrants().Where(g => g.Verb == "patch").Select(g => (g.Group, g.Resource)).ToHashSet();
        var fluxKinds = FluxKinds.Names.Select(n => FluxKinds.Find(n)!).Select(a => (a.Group, a.Plural)).ToHashSet();
        Assert.True(fluxKinds.SetEquals(patched),
            $"patch granted on [{string.Join(", ", patched)}], the Flux actions patch [{string.Join(", ", fluxKinds)}]");
        Assert.Contains(("kustomize.toolkit.fluxcd.io", "kustomizations"), patched);
        Assert.Contains(("helm.toolkit.fluxcd.io", "helmreleases"), patched);
        // Nothing else writes cluster-wide; audit Events are granted per namespace (AuditEventRbacTests).
        var writes = ClusterGrants().Where(g => !ReadVerbs.Contains(g.Verb) && g.Verb != "patch").ToList();
        Assert.Empty(writes);
    }

    [Fact]
    public void Leases_are_granted_only_in_the_apps_namespace_and_only_for_its_lease()
    {
        Assert.DoesNotContain(ClusterGrants(), g => g.Resource == "leases");
        var role = _m.Single("Role", "homeops-dashboard-leases");
        Assert.Equal("homeops-dashboard", Str(role, "metadata", "namespace"));
        var options = new HomeOps.Operations.OperationsOptions();
        foreach (var rule in Items(role, "rules"))
        {
            Assert.Equal(new[] { "coordination.k8s.io" }, List(rule, "apiGroups"));
            Assert.Equal(new[] { "leases" }, List(rule, "resources"));
            var verbs = List(rule, "verbs");
            // create cannot be restricted by name; everything else is restricted to the one Lease the lock uses.
            if (!verbs.SequenceEqual(["create"])) Assert.Equal(new[] { options.LeaseName }, List(rule, "resourceNames"));
        }
        var granted = Items(role, "rules").SelectMany(r => List(r, "verbs")).ToHashSet();
        Assert.True(granted.IsSupersetOf(["get", "create", "update"]), "the Lease lock reads, creates and replaces its Lease");
    }

    [Fact]
    public void The_roles_are_bound_to_the_apps_service_account_only()
    {
        var account = _m.Single("ServiceAccount", "homeops-dashboard");
        foreach (var binding in _m.Objects.Where(o => Str(o, "kind") is "ClusterRoleBinding" or "RoleBinding"))
        {
            var subject = Assert.Single(Items(binding, "subjects"));
            Assert.Equal("ServiceAccount", Str(subject, "kind"));
            Assert.Equal(Str(account, "metadata", "name"), Str(subject, "name"));
            Assert.Equal(Str(account, "metadata", "namespace"), Str(subject, "namespace"));
            // A RoleBinding's Role is the one of that name in the binding's own namespace.
            var roleKind = Str(binding, "roleRef", "kind");
            Assert.Single(_m.OfKind(roleKind!), r => Str(r, "metadata", "name") == Str(binding, "roleRef", "name")
                && (roleKind == "ClusterRole" || Str(r, "metadata", "namespace") == Str(binding, "metadata", "namespace")));
        }
    }
}
