using System.Collections.Immutable;
using System.Text.Json;
using HomeOps.Cluster.Model;

namespace HomeOps.Cluster.Health;

/// <summary>
/// Decoders for the Flux kinds (<c>Kustomization</c>, <c>HelmRelease</c>, <c>GitRepository</c>); the verdict is
/// <see cref="FluxRule"/>. Older objects (v2beta1, pre-GA status fields) are tolerated: every field is optional.
/// </summary>
public static class FluxHealth
{
    public static ResourceSnapshot DecodeKustomization(KindInfo kind, JsonElement obj)
    {
        var (meta, spec, status, conditions) = Read(obj);
        var details = new KustomizationDetails(
            Path: spec.Prop("path").Str(""),
            Suspended: Suspended(spec),
            DependsOn: DependsOn(spec, meta),
            Source: SourceRefOf(spec.Prop("sourceRef"), meta),
            LastAppliedRevision: status.Prop("lastAppliedRevision").Str(""),
            LastAttemptedRevision: status.Prop("lastAttemptedRevision").Str(""),
            ObservedGeneration: status.Prop("observedGeneration").Long() ?? 0,
            Interval: spec.Prop("interval").Str(""))
        {
            Inventory = Inventory(status),
        };
        var verdict = FluxRule.Evaluate(details.Suspended, conditions, meta.Generation, status.Prop("observedGeneration").Long());
        return new ResourceSnapshot(kind, meta, details, verdict, conditions, ObjectParts.RawStatus(obj));
    }

    /// <summary>
    /// The followed entries of <c>status.inventory.entries[].id</c>; null when there is no inventory or it is empty.
    /// Read tolerantly: an entry that is not an object with a well-formed id is skipped.
    /// </summary>
    public static ImmutableArray<InventoryRef>? Inventory(JsonElement? status)
    {
        var entries = status.At("inventory", "entries");
        if (entries is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() == 0) return null;
        var kept = ImmutableArray.CreateBuilder<InventoryRef>();
        foreach (var e in list.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object || e.Prop("id").Str() is not { } id) continue;
            if (InventoryRef.Parse(id) is { } entry && InventoryRef.IsFollowed(entry.Group, entry.Kind)) kept.Add(entry);
        }
        return kept.ToImmutable();
    }

    public static ResourceSnapshot DecodeHelmRelease(KindInfo kind, JsonElement obj)
    {
        var (meta, spec, status, conditions) = Read(obj);
        // Display-only fields are read tolerantly; conditions and dependsOn (the graph) are checked strictly.
        var chartSpec = spec.At("chart", "spec");
        var chartRef = spec.Prop("chartRef");
        var latest = status.Prop("history").Items().FirstOrDefault();
        JsonElement? history = latest.ValueKind == JsonValueKind.Object ? latest : null;
        var details = new HelmReleaseDetails(
            Chart: chartSpec.Prop("chart").Str() ?? chartRef.Prop("name").Str() ?? history.Prop("chartName").Str(""),
            ChartVersion: history.Prop("chartVersion").Str() ?? status.Prop("lastAppliedRevision").Str() ?? chartSpec.Prop("version").Str(""),
            Suspended: Suspended(spec),
            DependsOn: DependsOn(spec, meta),
            Source: SourceRefOf(chartSpec.Prop("sourceRef") ?? chartRef, meta),
            LastAttemptedRevision: status.Prop("lastAttemptedRevision").Str(""),
            HistoryStatus: history.Prop("status").Str(""),
            InstallFailures: status.Prop("installFailures").Long() ?? 0,
            UpgradeFailures: status.Prop("upgradeFailures").Long() ?? 0,
            ObservedGeneration: status.Prop("observedGeneration").Long() ?? 0)
        {
            AppVersion = history.Prop("appVersion").Str(""),
        };
        var verdict = FluxRule.Evaluate(details.Suspended, conditions, meta.Generation, status.Prop("observedGeneration").Long());
        if (verdict.Reason == "NoConditions" && details.HistoryStatus.Length > 0)
            verdict = verdict with { Message = $"{verdict.Message}; latest release in history is {details.HistoryStatus}" };
        return new ResourceSnapshot(kind, meta, details, verdict, conditions, ObjectParts.RawStatus(obj));
    }

    public static ResourceSnapshot DecodeGitRepository(KindInfo kind, JsonElement obj)
    {
        var (meta, spec, status, conditions) = Read(obj);
        var reference = spec.Prop("ref");
        var artifact = status.Prop("artifact");
        var details = new GitRepositoryDetails(
            Url: spec.Prop("url").Str(""),
            Branch: reference.Prop("branch").Str() ?? reference.Prop("tag").Str() ?? reference.Prop("semver").Str()
                ?? reference.Prop("name").Str() ?? reference.Prop("commit").Str(""),
            Suspended: Suspended(spec),
            ArtifactRevision: artifact.Prop("revision").Str(""),
            ArtifactUpdatedAt: artifact.Prop("lastUpdateTime").Time(),
            ObservedGeneration: status.Prop("observedGeneration").Long() ?? 0);
        var verdict = FluxRule.Evaluate(details.Suspended, conditions, meta.Generation, status.Prop("observedGeneration").Long());
        return new ResourceSnapshot(kind, meta, details, verdict, conditions, ObjectParts.RawStatus(obj));
    }

    private static (ObjectMeta, JsonElement?, JsonElement?, ImmutableArray<Condition>) Read(JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        return (meta, spec, status, ObjectParts.Conditions(status));
    }

    private static bool Suspended(JsonElement? spec) => spec.Prop("suspend").Bool() ?? false;

    /// <summary><c>spec.dependsOn[]</c>; a missing namespace means the object's own namespace (Flux semantics).</summary>
    private static ImmutableArray<DependencyRef> DependsOn(JsonElement? spec, ObjectMeta meta) =>
    [
        .. spec.ArrayAt("dependsOn", "spec.dependsOn").Items()
            .Select(d => d.ValueKind == JsonValueKind.String
                ? new DependencyRef(meta.Namespace ?? "", d.GetString() ?? "")
                : new DependencyRef(ObjectParts.NullIfEmpty(d.Str("namespace")) ?? meta.Namespace ?? "", d.Str("name")))
            .Where(d => d.Name.Length > 0),
    ];

    private static SourceRef? SourceRefOf(JsonElement? reference, ObjectMeta meta) =>
        reference is not { ValueKind: JsonValueKind.Object }
            ? null
            : new SourceRef(reference.Prop("kind").Str(""), ObjectParts.NullIfEmpty(reference.Prop("namespace").Str()) ?? meta.Namespace ?? "",
                reference.Prop("name").Str(""));
}
