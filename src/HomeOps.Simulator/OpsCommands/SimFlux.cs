using System.Security.Cryptography;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Simulator.Scenarios;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.OpsCommands;

/// <summary>
/// What Flux's controllers would write when asked to reconcile: the source fetches a new commit, a Kustomization
/// applies the source's revision, a HelmRelease is upgraded. Also the full-cluster reset's effect on Flux (every
/// Kustomization fails until the bootstrap phases bring the cluster back) and its repair.
/// </summary>
public sealed class SimFlux(SimClusterClient cluster, TimeProvider? time = null)
{
    /// <summary>Marks a Kustomization the simulated full-cluster reset took down; the bootstrap phases restore exactly those.</summary>
    public const string ResetAnnotation = "simulator.homeops.dev/reset";

    public const string RequestedAtAnnotation = "reconcile.fluxcd.io/requestedAt";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private string Now => ObjectJson.Timestamp(_time.GetUtcNow());

    public static KindInfo? KindFor(string cliKind) => cliKind.ToLowerInvariant() switch
    {
        "kustomization" or "kustomizations" or "ks" => Kinds.Kustomization,
        "helmrelease" or "helmreleases" or "hr" => Kinds.HelmRelease,
        "git" or "gitrepository" or "gitrepositories" => Kinds.GitRepository,
        _ => null,
    };

    public Task<JsonObject?> GetAsync(KindInfo kind, string ns, string name, CancellationToken ct = default) => cluster.GetAsync(kind, ns, name, ct);

    public Task<IReadOnlyList<JsonObject>> ListAsync(KindInfo kind, CancellationToken ct = default) => cluster.ListAsync(kind, ct: ct);

    public static bool IsSuspended(JsonObject obj) => obj["spec"]?["suspend"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    public static bool IsReady(JsonObject obj) => obj.Condition("Ready").String("status") == "True";

    /// <summary>The source fetches "a new commit" (a fresh sha, as if someone pushed) and stores its artifact.</summary>
    public async Task<string> ReconcileSourceAsync(string ns, string name, string? handledAt = null, CancellationToken ct = default)
    {
        var now = Now;
        var revision = "main@sha1:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var sha = revision[(revision.IndexOf(':') + 1)..];
        await cluster.UpdateStatusAsync(Kinds.GitRepository, ns, name, s =>
        {
            var artifact = s["artifact"] as JsonObject ?? new JsonObject();
            artifact["revision"] = revision;
            artifact["lastUpdateTime"] = now;
            artifact["digest"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(revision)));
            artifact["path"] = $"gitrepository/{ns}/{name}/{sha}.tar.gz";
            s["artifact"] = artifact;
            SetReady(s, "Succeeded", $"stored artifact for revision '{revision}'", now);
            if (handledAt is not null) s["lastHandledReconcileAt"] = handledAt;
        }, ct).ConfigureAwait(false);
        await ObserveGenerationAsync(Kinds.GitRepository, ns, name, ct).ConfigureAwait(false);
        return revision;
    }

    /// <summary>The Kustomization applies its source's current revision and reports Ready.</summary>
    public async Task<string> ReconcileKustomizationAsync(string ns, string name, string? handledAt = null, CancellationToken ct = default)
    {
        var now = Now;
        var obj = await cluster.GetAsync(Kinds.Kustomization, ns, name, ct).ConfigureAwait(false)
                  ?? throw new InvalidOperationException($"Kustomization {ns}/{name} not found");
        var revision = await SourceRevisionAsync(obj, ct).ConfigureAwait(false) ?? obj["status"].String("lastAppliedRevision") ?? "";
        await cluster.UpdateStatusAsync(Kinds.Kustomization, ns, name, s =>
        {
            s["lastAppliedRevision"] = revision;
            s["lastAttemptedRevision"] = revision;
            SetReady(s, "ReconciliationSucceeded", $"Applied revision: {revision}", now);
            if (handledAt is not null) s["lastHandledReconcileAt"] = handledAt;
        }, ct).ConfigureAwait(false);
        await ObserveGenerationAsync(Kinds.Kustomization, ns, name, ct).ConfigureAwait(false);
        await ClearResetMarkAsync(ns, name, ct).ConfigureAwait(false);
        return revision;
    }

    /// <summary>helm-controller re-runs the release: Ready with the chart version it has.</summary>
    public async Task<string> ReconcileHelmReleaseAsync(string ns, string name, string? handledAt = null, CancellationToken ct = default)
    {
        var now = Now;
        string version = "";
        await cluster.UpdateStatusAsync(Kinds.HelmRelease, ns, name, s =>
        {
            version = s.String("lastAttemptedRevision") ?? "";
            SetReady(s, "UpgradeSucceeded", $"Helm upgrade succeeded for release {ns}/{name} with chart {name}@{version}", now);
            if (handledAt is not null) s["lastHandledReconcileAt"] = handledAt;
        }, ct).ConfigureAwait(false);
        await ObserveGenerationAsync(Kinds.HelmRelease, ns, name, ct).ConfigureAwait(false);
        return version;
    }

    public Task SetSuspendedAsync(KindInfo kind, string ns, string name, bool suspended, CancellationToken ct = default) =>
        cluster.PatchAsync(kind, ns, name, new JsonObject { ["spec"] = new JsonObject { ["suspend"] = suspended ? true : null } }, status: false, ct);

    /// <summary>True when the status describes an older spec than the object has (the controller has not seen it yet).</summary>
    public static bool StatusBehind(JsonObject obj)
    {
        if (obj.Generation() is not { } generation) return false;
        var status = obj["status"] as JsonObject;
        var observed = status?["observedGeneration"] is JsonValue v && v.TryGetValue<long>(out var o) ? o : 0;
        return observed != generation || (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(c => c["observedGeneration"] is JsonValue cv && cv.TryGetValue<long>(out var g) && g != generation);
    }

    /// <summary>The controller saw the current spec (e.g. after spec.suspend changed).</summary>
    public async Task ObserveGenerationAsync(KindInfo kind, string ns, string name, CancellationToken ct = default)
    {
        var obj = await cluster.GetAsync(kind, ns, name, ct).ConfigureAwait(false);
        if (obj is null || !StatusBehind(obj) || obj.Generation() is not { } generation) return;
        await cluster.UpdateStatusAsync(kind, ns, name, s =>
        {
            s["observedGeneration"] = generation;
            foreach (var c in (s["conditions"] as JsonArray ?? []).OfType<JsonObject>())
                if (c.ContainsKey("observedGeneration")) c["observedGeneration"] = generation;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>A full-cluster reset wipes etcd: every Kustomization fails until the bootstrap phases re-create the cluster.</summary>
    public async Task<int> KnockDownAllAsync(CancellationToken ct = default)
    {
        var now = Now;
        var count = 0;
        foreach (var k in await cluster.ListAsync(Kinds.Kustomization, ct: ct).ConfigureAwait(false))
        {
            await cluster.PatchAsync(Kinds.Kustomization, k.Namespace(), k.Name(),
                new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [ResetAnnotation] = "true" } } }, status: false, ct).ConfigureAwait(false);
            await cluster.UpdateStatusAsync(Kinds.Kustomization, k.Namespace(), k.Name(), s =>
                SetCondition(s, "Ready", "False", "ReconciliationFailed", "cluster reset (simulated): the API objects are gone until the cluster is bootstrapped again", now), ct).ConfigureAwait(false);
            count++;
        }
        return count;
    }

    /// <summary>Kustomizations still marked by a full-cluster reset, in dependency order (dependencies first).</summary>
    public async Task<IReadOnlyList<JsonObject>> ResetOnesInOrderAsync(CancellationToken ct = default)
    {
        var all = (await cluster.ListAsync(Kinds.Kustomization, ct: ct).ConfigureAwait(false)).ToList();
        var byName = all.ToDictionary(k => (k.Namespace(), k.Name()));
        var ordered = new List<JsonObject>();
        var seen = new HashSet<(string, string)>();
        void Visit(JsonObject k, int depth)
        {
            var key = (k.Namespace(), k.Name());
            if (depth > 64 || !seen.Add(key)) return;
            foreach (var d in (k["spec"]?["dependsOn"] as JsonArray ?? []).OfType<JsonObject>())
                if (byName.TryGetValue((d.String("namespace") ?? k.Namespace(), d.String("name") ?? ""), out var dep)) Visit(dep, depth + 1);
            ordered.Add(k);
        }
        foreach (var k in all.OrderBy(k => k.Name(), StringComparer.Ordinal)) Visit(k, 0);
        return ordered.Where(k => k["metadata"]?["annotations"]?[ResetAnnotation] is not null).ToList();
    }

    private Task ClearResetMarkAsync(string ns, string name, CancellationToken ct) =>
        cluster.PatchAsync(Kinds.Kustomization, ns, name,
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [ResetAnnotation] = null } } }, status: false, ct);

    private async Task<string?> SourceRevisionAsync(JsonObject kustomization, CancellationToken ct)
    {
        var sourceRef = kustomization["spec"]?["sourceRef"] as JsonObject;
        if (sourceRef.String("kind") != "GitRepository") return null;
        var source = await cluster.GetAsync(Kinds.GitRepository, sourceRef.String("namespace") ?? kustomization.Namespace(), sourceRef.String("name") ?? "", ct).ConfigureAwait(false);
        return source?["status"]?["artifact"].String("revision");
    }

    private static void SetReady(JsonObject status, string reason, string message, string now) => SetCondition(status, "Ready", "True", reason, message, now);

    private static void SetCondition(JsonObject status, string type, string value, string reason, string message, string now)
    {
        var wrapper = new JsonObject { ["status"] = status.DeepClone() };
        Conditions.Set(wrapper, type, value, reason, message, now);
        var updated = (JsonObject)wrapper["status"]!;
        status["conditions"] = updated["conditions"]!.DeepClone();
    }
}
