using System.Text.Json.Nodes;
using HomeOps.Operations.Audit;
using HomeOps.Simulator.Seed;
using static HomeOps.Deploy.Tests.Manifests.Rendered;

namespace HomeOps.Deploy.Tests.Manifests;

/// <summary>
/// Issue 11 item 3: Events <c>create</c> only in the namespaces the audit writes to. The namespaces are derived the way
/// the code derives them (<see cref="AuditEventSubjects"/> applied to every Flux object of the home-ops catalogue, a run
/// on nodes, and a run without nodes in the namespace the Deployment runs in), never copied from the manifest.
/// </summary>
public sealed class AuditEventRbacTests(RenderedBase rendered) : IClassFixture<RenderedBase>
{
    private const string Name = "homeops-dashboard-audit-events";
    private readonly Rendered _m = rendered.Manifests;

    /// <summary>The dashboard's own namespace as the pod sees it: POD_NAMESPACE from the downward API (OperationsOptions).</summary>
    private string DashboardNamespace()
    {
        var deployment = _m.Single("Deployment", "homeops-dashboard");
        var env = Items(deployment, "spec", "template", "spec", "containers").SelectMany(c => Items(c, "env")).ToList();
        var podNamespace = Assert.Single(env, e => Str(e, "name") == "POD_NAMESPACE");
        Assert.Equal("metadata.namespace", Str(podNamespace, "valueFrom", "fieldRef", "fieldPath"));
        Assert.DoesNotContain(env, e => Str(e, "name") == "Operations__LeaseNamespace");
        return Str(deployment, "metadata", "namespace")!;
    }

    private HashSet<string> NamespacesTheAuditWritesTo()
    {
        var dashboard = DashboardNamespace();
        var entries = new List<AuditEntry>
        {
            new() { Action = "run.start", Target = "cluster:safe-reset mini01,mini02" },
            new() { Action = "run.start", Target = "bootstrap:phase-3" },
        };
        foreach (var k in FluxCatalogue.Kustomizations)
            entries.Add(Flux("Kustomization", HomeOpsTopology.FluxNamespace, k.Name));
        foreach (var h in FluxCatalogue.HelmReleases)
            entries.Add(Flux("HelmRelease", h.Namespace, h.Name));
        // Sources (reconcile with source) live with the root sync.
        entries.Add(Flux("GitRepository", HomeOpsTopology.FluxNamespace, FluxCatalogue.RootName));
        return entries.SelectMany(e => AuditEventSubjects.Of(e, dashboard)).Select(s => s.EventNamespace).ToHashSet(StringComparer.Ordinal);

        static AuditEntry Flux(string kind, string ns, string name) => new()
        {
            Action = "flux.reconcile", Target = $"{kind} {ns}/{name}",
            Parameters = new JsonObject { ["kind"] = kind, ["namespace"] = ns, ["name"] = name }.ToJsonString(),
        };
    }

    private static List<string> List(JsonNode rule, string field) => [.. Items(rule, field).Select(x => x.ToString())];

    [Fact]
    public void No_cluster_role_may_write_events_only_read_them()
    {
        // The drill-down (issue 16) watches Warning events cluster-wide, read-only; writing stays per namespace (below).
        string[] read = ["get", "list", "watch"];
        var writes = from o in _m.OfKind("ClusterRole")
                     from rule in Items(o, "rules")
                     where List(rule, "resources").Contains("events") && List(rule, "verbs").Any(v => !read.Contains(v))
                     select $"{Str(o, "metadata", "name")}: {string.Join(",", List(rule, "verbs"))}";
        Assert.Empty(writes);
    }

    [Fact]
    public void Every_namespace_the_audit_can_write_an_event_into_has_a_role_and_binding_for_create_and_no_other_has()
    {
        var needed = NamespacesTheAuditWritesTo();
        // Sanity: the derivation sees what the cluster brief names.
        foreach (var ns in new[] { "default", "flux-system", "homeops-dashboard", "longhorn-system", "kube-system", "authentik" })
            Assert.Contains(ns, needed);

        var roles = _m.OfKind("Role").Where(r => Str(r, "metadata", "name") == Name).ToList();
        var bindings = _m.OfKind("RoleBinding").Where(r => Str(r, "metadata", "name") == Name).ToList();
        var roleNamespaces = roles.Select(r => Str(r, "metadata", "namespace")!).ToHashSet(StringComparer.Ordinal);
        var bindingNamespaces = bindings.Select(r => Str(r, "metadata", "namespace")!).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(roles.Count, roleNamespaces.Count);
        Assert.Equal(bindings.Count, bindingNamespaces.Count);
        var missing = needed.Except(bindingNamespaces).Order().ToList();
        Assert.True(missing.Count == 0, $"the audit writes Events into [{string.Join(", ", missing)}] without a RoleBinding there");
        var extra = bindingNamespaces.Except(needed).Order().ToList();
        Assert.True(extra.Count == 0, $"Events create is granted in [{string.Join(", ", extra)}], where the audit never writes");
        Assert.True(roleNamespaces.SetEquals(bindingNamespaces));

        foreach (var role in roles)
        {
            var rule = Assert.Single(Items(role, "rules"));
            Assert.Equal([""], List(rule, "apiGroups"));
            Assert.Equal(["events"], List(rule, "resources"));
            Assert.Equal(["create"], List(rule, "verbs"));
        }
        foreach (var binding in bindings)
        {
            Assert.Equal(("Role", Name), (Str(binding, "roleRef", "kind"), Str(binding, "roleRef", "name")));
            var subject = Assert.Single(Items(binding, "subjects"));
            var sa = _m.Single("ServiceAccount");
            Assert.Equal(("ServiceAccount", Str(sa, "metadata", "name"), Str(sa, "metadata", "namespace")),
                (Str(subject, "kind"), Str(subject, "name"), Str(subject, "namespace")));
        }
    }

    [Fact]
    public void The_apps_own_objects_still_land_in_its_namespace()
    {
        // The base sets its namespace with unsetOnly (so the audit Roles keep theirs): everything else is in the app's.
        var own = _m.Objects.Where(o => Str(o, "metadata", "namespace") is not null && Str(o, "metadata", "name") != Name).ToList();
        Assert.NotEmpty(own);
        Assert.All(own, o => Assert.Equal("homeops-dashboard", Str(o, "metadata", "namespace")));
        Assert.Equal("homeops-dashboard", Str(_m.Single("Namespace"), "metadata", "name"));
    }
}
