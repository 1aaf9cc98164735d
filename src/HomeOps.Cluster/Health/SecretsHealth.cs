using System.Collections.Immutable;
using System.Text.Json;
using HomeOps.Cluster.Model;
using static HomeOps.Cluster.Health.Text;

namespace HomeOps.Cluster.Health;

/// <summary>
/// External Secrets Operator (<c>external-secrets.io/v1</c>; cluster brief §3.5, §9 row 2, §10.11): the
/// <c>onepassword-connect</c> ClusterSecretStore and the ExternalSecrets that read from it. Both report a
/// <c>Ready</c> condition: True → Healthy; False → Failed with the controller's reason (<c>ValidationFailed</c>,
/// <c>SecretSyncedError</c>, …); Unknown or absent → Progressing/Unknown. Suspension does not exist here.
/// </summary>
public static class SecretsHealth
{
    public const string NoConditions = "NoConditions";

    public static ResourceSnapshot DecodeStore(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        var conditions = ObjectParts.Conditions(status);
        // spec.provider has one key, the provider's name (onepassword, vault, aws…), holding its settings.
        var provider = spec.Prop("provider").Props().Select(p => (JsonProperty?)p).FirstOrDefault();
        JsonElement? settings = provider is { Value.ValueKind: JsonValueKind.Object } p ? p.Value : null;
        var endpoint = settings.Prop("connectHost").Str() ?? settings.Prop("server").Str() ?? settings.Prop("url").Str()
            ?? settings.Prop("host").Str("");
        var vaults = settings.Prop("vaults").Props()
            .OrderBy(v => ((JsonElement?)v.Value).Long() ?? long.MaxValue)
            .Select(v => v.Name);
        var details = new SecretStoreDetails(
            Provider: provider?.Name ?? "",
            Endpoint: endpoint,
            Vaults: [.. vaults],
            Capabilities: status.Prop("capabilities").Str(""));
        var verdict = ReadyRule(conditions, meta.Generation, status.Prop("observedGeneration").Long(), "store validated");
        return new ResourceSnapshot(kind, meta, details, verdict, conditions, ObjectParts.RawStatus(obj));
    }

    public static ResourceSnapshot DecodeExternalSecret(KindInfo kind, JsonElement obj)
    {
        var meta = ObjectParts.Meta(obj);
        var spec = ObjectParts.Spec(obj);
        var status = ObjectParts.Status(obj);
        var conditions = ObjectParts.Conditions(status);
        var store = spec.Prop("secretStoreRef");
        var keys = spec.ArrayAt("data", "spec.data").Items().Count() + spec.ArrayAt("dataFrom", "spec.dataFrom").Items().Count();
        var details = new ExternalSecretDetails(
            StoreKind: store.Prop("kind").Str("SecretStore"),
            StoreName: store.Prop("name").Str(""),
            TargetSecret: spec.At("target", "name").Str() ?? meta.Name,
            RefreshInterval: spec.Prop("refreshInterval").Str(""),
            RefreshTime: status.Prop("refreshTime").Time(),
            SyncedResourceVersion: status.Prop("syncedResourceVersion").Str(""),
            Keys: keys);
        var verdict = ReadyRule(conditions, meta.Generation, null, "secret synced");
        if (verdict.Health == HealthStatus.Healthy && details.RefreshTime is { } refreshed)
            verdict = verdict with { Since = verdict.Since ?? refreshed };
        return new ResourceSnapshot(kind, meta, details, verdict, conditions, ObjectParts.RawStatus(obj));
    }

    /// <summary>The shared Ready rule. A stale observedGeneration (store only) means the verdict is about an older spec.</summary>
    public static Verdict ReadyRule(ImmutableArray<Condition> conditions, long generation, long? observedGeneration, string healthyText)
    {
        var ready = conditions.Find("Ready");
        if (ready is null)
            return new Verdict(HealthStatus.Progressing, NoConditions, "no Ready condition yet: the controller has not reconciled it");
        if (ready.IsFalse)
            return new Verdict(HealthStatus.Failed, Or(ready.Reason, "NotReady"), Or(ready.Message, "Ready is False"), ready.LastTransitionTime);
        if (!ready.IsTrue)
            return new Verdict(HealthStatus.Unknown, Or(ready.Reason, "ReadyUnknown"), Or(ready.Message, $"Ready is {Or(ready.Status, "empty")}"),
                ready.LastTransitionTime);
        if (observedGeneration is { } observed && generation > 0 && observed < generation)
            return new Verdict(HealthStatus.Progressing, "ObservedGenerationLag",
                $"Ready, but for generation {observed}; the spec is at generation {generation}", ready.LastTransitionTime);
        return new Verdict(HealthStatus.Healthy, Or(ready.Reason, "Ready"), Or(ready.Message, healthyText), ready.LastTransitionTime);
    }
}
