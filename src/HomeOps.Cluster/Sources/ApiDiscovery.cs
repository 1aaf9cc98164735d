using System.Text.Json;
using HomeOps.Cluster.Health;
using HomeOps.Cluster.Model;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HomeOps.Cluster.Sources;

/// <summary>What discovery says about one kind.</summary>
public enum KindServing
{
    /// <summary>The API serves the kind at <see cref="KindAvailability.Kind"/>'s version.</summary>
    Served,
    /// <summary>No served group version has the kind: its CRD (or aggregated API) is not installed.</summary>
    NotServed,
    /// <summary>Discovery could not tell (API unreachable, a group version failing); <see cref="KindAvailability.Kind"/> is the best guess.</summary>
    Unknown,
}

/// <summary>One kind's answer: served at which version, not served, or unknown (with why).</summary>
public sealed record KindAvailability(KindInfo Kind, KindServing Serving, string Message);

/// <summary>The answer of one discovery round for every kind asked about.</summary>
public sealed record DiscoveryResult(IReadOnlyDictionary<string, KindAvailability> Kinds, string? Error)
{
    /// <summary>Every group version could be read: nothing is <see cref="KindServing.Unknown"/>.</summary>
    public bool Complete => Error is null && Kinds.Values.All(k => k.Serving != KindServing.Unknown);

    public KindAvailability For(KindInfo kind) =>
        Kinds.TryGetValue(kind.Key, out var a) ? a : new KindAvailability(kind, KindServing.Unknown, "not asked about");
}

/// <summary>
/// Asks the API which group versions serve each kind: <c>GET /apis</c> (groups and their versions), then
/// <c>GET /apis/&lt;group&gt;/&lt;version&gt;</c> (core: <c>/api/v1</c>) for the candidate versions, as kubectl does.
/// A kind is read at the first of <see cref="Model.Kinds.PreferredVersions"/> that serves it (v2 before v2alpha1),
/// else at any other served version. Discovery is allowed for every authenticated user (system:discovery), so a
/// kind that is merely forbidden still shows up here as served; its informer then reports the missing permission.
/// </summary>
public sealed class ApiDiscovery(IKubernetes client, ILogger logger)
{
    /// <summary>One round. Never throws except on cancellation; failures become <see cref="KindServing.Unknown"/>.</summary>
    public async Task<DiscoveryResult> DiscoverAsync(IReadOnlyCollection<KindInfo> kinds, CancellationToken cancellationToken)
    {
        ServedGroups groups;
        try
        {
            groups = ServedGroups.From(await client.Apis.GetAPIVersionsAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var message = $"API discovery failed: {ApiFailure.From(ex, Model.Kinds.Node).Message}";
            logger.LogWarning("{Message}", message);
            return new DiscoveryResult(kinds.ToDictionary(k => k.Key, k => new KindAvailability(k, KindServing.Unknown, message)), message);
        }

        var lists = new Dictionary<string, GroupVersionResources>(StringComparer.Ordinal);
        var result = new Dictionary<string, KindAvailability>(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            // Fetch lazily: only the group versions some kind might be served from.
            foreach (var version in DiscoveryRules.Candidates(kind, groups))
            {
                var groupVersion = kind.Group.Length == 0 ? version : $"{kind.Group}/{version}";
                if (!lists.ContainsKey(groupVersion))
                    lists[groupVersion] = await FetchAsync(kind.Group, version, cancellationToken).ConfigureAwait(false);
            }
            result[kind.Key] = DiscoveryRules.Choose(kind, groups, lists);
        }
        return new DiscoveryResult(result, null);
    }

    private async Task<GroupVersionResources> FetchAsync(string group, string version, CancellationToken ct)
    {
        try
        {
            // The generic list call with an empty plural requests exactly /apis/<group>/<version>/ (core: /api/v1/),
            // the same URL KubernetesClient's typed GetAPIResources methods use, with the client's credentials.
            using var response = await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync(group, version, "",
                cancellationToken: ct).ConfigureAwait(false);
            return response.Body is JsonElement body
                ? GroupVersionResources.Parse(body)
                : GroupVersionResources.Failed("the discovery document is empty");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var failure = ApiFailure.From(ex, Model.Kinds.Node);
            // 404: listed in /apis a moment ago, gone now (a CRD being removed): it serves nothing.
            if (failure.StatusCode == 404) return GroupVersionResources.Empty;
            var where = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            logger.LogWarning("Discovery of {GroupVersion} failed: {Message}", where, failure.Message);
            return GroupVersionResources.Failed($"discovery of {where} failed: {failure.Message}");
        }
    }
}

/// <summary>The groups of <c>GET /apis</c>: each group's versions, the server's preferred version first.</summary>
public sealed class ServedGroups
{
    private readonly Dictionary<string, IReadOnlyList<string>> _versions;

    private ServedGroups(Dictionary<string, IReadOnlyList<string>> versions) => _versions = versions;

    /// <summary>The group's versions (preferred first), or null when the API does not serve the group. The core group serves v1.</summary>
    public IReadOnlyList<string>? Versions(string group) =>
        group.Length == 0 ? ["v1"] : _versions.GetValueOrDefault(group);

    public static ServedGroups From(V1APIGroupList? list)
    {
        var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var g in list?.Groups ?? [])
        {
            if (string.IsNullOrEmpty(g.Name)) continue;
            var versions = new List<string>();
            if (g.PreferredVersion?.Version is { Length: > 0 } preferred) versions.Add(preferred);
            foreach (var v in g.Versions ?? [])
                if (v.Version is { Length: > 0 } version && !versions.Contains(version)) versions.Add(version);
            map[g.Name] = versions;
        }
        return new ServedGroups(map);
    }

    /// <summary>Reads an <c>APIGroupList</c> document (as kubectl caches it in servergroups.json).</summary>
    public static ServedGroups Parse(JsonElement apiGroupList)
    {
        var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var g in apiGroupList.Prop("groups").Items())
        {
            var name = g.Str("name");
            if (name.Length == 0) continue;
            var versions = new List<string>();
            if (g.At("preferredVersion", "version").Str() is { Length: > 0 } preferred) versions.Add(preferred);
            foreach (var v in g.Prop("versions").Items())
                if (v.Str("version") is { Length: > 0 } version && !versions.Contains(version)) versions.Add(version);
            map[name] = versions;
        }
        return new ServedGroups(map);
    }
}

/// <summary>The resources of one <c>APIResourceList</c> (plural → kind), or why it could not be read.</summary>
public sealed class GroupVersionResources
{
    public static readonly GroupVersionResources Empty = new(new Dictionary<string, string>(), null);

    private readonly Dictionary<string, string> _kindByPlural;

    private GroupVersionResources(Dictionary<string, string> kindByPlural, string? error)
    {
        _kindByPlural = kindByPlural;
        Error = error;
    }

    public string? Error { get; }

    public bool Serves(KindInfo kind) =>
        _kindByPlural.TryGetValue(kind.Plural, out var k) && (k.Length == 0 || k == kind.Kind);

    public static GroupVersionResources Failed(string error) => new(new Dictionary<string, string>(), error);

    public static GroupVersionResources Parse(JsonElement resourceList)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in resourceList.Prop("resources").Items())
        {
            var name = r.Str("name");
            if (name.Length == 0 || name.Contains('/')) continue; // subresources such as volumes/status
            map[name] = r.Str("kind");
        }
        return new GroupVersionResources(map, null);
    }
}

/// <summary>The pure part of discovery: which version a kind is read at, given the served groups and resource lists.</summary>
public static class DiscoveryRules
{
    /// <summary>Versions to look at, best first: the kind's preferred versions the group serves, then the group's others.</summary>
    public static IReadOnlyList<string> Candidates(KindInfo kind, ServedGroups groups)
    {
        if (groups.Versions(kind.Group) is not { } served) return [];
        var preferred = Model.Kinds.PreferredVersions(kind);
        return [.. preferred.Where(served.Contains), .. served.Where(v => !preferred.Contains(v))];
    }

    /// <param name="lists">Resource lists by group version (<c>v1</c>, <c>cilium.io/v2</c>); a missing entry counts as unknown.</param>
    public static KindAvailability Choose(KindInfo kind, ServedGroups groups, IReadOnlyDictionary<string, GroupVersionResources> lists)
    {
        var resource = ApiFailure.Resource(kind);
        if (groups.Versions(kind.Group) is null)
            return new KindAvailability(kind, KindServing.NotServed, $"{resource} is not served by the API: no API group {kind.Group} (not installed)");
        var candidates = Candidates(kind, groups);
        string? error = null;
        foreach (var version in candidates)
        {
            var groupVersion = kind.Group.Length == 0 ? version : $"{kind.Group}/{version}";
            if (!lists.TryGetValue(groupVersion, out var list) || list.Error is not null)
            {
                error ??= list?.Error ?? $"{groupVersion} was not read";
                continue;
            }
            if (!list.Serves(kind)) continue;
            var at = kind.AtVersion(version);
            // A more preferred version could not be read: the kind may well be served there; do not switch on a guess.
            return error is null
                ? new KindAvailability(at, KindServing.Served, $"served at {at.ApiVersion}")
                : new KindAvailability(at, KindServing.Unknown, error);
        }
        return error is not null
            ? new KindAvailability(kind.AtVersion(candidates.FirstOrDefault() ?? kind.Version), KindServing.Unknown, error)
            : new KindAvailability(kind, KindServing.NotServed,
                $"{resource} is not served by the API: {kind.Group} serves {string.Join(", ", candidates)} without it (not installed)");
    }
}
