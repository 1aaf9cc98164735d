using System.Collections.Immutable;
using System.Text.Json;
using HomeOps.Cluster.Model;
using static HomeOps.Cluster.Health.Text;

namespace HomeOps.Cluster.Health;

/// <summary>
/// Authentik outposts and API tokens (FIELDS.md §5, cluster brief §6.2, §10.10). These are REST objects, not
/// Kubernetes objects; they become snapshots of the pseudo kinds <see cref="Kinds.AuthentikOutpost"/> and
/// <see cref="Kinds.AuthentikToken"/> so the store and views treat them like everything else. Never throws.
/// </summary>
public static class AuthentikDecoder
{
    public const string EmbeddedManagedId = "goauthentik.io/outposts/embedded";

    /// <summary>Outposts say hello every 10 s; a last_seen older than this means the instance is gone.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);

    /// <summary>Tokens that expire sooner than this are flagged.</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(7);

    /// <param name="outpost">An item of <c>GET /api/v3/outposts/instances/</c>.</param>
    /// <param name="healthArray">The bare array of <c>GET /api/v3/outposts/instances/{pk}/health/</c>.</param>
    public static ResourceSnapshot DecodeOutpost(JsonElement outpost, JsonElement healthArray, DateTimeOffset now)
    {
        var kind = Kinds.AuthentikOutpost;
        var meta = Meta(outpost.Prop("pk").Str(""), outpost.Prop("name").Str(""));
        try
        {
            if (outpost.ValueKind != JsonValueKind.Object)
                throw new MalformedException("outpost", $"the outpost is {JsonRead.Describe(outpost)}, expected an object");
            if (healthArray.ValueKind != JsonValueKind.Array)
                throw new MalformedException("health", $"the health response is {JsonRead.Describe(healthArray)}, expected an array");

            var instances = healthArray.EnumerateArray()
                .Where(h => h.ValueKind == JsonValueKind.Object)
                .Select(h => new OutpostInstance(h.Str("uid"), h.Str("hostname"), h.Prop("last_seen").Time(),
                    h.Str("version"), h.Str("version_should"), h.Prop("version_outdated").Bool() ?? false))
                .ToImmutableArray();
            var details = new AuthentikOutpostDetails(
                Pk: meta.Uid,
                Type: outpost.Str("type"),
                Embedded: outpost.Str("managed") == EmbeddedManagedId,
                Providers: [.. ((JsonElement?)outpost).ArrayAt("providers", "providers").Items()
                    .Select(p => ((JsonElement?)p).Long()).Where(p => p is not null).Select(p => p!.Value)],
                Instances: instances,
                LastSeen: instances.Select(i => i.LastSeen).Where(t => t is not null).Max());
            return new ResourceSnapshot(kind, meta, details, OutpostRule(details, now), [], ObjectParts.Truncate(healthArray.GetRawText()));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ResourceSnapshot(kind, meta, NoDetails.Instance,
                Verdict.Unknown(ResourceDecoder.MalformedReason, $"Outpost {Or(meta.Name, meta.Uid)}: {e.Message}"), [], "");
        }
    }

    /// <summary>
    /// No instance reporting → Failed; newest last_seen too old → Failed "Stale"; the external proxy outpost without
    /// providers → Failed "NoProviders" (SSO is down); an outdated instance → Degraded; the embedded outpost still
    /// carrying providers → Degraded "EmbeddedHasProviders" (home-ops moved them to the external outpost).
    /// </summary>
    public static Verdict OutpostRule(AuthentikOutpostDetails o, DateTimeOffset now)
    {
        if (o.Instances.IsDefaultOrEmpty)
            return new Verdict(HealthStatus.Failed, "NoInstanceReporting", "no outpost instance is reporting (disconnected or not deployed)");
        if (o.LastSeen is not { } last || now - last > StaleAfter)
            return new Verdict(HealthStatus.Failed, "Stale",
                o.LastSeen is { } seen ? $"last seen {Freshness.Age(now - seen)} ago" : "no instance reports when it was last seen", o.LastSeen);
        if (!o.Embedded && o.Type == "proxy" && o.Providers.IsDefaultOrEmpty)
            return new Verdict(HealthStatus.Failed, "NoProviders", "the proxy outpost has no providers: nothing is served through it");
        var stale = o.Instances.Where(i => i.LastSeen is not { } t || now - t > StaleAfter).ToList();
        if (stale.Count > 0)
            return new Verdict(HealthStatus.Degraded, "InstanceStale",
                $"{stale.Count} of {o.Instances.Length} instances stopped reporting ({string.Join(", ", stale.Select(i => Or(i.Hostname, i.Uid)))})");
        if (o.Instances.FirstOrDefault(i => i.VersionOutdated) is { } outdated)
            return new Verdict(HealthStatus.Degraded, "VersionOutdated",
                $"{Or(outdated.Hostname, outdated.Uid)} runs {Or(outdated.Version, "an unknown version")}, should be {Or(outdated.VersionShould, "the server's version")}");
        if (o.Embedded && !o.Providers.IsDefaultOrEmpty)
            return new Verdict(HealthStatus.Degraded, "EmbeddedHasProviders",
                $"the embedded outpost serves {o.Providers.Length} provider(s) ({string.Join(", ", o.Providers)}); they belong on the external outpost");
        var versions = string.Join(", ", o.Instances.Select(i => i.Version).Where(v => v.Length > 0).Distinct());
        return new Verdict(HealthStatus.Healthy, "Connected",
            $"{o.Instances.Length} instance(s) reporting{(versions.Length > 0 ? $", version {versions}" : "")}", o.LastSeen);
    }

    /// <param name="token">An item of <c>GET /api/v3/core/tokens/</c> (never contains the key).</param>
    public static ResourceSnapshot DecodeToken(JsonElement token, DateTimeOffset now)
    {
        var kind = Kinds.AuthentikToken;
        var identifier = token.Prop("identifier").Str() ?? token.Prop("pk").Str("");
        var meta = Meta(identifier, identifier);
        try
        {
            if (token.ValueKind != JsonValueKind.Object)
                throw new MalformedException("token", $"the token is {JsonRead.Describe(token)}, expected an object");
            var details = new AuthentikTokenDetails(
                Identifier: identifier,
                Intent: token.Str("intent"),
                User: token.At("user_obj", "username").Str() ?? token.Prop("user").Str(""),
                Expiring: token.Prop("expiring").Bool() ?? true, // Authentik's default
                Expires: token.Prop("expires").Time(),
                Description: token.Str("description"));
            return new ResourceSnapshot(kind, meta, details, TokenRule(details, now), [], ObjectParts.Truncate(token.GetRawText()));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ResourceSnapshot(kind, meta, NoDetails.Instance,
                Verdict.Unknown(ResourceDecoder.MalformedReason, $"Token {meta.Name}: {e.Message}"), [], "");
        }
    }

    /// <summary><c>expiring=false</c> → Healthy "NonExpiring" (expires is ignored); expired → Failed; within 7 days → Degraded.</summary>
    public static Verdict TokenRule(AuthentikTokenDetails t, DateTimeOffset now)
    {
        if (!t.Expiring)
            return new Verdict(HealthStatus.Healthy, "NonExpiring", "the token does not expire");
        if (t.Expires is not { } expires)
            return Verdict.Unknown("NoExpiry", "the token expires but reports no expiry time");
        if (expires <= now)
            return new Verdict(HealthStatus.Failed, "Expired", $"expired {Freshness.Age(now - expires)} ago", expires);
        if (expires - now < ExpiryWarning)
            return new Verdict(HealthStatus.Degraded, "ExpiringSoon", $"expires in {Freshness.Age(expires - now)}", expires);
        return new Verdict(HealthStatus.Healthy, "Valid", $"expires in {Freshness.Age(expires - now)}", expires);
    }

    private static ObjectMeta Meta(string uid, string name) =>
        new(uid, name, null, "", 0, null, ObjectMeta.NoLabels, ObjectMeta.NoLabels);
}
