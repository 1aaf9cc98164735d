using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HomeOps.Operations.Flux;

/// <summary>Flux objects through KubernetesClient's CustomObjects API (JSON merge patch).</summary>
public sealed class KubernetesFluxObjectClient(IKubernetes client) : IFluxObjectClient
{
    public async Task<FluxObjectState?> GetAsync(FluxObjectRef target, CancellationToken ct)
    {
        var api = FluxKinds.Find(target.Kind) ?? throw new ArgumentException($"not a Flux kind: {target.Kind}");
        object raw;
        try
        {
            raw = await client.CustomObjects.GetNamespacedCustomObjectAsync(api.Group, api.Version, target.Namespace, api.Plural, target.Name, ct).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        var json = raw is JsonElement e ? e : JsonSerializer.SerializeToElement(raw);
        return FluxObjectReader.Read(target, json);
    }

    public Task PatchAsync(FluxObjectRef target, string mergePatchJson, CancellationToken ct)
    {
        var api = FluxKinds.Find(target.Kind) ?? throw new ArgumentException($"not a Flux kind: {target.Kind}");
        var patch = new V1Patch(mergePatchJson, V1Patch.PatchType.MergePatch);
        return client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, api.Group, api.Version, target.Namespace, api.Plural, target.Name, cancellationToken: ct);
    }
}

/// <summary>Reads spec.suspend and the reconcile source of a Flux object's JSON (pure; tolerant of missing fields).</summary>
public static class FluxObjectReader
{
    public static FluxObjectState Read(FluxObjectRef target, JsonElement obj)
    {
        var spec = obj.TryGetProperty("spec", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        var suspended = spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("suspend", out var su) && su.ValueKind == JsonValueKind.True;
        return new FluxObjectState(suspended, SourceOf(target, spec));
    }

    /// <summary>
    /// What <c>flux reconcile … --with-source</c> reconciles first: a Kustomization's <c>spec.sourceRef</c>; a HelmRelease's
    /// <c>spec.chartRef</c>, or else the HelmChart <c>&lt;namespace&gt;-&lt;name&gt;</c> that helm-controller creates in the
    /// chart source's namespace.
    /// </summary>
    private static FluxObjectRef? SourceOf(FluxObjectRef target, JsonElement spec)
    {
        if (spec.ValueKind != JsonValueKind.Object) return null;
        if (target.Kind == "Kustomization" && spec.TryGetProperty("sourceRef", out var sr))
            return Ref(sr, target.Namespace);
        if (target.Kind == "HelmRelease")
        {
            if (spec.TryGetProperty("chartRef", out var cr)) return Ref(cr, target.Namespace);
            if (spec.TryGetProperty("chart", out var chart) && chart.TryGetProperty("spec", out var cs) && cs.TryGetProperty("sourceRef", out var csr))
            {
                var ns = Str(csr, "namespace") ?? target.Namespace;
                return new FluxObjectRef("HelmChart", ns, $"{target.Namespace}-{target.Name}");
            }
        }
        return null;
    }

    private static FluxObjectRef? Ref(JsonElement r, string defaultNamespace)
    {
        var kind = Str(r, "kind");
        var name = Str(r, "name");
        if (kind is null || name is null || FluxKinds.Find(kind) is null) return null;
        return new FluxObjectRef(kind, Str(r, "namespace") ?? defaultNamespace, name);
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
