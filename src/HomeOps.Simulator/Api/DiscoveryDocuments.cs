using System.Reflection;
using System.Text.Json.Nodes;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Api;

/// <summary>
/// API discovery as kubectl reads it. The per-group-version resource lists are the live home-ops cluster's own
/// documents (embedded under Discovery/), reduced to the kinds this simulator serves — kubectl queries every
/// advertised group version and complains about each one that 404s — so short names, verbs and categories
/// are the real ones. The group lists are built from the same served kinds.
/// </summary>
internal sealed class DiscoveryDocuments
{
    private const string ResourcePrefix = "Discovery/";
    private const string ResourceSuffix = "/serverresources.json";

    private readonly Dictionary<string, string> _resourceLists;

    private DiscoveryDocuments(Dictionary<string, string> resourceLists) => _resourceLists = resourceLists;

    public static DiscoveryDocuments Load()
    {
        var assembly = typeof(DiscoveryDocuments).Assembly;
        var lists = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var normalized = name.Replace('\\', '/');
            if (!normalized.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !normalized.EndsWith(ResourceSuffix, StringComparison.Ordinal)) continue;
            var groupVersion = normalized[ResourcePrefix.Length..^ResourceSuffix.Length];
            lists[groupVersion] = Read(assembly, name);
        }
        foreach (var kind in ServedKinds.All)
        {
            if (!lists.ContainsKey(kind.ApiVersion)) throw new InvalidOperationException($"No embedded discovery document for {kind.ApiVersion}");
        }
        return new DiscoveryDocuments(lists);
    }

    /// <summary><c>GET /api/v1</c> or <c>GET /apis/{group}/{version}</c>; null when that group version is not served.</summary>
    public JsonNode? ResourceList(string groupVersion) =>
        _resourceLists.TryGetValue(groupVersion, out var json) ? JsonNode.Parse(json) : null;

    /// <summary><c>GET /api</c>.</summary>
    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0",
            ["serverAddress"] = serverAddress,
        }),
    };

    /// <summary><c>GET /apis</c>: only the groups and versions served here.</summary>
    public static JsonObject GroupList()
    {
        var groups = new JsonArray();
        foreach (var name in GroupNames()) groups.Add(Group(name));
        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    /// <summary><c>GET /apis/{group}</c>; null when the group is not served.</summary>
    public static JsonObject? GroupDocument(string group)
    {
        if (!GroupNames().Contains(group)) return null;
        var document = Group(group);
        document["kind"] = "APIGroup";
        document["apiVersion"] = "v1";
        return document;
    }

    private static List<string> GroupNames() =>
        ServedKinds.All.Select(k => k.Group).Where(g => g.Length > 0).Distinct().ToList();

    private static JsonObject Group(string group)
    {
        var versions = ServedKinds.All.Where(k => k.Group == group).Select(k => k.Version).Distinct().ToList();
        var list = new JsonArray();
        foreach (var version in versions) list.Add(VersionEntry(group, version));
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = list,
            ["preferredVersion"] = VersionEntry(group, versions[0]),
        };
    }

    private static JsonObject VersionEntry(string group, string version) =>
        new() { ["groupVersion"] = $"{group}/{version}", ["version"] = version };

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
