using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HomeOps.Operations.Flux;
using static HomeOps.Deploy.Tests.Manifests.Rendered;

namespace HomeOps.Deploy.Tests.Manifests;

/// <summary>
/// Issue 11, item 3: the ValidatingAdmissionPolicy that limits the dashboard's Flux <c>patch</c> to the reconcile
/// annotations, its own bookkeeping annotations and <c>spec.suspend</c>.
/// What is checked, honestly: no CEL engine or API server runs here. The test reads the allowed annotation keys, the
/// allowed prefix and the spec fields left out of the comparison from the policy's CEL text, implements the invariant
/// those expressions state (object and oldObject equal once those are left out; labels, finalizers, owner references
/// equal), and checks every patch body the dashboard builds (<see cref="FluxPatchBodies"/>, applied as a JSON merge
/// patch to real Flux objects) against it — and that a patch repointing a source or a path is refused. It also checks
/// that the CEL text covers exactly the paths the patches change, and the policy's match rules and binding.
/// </summary>
public sealed partial class FluxAdmissionPolicyTests(RenderedBase rendered) : IClassFixture<RenderedBase>
{
    private const string PolicyName = "homeops-dashboard-flux-patch-scope";
    private readonly Rendered _m = rendered.Manifests;

    private JsonObject Policy => _m.Single("ValidatingAdmissionPolicy", PolicyName);

    private string Variable(string name) =>
        Items(Policy, "spec", "variables").Single(v => Str(v, "name") == name)["expression"]!.GetValue<string>();

    private IReadOnlyList<string> ValidationExpressions =>
        [.. Items(Policy, "spec", "validations").Select(v => v["expression"]!.GetValue<string>())];

    /// <summary>What the policy's CEL allows, read from its text.</summary>
    private sealed record Allowed(IReadOnlySet<string> Annotations, string Prefix, IReadOnlySet<string> SpecFields)
    {
        public bool Annotation(string key) => Annotations.Contains(key) || key.StartsWith(Prefix, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"variables\.(?:new|old)Spec\.filter\(k, k != '([^']+)'\)")]
    private static partial Regex SpecExclusion();

    private Allowed ReadAllowed()
    {
        var annotations = Quoted().Matches(Variable("allowedAnnotations")).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var prefix = Assert.Single(Quoted().Matches(Variable("allowedAnnotationPrefix"))).Groups[1].Value;
        var specExpression = Assert.Single(ValidationExpressions, e => e.Contains("variables.newSpec", StringComparison.Ordinal));
        var spec = SpecExclusion().Matches(specExpression).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        return new Allowed(annotations, prefix, spec);
    }

    /// <summary>The paths the policy allows to differ; null when the change is allowed, else the first forbidden path.</summary>
    private static string? Violation(Allowed allowed, JsonObject oldObject, JsonObject newObject)
    {
        foreach (var path in Changes(oldObject, newObject))
        {
            var ok = path.StartsWith("metadata.annotations[", StringComparison.Ordinal)
                ? allowed.Annotation(path["metadata.annotations[".Length..^1])
                : path.StartsWith("spec.", StringComparison.Ordinal) && allowed.SpecFields.Contains(path["spec.".Length..].Split('.')[0]);
            // Fields the API server itself changes on every update, which the policy does not compare.
            ok |= path is "metadata.resourceVersion" or "metadata.generation" or "metadata.managedFields" || path.StartsWith("status", StringComparison.Ordinal);
            if (!ok) return path;
        }
        return null;
    }

    /// <summary>Changed leaf paths (annotations per key; arrays compared whole).</summary>
    private static List<string> Changes(JsonNode? a, JsonNode? b, string path = "")
    {
        // A missing map is an empty one (the policy reads absent annotations as {}): compare per key.
        if ((a is JsonObject || b is JsonObject) && a is null or JsonObject && b is null or JsonObject)
        {
            var oa = a as JsonObject ?? [];
            var ob = b as JsonObject ?? [];
            var list = new List<string>();
            foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)))
            {
                var child = path == "metadata.annotations" ? $"{path}[{key}]" : path.Length == 0 ? key : $"{path}.{key}";
                list.AddRange(Changes(oa[key], ob[key], child));
            }
            return list;
        }
        return JsonNode.DeepEquals(a, b) ? [] : [path];
    }

    /// <summary>RFC 7386 JSON merge patch, as the API server applies <c>application/merge-patch+json</c>.</summary>
    private static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p) return patch?.DeepClone();
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in p)
        {
            if (value is null) result.Remove(key);
            else result[key] = MergePatch(result[key], value);
        }
        return result;
    }

    /// <summary>Real Flux objects (the recorded fixtures), one or more of each kind the dashboard patches there.</summary>
    private static IEnumerable<JsonObject> FluxObjects()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests", "fixtures", "flux"), "*.json"))
        {
            var node = JsonNode.Parse(File.ReadAllText(file))!;
            var items = node["items"] is JsonArray array ? array.Select(i => i!) : [node];
            foreach (var item in items.OfType<JsonObject>())
                if (Str(item, "kind") is { } kind && FluxKinds.Find(kind) is not null) yield return item;
        }
    }

    private static readonly DateTimeOffset At = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Every body <see cref="FluxActions"/> sends (reconcile, also on the source; suspend; resume; resume and reconcile).</summary>
    private static readonly (string Name, string Body)[] DashboardPatches =
    [
        ("reconcile", FluxPatchBodies.Reconcile(At)),
        ("suspend", FluxPatchBodies.Suspend("admin", "maintenance <window> 'quoted'", At)),
        ("resume", FluxPatchBodies.Resume("admin", "done", At)),
        ("resume without reason", FluxPatchBodies.Resume("admin", null, At)),
        ("resume and reconcile", FluxPatchBodies.ResumeAndReconcile("admin", "done", At)),
    ];

    [Fact]
    public void Every_patch_the_dashboard_sends_fits_the_policy_on_every_Flux_kind()
    {
        var allowed = ReadAllowed();
        var objects = FluxObjects().ToList();
        Assert.Contains(objects, o => Str(o, "kind") == "Kustomization");
        Assert.Contains(objects, o => Str(o, "kind") == "HelmRelease");
        Assert.Contains(objects, o => Str(o, "kind") == "GitRepository");
        foreach (var old in objects)
        {
            // Also from the other state: suspended objects get resumed, resumed ones suspended.
            foreach (var start in new[] { old, (JsonObject)MergePatch(old, JsonNode.Parse(FluxPatchBodies.Suspend("someone", "earlier", At.AddDays(-1))))! })
            {
                foreach (var (name, body) in DashboardPatches)
                {
                    var patched = (JsonObject)MergePatch(start, JsonNode.Parse(body))!;
                    Assert.True(Violation(allowed, start, patched) is null,
                        $"{name} on {Str(old, "kind")} {Str(old, "metadata", "name")}: the policy denies {Violation(allowed, start, patched)}");
                }
            }
        }
    }

    [Theory]
    [InlineData("""{"spec":{"url":"https://evil.example/home-ops.git"}}""", "spec.url")]
    [InlineData("""{"spec":{"path":"./evil"}}""", "spec.path")]
    [InlineData("""{"spec":{"suspend":false,"sourceRef":{"kind":"GitRepository","name":"evil"}}}""", "spec.sourceRef")]
    [InlineData("""{"spec":{"interval":"1s"}}""", "spec.interval")]
    [InlineData("""{"spec":{"values":{"image":{"repository":"evil"}}}}""", "spec.values")]
    [InlineData("""{"metadata":{"labels":{"kustomize.toolkit.fluxcd.io/name":"evil"}}}""", "metadata.labels")]
    [InlineData("""{"metadata":{"annotations":{"kustomize.toolkit.fluxcd.io/prune":"disabled"}}}""", "metadata.annotations[kustomize.toolkit.fluxcd.io/prune]")]
    [InlineData("""{"metadata":{"finalizers":null}}""", "metadata.finalizers")]
    public void A_patch_that_changes_anything_else_is_refused(string body, string expected)
    {
        var allowed = ReadAllowed();
        var old = (JsonObject)FluxObjects().First(o => Str(o, "kind") == "GitRepository").DeepClone();
        // As the Flux controllers leave every object they manage.
        old["metadata"]!["finalizers"] = new JsonArray("finalizers.fluxcd.io");
        var patched = (JsonObject)MergePatch(old, JsonNode.Parse(body))!;
        var violation = Violation(allowed, old, patched);
        Assert.NotNull(violation);
        Assert.StartsWith(expected, violation);
    }

    [Fact]
    public void The_CEL_allows_exactly_the_paths_the_dashboard_changes()
    {
        var allowed = ReadAllowed();
        var changed = new HashSet<string>(StringComparer.Ordinal);
        var old = FluxObjects().First(o => Str(o, "kind") == "Kustomization");
        foreach (var (_, body) in DashboardPatches) changed.UnionWith(Changes(old, (JsonObject)MergePatch(old, JsonNode.Parse(body))!));
        foreach (var (_, body) in DashboardPatches) changed.UnionWith(Changes(MergePatch(old, JsonNode.Parse(FluxPatchBodies.Suspend("x", "y", At)))!, MergePatch(MergePatch(old, JsonNode.Parse(FluxPatchBodies.Suspend("x", "y", At))), JsonNode.Parse(body))!));

        // spec: exactly suspend, in the policy and in what the dashboard changes.
        Assert.Equal(["suspend"], allowed.SpecFields);
        Assert.Equal(["spec.suspend"], changed.Where(p => p.StartsWith("spec", StringComparison.Ordinal)).Distinct());
        // annotations: the reconcile family (requestedAt is what the dashboard sends; forceAt and resetAt are what
        // `flux reconcile` may send, and nothing else), and the dashboard's own prefix.
        Assert.Equal(["reconcile.fluxcd.io/forceAt", "reconcile.fluxcd.io/requestedAt", "reconcile.fluxcd.io/resetAt"], allowed.Annotations.Order(StringComparer.Ordinal));
        Assert.Equal("homeops.dashboard/", allowed.Prefix);
        var annotations = changed.Where(p => p.StartsWith("metadata.annotations[", StringComparison.Ordinal)).Select(p => p["metadata.annotations[".Length..^1]).ToHashSet();
        Assert.Contains(FluxPatchBodies.RequestedAt, annotations);
        Assert.All(annotations, a => Assert.True(a == FluxPatchBodies.RequestedAt || a.StartsWith(allowed.Prefix, StringComparison.Ordinal), $"the dashboard changes {a}"));
        // Nothing but annotations and spec.suspend changes at all.
        Assert.All(changed, p => Assert.True(p == "spec.suspend" || p.StartsWith("metadata.annotations[", StringComparison.Ordinal), $"the dashboard changes {p}"));
        // The third validation keeps labels, finalizers and owner references.
        var rest = Assert.Single(ValidationExpressions, e => e.Contains("labels", StringComparison.Ordinal));
        foreach (var field in new[] { "labels", "finalizers", "ownerReferences" })
            Assert.Contains($"object.metadata.{field} : []", rest.Replace("object.metadata.labels : {}", "object.metadata.labels : []"));
    }

    [Fact]
    public void The_policy_applies_to_the_dashboards_service_account_on_every_Flux_kind_it_may_patch_and_denies()
    {
        var spec = Policy["spec"]!;
        Assert.Equal("Fail", Str(spec, "failurePolicy"));
        var account = _m.Single("ServiceAccount", "homeops-dashboard");
        var condition = Assert.Single(Items(spec, "matchConditions"));
        Assert.Equal($"request.userInfo.username == 'system:serviceaccount:{Str(account, "metadata", "namespace")}:{Str(account, "metadata", "name")}'",
            Str(condition, "expression"));

        var matched = new HashSet<(string, string)>();
        foreach (var rule in Items(spec, "matchConstraints", "resourceRules"))
        {
            Assert.Equal(["UPDATE"], Items(rule, "operations").Select(x => x!.ToString()));
            foreach (var g in Items(rule, "apiGroups")) foreach (var r in Items(rule, "resources")) matched.Add((g!.ToString(), r!.ToString()));
        }
        var fluxKinds = FluxKinds.Names.Select(n => FluxKinds.Find(n)!).Select(a => (a.Group, a.Plural)).ToHashSet();
        Assert.True(fluxKinds.SetEquals(matched), $"the policy matches [{string.Join(", ", matched)}], the dashboard may patch [{string.Join(", ", fluxKinds)}]");

        var binding = _m.Single("ValidatingAdmissionPolicyBinding", PolicyName);
        Assert.Equal(PolicyName, Str(binding, "spec", "policyName"));
        Assert.Contains("Deny", Items(binding, "spec", "validationActions").Select(x => x!.ToString()));
        Assert.Equal("admissionregistration.k8s.io/v1", Str(Policy, "apiVersion"));
    }
}
